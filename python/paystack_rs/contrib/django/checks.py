"""System checks of the webhook settings (registered when the app is in INSTALLED_APPS)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.cache import InvalidCacheBackendError, caches
from django.core.exceptions import ImproperlyConfigured

from . import conf

__all__ = ["check_webhook_settings"]

PER_PROCESS_CACHES = ("django.core.cache.backends.locmem.LocMemCache",)
NO_CACHES = ("django.core.cache.backends.dummy.DummyCache",)


@checks.register()
def check_webhook_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        loaded = conf.load()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), hint="See docs/django.md in paystack-rs.", id="paystack_rs.E001")]
    if loaded.cache_alias is None:
        return []
    try:
        cache = caches[loaded.cache_alias]
    except InvalidCacheBackendError:
        return [
            checks.Error(
                f"PAYSTACK_WEBHOOK_CACHE is {loaded.cache_alias!r}, which is not in CACHES",
                id="paystack_rs.E002",
            )
        ]
    backend = f"{type(cache).__module__}.{type(cache).__qualname__}"
    if backend in NO_CACHES:
        return [
            checks.Warning(
                f"the {loaded.cache_alias!r} cache keeps nothing, so Paystack's retried webhook deliveries run the "
                "receivers again",
                hint="Point PAYSTACK_WEBHOOK_CACHE at a real cache, or set it to None to say you mean it.",
                id="paystack_rs.W001",
            )
        ]
    if backend in PER_PROCESS_CACHES and not settings.DEBUG:
        return [
            checks.Warning(
                f"the {loaded.cache_alias!r} cache is per process: with several workers, a retried webhook delivery "
                "that reaches another worker runs the receivers again",
                hint="Use a cache all processes share (Redis, Memcached, the database) for PAYSTACK_WEBHOOK_CACHE.",
                id="paystack_rs.W002",
            )
        ]
    return []

"""The settings the webhook view reads, each at request time (so ``override_settings`` works).

``PAYSTACK_SECRET_KEY``
    Default: the environment's ``PAYSTACK_SECRET_KEY``. A key or a list of keys (test and live, or
    the old and the new key while you rotate): a delivery signed with any of them is accepted.
``PAYSTACK_WEBHOOK_CHECK_IP``
    Default: ``not DEBUG``. Whether the sender's address must be one of ``ALLOWED_IPS``: checked
    in production, not on a developer's machine.
``PAYSTACK_WEBHOOK_ALLOWED_IPS``
    Default: ``None``, Paystack's published addresses (``paystack_rs.webhooks.SOURCE_IPS``). Else a
    list of addresses or CIDR networks.
``PAYSTACK_WEBHOOK_TRUSTED_PROXIES``
    Default: ``[]``, ``X-Forwarded-For`` is ignored. The addresses or networks of your own proxies
    (nginx, a load balancer): the sender is then read from the header they append to.
``PAYSTACK_WEBHOOK_CACHE``
    Default: ``"default"``. The cache alias that remembers deliveries; share it between processes
    (Redis, Memcached, the database). ``None`` turns the retry check off.
``PAYSTACK_WEBHOOK_DEDUPE_TIMEOUT``
    Default: ``345600`` (4 days). How long a handled event is remembered; Paystack retries live
    events for 72 hours.
``PAYSTACK_WEBHOOK_PROCESSING_TIMEOUT``
    Default: ``300``. How long a delivery being handled holds off a retry of the same event (after
    a crash the event is handled by the first retry once this has passed).
``PAYSTACK_WEBHOOK_RETRY_ON_ERROR``
    Default: ``True``. When a receiver raises, answer 500 and forget the delivery, so that Paystack
    delivers it again; ``False``: acknowledge it (200) and only log the error.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .ip import Network, parse_networks

__all__ = ["WebhookSettings", "load"]

#: Paystack retries a live event for 72 hours after its first four tries (docs/paystack-api.md §5).
DEDUPE_TIMEOUT = 4 * 24 * 60 * 60
PROCESSING_TIMEOUT = 300


@dataclass(frozen=True)
class WebhookSettings:
    secret_keys: tuple[str, ...]
    check_ip: bool
    allowed_ips: tuple[Network, ...] | None
    trusted_proxies: tuple[Network, ...]
    cache_alias: str | None
    dedupe_timeout: int
    processing_timeout: int
    retry_on_error: bool

    def __repr__(self) -> str:  # never the keys
        return f"<WebhookSettings {len(self.secret_keys)} key(s), check_ip={self.check_ip}, cache={self.cache_alias!r}>"


def _secret_keys() -> tuple[str, ...]:
    value: Any = getattr(settings, "PAYSTACK_SECRET_KEY", None) or os.environ.get("PAYSTACK_SECRET_KEY")
    keys = (value,) if isinstance(value, str) else value
    if not isinstance(keys, (list, tuple)) or not keys or not all(isinstance(k, str) and k.strip() for k in keys):
        raise ImproperlyConfigured(
            "PAYSTACK_SECRET_KEY must be your Paystack secret key, or a list of them, to verify webhooks "
            "(set it in settings or in the environment)"
        )
    return tuple(k.strip() for k in keys)


@functools.lru_cache(maxsize=32)
def _networks(values: tuple[str, ...], setting: str) -> tuple[Network, ...]:
    try:
        return parse_networks(values, setting)
    except ValueError as exc:
        raise ImproperlyConfigured(str(exc)) from None


def _network_setting(name: str, default: list[str] | None) -> tuple[Network, ...] | None:
    value: Any = getattr(settings, name, default)
    if value is None:
        return None
    if isinstance(value, str) or not isinstance(value, (list, tuple, set, frozenset)):
        raise ImproperlyConfigured(f"{name} must be a list of IP addresses or networks")
    return _networks(tuple(str(v) for v in value), name)


def _int_setting(name: str, default: int) -> int:
    value: Any = getattr(settings, name, default)
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ImproperlyConfigured(f"{name} must be a positive number of seconds")
    return value


def _bool_setting(name: str, default: bool) -> bool:
    value: Any = getattr(settings, name, default)
    if not isinstance(value, bool):
        raise ImproperlyConfigured(f"{name} must be True or False")
    return value


def load() -> WebhookSettings:
    """The current settings, checked; ImproperlyConfigured names the setting that is wrong."""
    cache_alias: Any = getattr(settings, "PAYSTACK_WEBHOOK_CACHE", "default")
    if cache_alias is not None and not isinstance(cache_alias, str):
        raise ImproperlyConfigured("PAYSTACK_WEBHOOK_CACHE must be a cache alias (a key of CACHES) or None")
    return WebhookSettings(
        secret_keys=_secret_keys(),
        check_ip=_bool_setting("PAYSTACK_WEBHOOK_CHECK_IP", not settings.DEBUG),
        allowed_ips=_network_setting("PAYSTACK_WEBHOOK_ALLOWED_IPS", None),
        trusted_proxies=_network_setting("PAYSTACK_WEBHOOK_TRUSTED_PROXIES", []) or (),
        cache_alias=cache_alias,
        dedupe_timeout=_int_setting("PAYSTACK_WEBHOOK_DEDUPE_TIMEOUT", DEDUPE_TIMEOUT),
        processing_timeout=_int_setting("PAYSTACK_WEBHOOK_PROCESSING_TIMEOUT", PROCESSING_TIMEOUT),
        retry_on_error=_bool_setting("PAYSTACK_WEBHOOK_RETRY_ON_ERROR", True),
    )

"""Optional: ``"paystack_rs.contrib.django"`` in INSTALLED_APPS adds system checks, so that a
webhook set-up that would fail is reported by ``manage.py check`` (and at every ``runserver``)
instead of by Paystack's failed deliveries."""

from __future__ import annotations

from django.apps import AppConfig


class PaystackRsConfig(AppConfig):
    name = "paystack_rs.contrib.django"
    label = "paystack_rs"
    verbose_name = "Paystack (paystack-rs)"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers them)

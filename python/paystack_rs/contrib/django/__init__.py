"""Paystack webhooks for Django (the ``paystack-rs[django]`` extra).

In ``urls.py``::

    from paystack_rs.contrib.django import webhook_view      # async_webhook_view under ASGI

    urlpatterns = [path("paystack/webhook/", webhook_view)]

In any module Django imports (an app's ``receivers.py`` imported from ``AppConfig.ready``)::

    from paystack_rs.contrib.django.signals import on_event

    @on_event("charge.success")
    def paid(sender, event, data, request, **kwargs):
        Order.objects.filter(reference=data["reference"]).update(paid=True)

The view answers only POST, is CSRF-exempt, checks the source address (by default only when DEBUG
is off), verifies ``x-paystack-signature`` in the Rust core against ``PAYSTACK_SECRET_KEY`` (one key
or a list), recognises Paystack's retried deliveries through Django's cache, and sends
``signals.webhook_received`` once per event. The settings are in ``conf.py``.
"""

from __future__ import annotations

try:
    import django
except ImportError as exc:  # pragma: no cover - exercised in a subprocess without Django
    raise ImportError(
        "paystack_rs.contrib.django needs Django: pip install 'paystack-rs[django]'", name=exc.name
    ) from exc

if django.VERSION < (5, 2):
    raise ImportError(
        f"paystack_rs.contrib.django needs Django 5.2 or later (found {django.get_version()}): "
        "pip install --upgrade 'paystack-rs[django]'"
    )

from .signals import on_event, webhook_received
from .views import AsyncPaystackWebhookView, PaystackWebhookView, async_webhook_view, webhook_view

__all__ = [
    "AsyncPaystackWebhookView",
    "PaystackWebhookView",
    "async_webhook_view",
    "on_event",
    "webhook_received",
    "webhook_view",
]

"""What the shop does when Paystack says a charge succeeded."""

from typing import Any

from django.utils.dateparse import parse_datetime

from paystack_rs.contrib.django.signals import on_event, webhook_received

from .models import Payment, WebhookDelivery


def log_delivery(sender: type, event: str, data: Any, request: Any, **kwargs: Any) -> None:
    """Every event, as it came (request.body: the bytes Paystack signed), so it can be replayed."""
    reference = data.get("reference") if isinstance(data, dict) else None
    WebhookDelivery.objects.create(
        event=event,
        reference=reference or "",
        body=request.body,
        signature=request.headers["x-paystack-signature"],
    )


webhook_received.connect(log_delivery)


@on_event("charge.success")
def record_payment(sender: type, event: str, data: dict[str, Any], **kwargs: Any) -> None:
    # The view runs this once per event; keying on the reference as well keeps it right even if
    # it runs again (after another receiver failed, Paystack's retry runs every receiver).
    fields = {f["variable_name"]: f["value"] for f in (data.get("metadata") or {}).get("custom_fields", [])}
    Payment.objects.get_or_create(
        reference=data["reference"],
        defaults={
            "amount": data["amount"],
            "currency": data["currency"],
            "email": data["customer"]["email"],
            "paid_at": parse_datetime(data["paid_at"]),
            "batch_code": fields.get("bulkcharge_batch_code", ""),
        },
    )

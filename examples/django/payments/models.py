from django.db import models


class Payment(models.Model):
    """One successful charge, as Paystack reported it."""

    reference = models.CharField(max_length=100, unique=True)
    amount = models.PositiveBigIntegerField(help_text="in kobo")
    currency = models.CharField(max_length=3)
    email = models.EmailField()
    paid_at = models.DateTimeField()
    batch_code = models.CharField(max_length=40, blank=True)

    def __str__(self) -> str:
        return f"{self.reference}: {self.currency} {self.amount / 100:,.2f} from {self.email}"


class WebhookDelivery(models.Model):
    """Each webhook Paystack delivered, as it came: the exact bytes it signed and the signature.

    Keep the raw body, not the parsed JSON: the signature is over these bytes, and JSON written out
    again (``json.dumps``) is other bytes. ``python manage.py replay_webhook`` sends one again.
    """

    event = models.CharField(max_length=60)
    reference = models.CharField(max_length=100, blank=True)
    body = models.BinaryField()
    signature = models.CharField(max_length=128)
    received_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"#{self.pk} {self.event} {self.reference} ({len(self.body)} bytes)"

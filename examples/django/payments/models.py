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

"""``python manage.py charge_subscribers``: one bulk charge of this month's subscribers, followed
until Paystack has processed it and the shop has recorded every successful payment."""

import time
import uuid
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

import paystack_rs
from payments.models import Payment
from paystack_rs.sandbox import Sandbox

#: Saved card authorizations: here the sandbox's test cards (three that pay, one declined).
SUBSCRIBERS = [
    (Sandbox.AUTH_SUCCESS, 250_000),
    (Sandbox.AUTH_SUCCESS_PLAIN, 250_000),
    (Sandbox.AUTH_SUCCESS_FULL, 500_000),
    (Sandbox.AUTH_DECLINED, 250_000),
]


class Command(BaseCommand):
    help = "Charges the subscribers' saved cards in one bulk charge and waits for the webhooks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for the payments")

    def handle(self, *args: Any, **options: Any) -> None:
        # The key the webhooks are checked against; PAYSTACK_BASE_URL (the sandbox, here) comes from
        # the environment.
        paystack = paystack_rs.Paystack(secret_key=settings.PAYSTACK_SECRET_KEY)
        run = uuid.uuid4().hex[:8]
        charges = [
            {"authorization": code, "amount": amount, "reference": f"sub-{run}-{n}"}
            for n, (code, amount) in enumerate(SUBSCRIBERS)
        ]
        batch = paystack.bulk_charge.initiate(charges).data
        self.stdout.write(f"Bulk charge {batch['batch_code']}: {len(charges)} charges queued")
        deadline = time.monotonic() + options["timeout"]
        while paystack.bulk_charge.fetch(batch["batch_code"]).data["status"] != "complete":
            if time.monotonic() > deadline:
                raise CommandError("the batch did not complete in time")
            time.sleep(0.2)
        charges_done = paystack.bulk_charge.charges(batch["batch_code"], status="success", per_page=100).data
        succeeded = {charge["transaction"]["reference"] for charge in charges_done}
        self.stdout.write(f"Processed: {len(succeeded)} succeeded, {len(charges) - len(succeeded)} failed")
        while Payment.objects.filter(reference__in=succeeded).count() < len(succeeded):
            if time.monotonic() > deadline:
                raise CommandError("some payments were not recorded: is the webhook reaching runserver?")
            time.sleep(0.2)
        for payment in Payment.objects.filter(reference__in=succeeded).order_by("reference"):
            self.stdout.write(f"  recorded {payment}")
        self.stdout.write(self.style.SUCCESS(f"{len(succeeded)} payments recorded from webhooks"))

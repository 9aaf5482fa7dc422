"""``python manage.py replay_webhook [ID] [--url URL]``: send a logged webhook again, byte for byte.

The body is the one Paystack signed and the signature is the one it sent, so the webhook view
accepts it as it accepted the original (and, having handled the event already, acknowledges it
without running the receivers again: a replay to another site, or after clearing the cache, runs
them). Rewriting the body, even as equal JSON, breaks the signature.
"""

import urllib.error
import urllib.request
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from payments.models import WebhookDelivery


class Command(BaseCommand):
    help = "Sends a logged webhook delivery again, with the exact bytes and signature it came with."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("id", nargs="?", type=int, help="the WebhookDelivery (default: the latest)")
        parser.add_argument("--url", default="http://127.0.0.1:8000/paystack/webhook/", help="where to send it")

    def handle(self, *args: Any, **options: Any) -> None:
        deliveries = WebhookDelivery.objects.order_by("-pk")
        delivery = deliveries.filter(pk=options["id"]).first() if options["id"] else deliveries.first()
        if delivery is None:
            raise CommandError("no such webhook delivery in the log")
        request = urllib.request.Request(
            options["url"],
            data=bytes(delivery.body),
            headers={"Content-Type": "application/json", "x-paystack-signature": delivery.signature},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                status, text = answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode()
        self.stdout.write(f"Replayed {delivery} to {options['url']}: {status} {text}")
        if status != 200:
            raise CommandError(f"the webhook view answered {status}")

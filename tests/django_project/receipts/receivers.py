"""Receivers that write down each call (one JSON line in PSR_RECORD), so the tests can count them.

Three of them, as a project would have: a sync and an async receiver of ``charge.success`` only
(``on_event``) and one connected the plain Django way that sees every event, which keeps the
delivery as it came (the exact bytes that were signed, and the signature), as a webhook log that
can replay it must. Instructions in PSR_CONTROL make a receiver fail once or take its time, for
the retry tests.
"""

import asyncio
import base64
import json
import os
import time
from pathlib import Path

from paystack_rs.contrib.django.signals import on_event, webhook_received


def _record(receiver: str, sender: type, event: str, data: object, **delivery: str) -> None:
    data = data if isinstance(data, dict) else {}  # subscription.expiring_cards: a list
    line = json.dumps(
        {
            "receiver": receiver,
            "view": sender.__name__,
            "event": event,
            "reference": data.get("reference"),
            "id": data.get("id"),
            "amount": data.get("amount"),
            "pid": os.getpid(),
            **delivery,
        }
    )
    # One write of a short line with O_APPEND: lines from concurrent requests do not interleave.
    with open(os.environ["PSR_RECORD"], "a", encoding="utf-8") as out:
        out.write(line + "\n")


def _instruction(kind: str, reference: object) -> str | None:
    control = os.environ.get("PSR_CONTROL")
    if not control or not isinstance(reference, str):
        return None
    path = Path(control) / f"{kind}-{reference}"
    try:
        text = path.read_text()
    except FileNotFoundError:
        return None
    if kind == "fail":
        path.unlink(missing_ok=True)  # once
    return text


@on_event("charge.success")
def charge_succeeded(sender, event, data, request, **kwargs):
    slow = _instruction("slow", data.get("reference"))
    if slow:
        time.sleep(float(slow))
    if _instruction("fail", data.get("reference")) is not None:
        raise RuntimeError(f"told to fail once for {data.get('reference')}")
    _record("sync", sender, event, data)


@on_event("charge.success")
async def charge_succeeded_async(sender, event, data, **kwargs):
    await asyncio.sleep(0)
    _record("async", sender, event, data)


def every_event(sender, event, data, request, **kwargs):
    # request.body: the raw bytes Paystack signed (re-serialised JSON would not match the signature).
    body = base64.b64encode(request.body).decode()
    _record("every", sender, event, data, body=body, signature=request.headers["x-paystack-signature"])


webhook_received.connect(every_event)

"""Verifying Paystack webhooks.

Paystack signs each delivery with ``x-paystack-signature``: the hex HMAC-SHA512 of the raw request
body keyed with your secret key. Verify the *raw bytes* you received, before parsing them::

    from paystack_rs import webhooks

    event = webhooks.construct_event(request.body, request.headers["x-paystack-signature"], secret_key)
    if event["event"] == "charge.success":
        ...

The HMAC and its constant-time comparison run in the Rust core.
"""

from __future__ import annotations

import os

from . import _core
from .errors import SignatureVerificationError

TYPE_CHECKING = False  # typing is not imported at run time: it costs milliseconds at import
if TYPE_CHECKING:
    from typing import Any

__all__ = ["SIGNATURE_HEADER", "SOURCE_IPS", "construct_event", "is_paystack_ip", "sign", "verify"]

#: The header Paystack puts the signature in.
SIGNATURE_HEADER: str = _core.SIGNATURE_HEADER
#: The addresses Paystack sends webhooks from (test and live).
SOURCE_IPS: tuple[str, ...] = tuple(_core.paystack_ips())


def _payload_bytes(payload: bytes | bytearray | memoryview | str) -> bytes:
    if isinstance(payload, str):
        # A str was decoded from the body already; encode it back as UTF-8 (what Paystack sent).
        return payload.encode("utf-8")
    if isinstance(payload, (bytes, bytearray, memoryview)):
        return bytes(payload)
    raise TypeError(f"payload must be the raw request body as bytes, not {type(payload).__name__}")


def _secret(secret_key: str | None) -> str:
    key = secret_key if secret_key is not None else os.environ.get("PAYSTACK_SECRET_KEY")
    if not key:
        raise SignatureVerificationError("no secret key to verify the signature with")
    return key


def verify(payload: bytes | bytearray | memoryview | str, signature: str | None, secret_key: str | None = None) -> bool:
    """Whether ``signature`` is Paystack's signature of ``payload`` under ``secret_key``
    (default: PAYSTACK_SECRET_KEY). Compared in constant time; never raises on a bad signature."""
    if not signature or not isinstance(signature, str):
        return False
    return bool(_core.verify_signature(_payload_bytes(payload), signature, _secret(secret_key)))


def construct_event(
    payload: bytes | bytearray | memoryview | str, signature: str | None, secret_key: str | None = None
) -> dict[str, Any]:
    """The parsed event (``{"event": "charge.success", "data": {...}}``) if the signature is
    valid; raises SignatureVerificationError otherwise (or if the body is not a JSON event)."""
    body = _payload_bytes(payload)
    if not verify(body, signature, secret_key):
        raise SignatureVerificationError("the x-paystack-signature header does not match the payload", payload=body)
    try:
        event = _core.parse_json(body)
    except ValueError as exc:
        raise SignatureVerificationError(f"the payload is not JSON: {exc}", payload=body) from None
    if not isinstance(event, dict) or not isinstance(event.get("event"), str):
        raise SignatureVerificationError('the payload is not a Paystack event (no "event" name)', payload=body)
    return event


def sign(payload: bytes | bytearray | memoryview | str, secret_key: str | None = None) -> str:
    """The signature Paystack would send for ``payload``: for tests and local senders."""
    return str(_core.sign_payload(_payload_bytes(payload), _secret(secret_key)))


def is_paystack_ip(ip: str) -> bool:
    """Whether ``ip`` is one of Paystack's documented webhook source addresses."""
    return bool(_core.is_paystack_ip(ip))

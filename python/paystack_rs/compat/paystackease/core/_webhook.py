"""paystackease's ``PayStackWebhook`` and ``PayStackSignature``, checked by paystack-rs's webhooks
(the HMAC-SHA512 and its constant-time comparison run in the Rust core)."""

from __future__ import annotations

from typing import Any

from paystack_rs import webhooks
from paystack_rs.compat._layout import module_getattr

from ._api_errors import PayStackSignatureVerifyError
from ._events import Event

__all__ = ["PayStackSignature", "PayStackWebhook"]

__getattr__ = module_getattr(__name__, is_package=False)


class PayStackSignature:
    """Paystack's ``x-paystack-signature`` of a webhook's body."""

    @staticmethod
    def _make_signature(payload: bytes | str, secret_key: str) -> str:
        return webhooks.sign(payload, secret_key)

    @classmethod
    def verify_headers(cls, payload: bytes | str, secret: str, signature_header: str | None) -> bool:
        """True, or ``PayStackSignatureVerifyError`` ("No signature", "Invalid signature")."""
        body = payload.encode("utf-8") if isinstance(payload, str) else bytes(payload)
        if not signature_header:
            raise PayStackSignatureVerifyError("No signature", payload=body)
        if not webhooks.verify(body, signature_header, secret):
            raise PayStackSignatureVerifyError("Invalid signature", payload=body)
        return True


class PayStackWebhook:
    """``PayStackWebhook.get_event_data(secret_key, request.body, signature)``: the ``Event``."""

    @staticmethod
    def get_event_data(secret_key: str, payload_type: bytes | str, signature_header: str | None) -> Event:
        PayStackSignature.verify_headers(payload_type, secret_key, signature_header)
        event: dict[str, Any] = webhooks.construct_event(payload_type, signature_header, secret_key)
        return Event._get_event(event)

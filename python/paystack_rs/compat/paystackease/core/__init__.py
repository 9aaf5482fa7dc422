"""paystackease's ``core``: the answer, the exceptions and webhooks."""

from __future__ import annotations

from paystack_rs.compat._layout import module_getattr

from ._api_client_response import PayStackResponse
from ._api_errors import (
    APIConnectionError,
    PayStackError,
    PayStackServerError,
    PayStackSignatureVerifyError,
    SecretKeyError,
    TypeValueError,
)
from ._events import Event
from ._webhook import PayStackSignature, PayStackWebhook

__all__ = [
    "APIConnectionError",
    "Event",
    "PayStackError",
    "PayStackResponse",
    "PayStackServerError",
    "PayStackSignature",
    "PayStackSignatureVerifyError",
    "PayStackWebhook",
    "SecretKeyError",
    "TypeValueError",
]

__getattr__ = module_getattr(__name__, is_package=True)

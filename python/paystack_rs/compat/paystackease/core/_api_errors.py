"""paystackease's exception names, as the paystack-rs classes that play their part."""

from __future__ import annotations

from paystack_rs import errors
from paystack_rs.compat._layout import module_getattr

__all__ = [
    "APIConnectionError",
    "PayStackError",
    "PayStackServerError",
    "PayStackSignatureVerifyError",
    "SecretKeyError",
    "TypeValueError",
]

__getattr__ = module_getattr(__name__, is_package=False)

PayStackError = errors.PaystackError
PayStackServerError = errors.ServerError
APIConnectionError = errors.APIConnectionError
SecretKeyError = errors.AuthenticationError
TypeValueError = errors.ValidationError
PayStackSignatureVerifyError = errors.SignatureVerificationError

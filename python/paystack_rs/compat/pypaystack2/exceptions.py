"""pypaystack2's ``exceptions``, as the paystack-rs classes that play their part."""

from __future__ import annotations

from paystack_rs import errors
from paystack_rs.compat._layout import module_getattr

__all__ = ["ClientNetworkError", "MissingSecretKeyException"]

__getattr__ = module_getattr(__name__, is_package=False)

MissingSecretKeyException = errors.AuthenticationError
ClientNetworkError = errors.APIConnectionError

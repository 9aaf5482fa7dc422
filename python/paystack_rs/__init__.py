"""paystack-rs: Paystack's Bulk Charge and Transaction APIs for Python, sync and async, on a Rust core.

import paystack_rs as paystack

paystack.api_key = "sk_test_..."          # or PAYSTACK_SECRET_KEY; read at call time
r = paystack.Transaction.verify("re4lyvq3s3")
r = await paystack.Transaction.verify_async("re4lyvq3s3")
r = paystack.BulkCharge.initiate([{"authorization": "AUTH_x", "amount": 10000}])

client = paystack.Paystack(secret_key="sk_test_...", timeout=30.0)   # thread-safe
client.transaction.verify("re4lyvq3s3")
"""

from __future__ import annotations

import os as _os

from . import errors, webhooks
from ._client import DEFAULT_BASE_URL, GlobalRequester, Paystack, Timeouts
from ._core import BulkChargeItem, BulkChargeListObject, RedisRateLimit, __version__
from ._response import ListResponse, Response
from ._services import BulkChargeService, RefundService, SettlementService, TransactionService
from .errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    ConfigurationError,
    InvalidRequestError,
    MissingSecretKeyError,
    NotFoundError,
    PaystackError,
    RateLimitError,
    RecoveryError,
    ServerError,
    SignatureVerificationError,
    Timeout,
    ValidationError,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "STATUS",
    "APIConnectionError",
    "APIError",
    "AuthenticationError",
    "BulkCharge",
    "BulkChargeItem",
    "BulkChargeListObject",
    "BulkChargeService",
    "ConfigurationError",
    "InvalidRequestError",
    "ListResponse",
    "MissingSecretKeyError",
    "NotFoundError",
    "Paystack",
    "PaystackError",
    "RateLimitError",
    "RecoveryError",
    "RedisRateLimit",
    "Refund",
    "RefundService",
    "Response",
    "Sandbox",
    "ServerError",
    "Settlement",
    "SettlementService",
    "SignatureVerificationError",
    "Timeout",
    "Timeouts",
    "Transaction",
    "TransactionService",
    "ValidationError",
    "__version__",
    "api_key",
    "base_url",
    "errors",
    "max_retries",
    "rate_limit",
    "reconcile",
    "timeout",
    "types",
    "webhooks",
]

#: The secret key the global classes use (falls back to PAYSTACK_SECRET_KEY). Read at call time.
api_key: str | None = None
#: The API base URL the global classes use (falls back to PAYSTACK_BASE_URL, then Paystack's).
base_url: str | None = None
#: Seconds per call for the global classes: a number (the whole call) or a Timeouts (None: defaults).
timeout: float | Timeouts | None = None
#: Retries per call for the global classes (None: 2).
max_retries: int | None = None
#: Client-side quota for the global classes: "paystack-test", "paystack-live", (requests, seconds),
#: or one shared through Redis by every process: a RedisRateLimit or a "redis://" URL.
rate_limit: str | tuple[int, float] | RedisRateLimit | None = None


if _os.environ.get("PAYSTACK_LOG"):
    # Logs to stderr without code (stripe's STRIPE_LOG convention); otherwise `logging` is not
    # even imported here.
    from ._logging import configure_from_env as _configure_logging

    _configure_logging(_os.environ["PAYSTACK_LOG"])

_global_requester = GlobalRequester()

#: Paystack's Bulk Charge API through the global client (``paystack_rs.api_key``).
BulkCharge = BulkChargeService(_global_requester)
#: Paystack's Transaction API through the global client (``paystack_rs.api_key``).
Transaction = TransactionService(_global_requester)
Settlement = SettlementService(_global_requester)
Refund = RefundService(_global_requester)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from . import reconcile as reconcile
    from . import types as types
    from ._status import STATUS as STATUS
    from .sandbox import Sandbox as Sandbox


def __getattr__(name: str) -> object:
    # Loaded on first use: STATUS needs enum, Sandbox json and urllib, types typing, reconcile
    # re and csv, and each would add milliseconds to every `import paystack_rs`.
    if name not in _LAZY:
        raise AttributeError(f"module 'paystack_rs' has no attribute {name!r}")
    import importlib

    module_name, attribute = _LAZY[name]
    module = importlib.import_module(module_name, __name__)
    value = getattr(module, attribute) if attribute else module
    globals()[name] = value
    return value


_LAZY = {
    "STATUS": ("._status", "STATUS"),
    "Sandbox": (".sandbox", "Sandbox"),
    "types": (".types", ""),
    "reconcile": (".reconcile", ""),
}

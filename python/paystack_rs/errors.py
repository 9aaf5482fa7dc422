"""The exceptions paystack-rs raises. Defined here in Python, raised from the Rust core.

    PaystackError
    ├── APIError                 Paystack answered with an error (status_code, message, code, type, meta, reason)
    │   ├── AuthenticationError  401: missing or invalid secret key
    │   ├── InvalidRequestError  400 (and other 4xx): Paystack refused the request
    │   ├── NotFoundError        404
    │   ├── RateLimitError       429 (retry_after)
    │   └── ServerError          5xx
    ├── APIConnectionError       the network failed (attempts, outcome_unknown_reference)
    │   ├── Timeout              also a builtin TimeoutError (phase: connect, read or total)
    │   └── RecoveryError        an answer was lost and the lookups could not tell what it did (finding)
    ├── ValidationError          also a ValueError: bad input caught before anything was sent
    ├── ConfigurationError       also a ValueError: a client setting is wrong
    │   └── MissingSecretKeyError  no secret key at all (also an AuthenticationError, as before)
    └── SignatureVerificationError  also a ValueError: a webhook's signature does not match

No exception ever carries the secret key.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing is not imported at run time: it costs milliseconds at import
if TYPE_CHECKING:
    from typing import Any

    from ._response import Response

__all__ = [
    "APIConnectionError",
    "APIError",
    "AuthenticationError",
    "ConfigurationError",
    "InvalidRequestError",
    "MissingSecretKeyError",
    "NotFoundError",
    "PaystackError",
    "RateLimitError",
    "RecoveryError",
    "ServerError",
    "SignatureVerificationError",
    "Timeout",
    "ValidationError",
]


class PaystackError(Exception):
    """The base of every paystack-rs exception."""

    message: str

    def __init__(self, message: str = "", **_: Any) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class _CallFailure(PaystackError):
    """What every failed call carries, answered or not: how many attempts it made, the endpoint,
    and the reference to verify when a charge's outcome is unknown."""

    def __init__(
        self,
        message: str = "",
        *,
        attempts: int = 1,
        endpoint: str | None = None,
        outcome_unknown_reference: str | None = None,
        **_: Any,
    ) -> None:
        super().__init__(message)
        self.attempts = attempts
        self.endpoint = endpoint
        #: Set when a charge's answer was lost (a 5xx, a broken connection) and whether it went
        #: through could not be established: verify this reference before charging again.
        self.outcome_unknown_reference = outcome_unknown_reference


class APIError(_CallFailure):
    """Paystack answered with an error, or with something that is not a Paystack answer."""

    def __init__(
        self,
        message: str = "",
        *,
        status_code: int | None = None,
        paystack_message: str | None = None,
        code: str | None = None,
        type: str | None = None,  # Paystack's field name
        meta: Any = None,
        retry_after: float | None = None,
        response: Response | None = None,
        attempts: int = 1,
        endpoint: str | None = None,
        outcome_unknown_reference: str | None = None,
        reason: str | None = None,
        **_: Any,
    ) -> None:
        super().__init__(
            message, attempts=attempts, endpoint=endpoint, outcome_unknown_reference=outcome_unknown_reference
        )
        #: What the refusal means, as the client recognises it from the status, code and message
        #: (Paystack does not always send a code): "duplicate_reference", "not_found",
        #: "rate_limited" or "invalid_key"; None when it is none of these.
        self.reason = reason
        self.status_code = status_code
        #: Paystack's own message, e.g. "Transaction reference not found."
        self.paystack_message = paystack_message if paystack_message is not None else message
        #: Paystack's error code, e.g. "duplicate_reference", "not_found", "rate_limited".
        self.code = code
        #: Paystack's error type: "validation_error", "processor_error" or "api_error".
        self.type = type
        #: Paystack's meta, e.g. {"nextStep": "..."}.
        self.meta = meta
        self.retry_after = retry_after
        #: The error answer as a Response (a dict of the body, with status_code and headers).
        self.response = response

    @property
    def next_step(self) -> str | None:
        """Paystack's advice in meta.nextStep, when it gives one."""
        if isinstance(self.meta, dict):
            step = self.meta.get("nextStep")
            return step if isinstance(step, str) else None
        return None

    def __repr__(self) -> str:
        name = type(self).__name__
        return f"{name}(status_code={self.status_code!r}, message={self.paystack_message!r}, code={self.code!r})"


class AuthenticationError(APIError):
    """401: the secret key is missing, malformed or not valid for this environment."""


class InvalidRequestError(APIError):
    """400 (and other 4xx): Paystack refused the request, e.g. "Duplicate Transaction Reference"."""


class NotFoundError(APIError):
    """404: the batch, transaction or route does not exist."""


class RateLimitError(APIError):
    """429: too many requests; `retry_after` says how many seconds to wait."""


class ServerError(APIError):
    """5xx: Paystack (or a proxy in front of it) failed."""


class APIConnectionError(_CallFailure):
    """The request could not be completed over the network.

    `outcome_unknown_reference` is set when a charge may or may not have gone through: verify
    that reference (Transaction.verify) before charging again.
    """


class Timeout(APIConnectionError, TimeoutError):
    """A timeout expired: `phase` is "connect", "read" or "total"."""

    def __init__(self, message: str = "", *, phase: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.phase = phase


class RecoveryError(APIConnectionError):
    """An attempt's answer was lost, and the lookups that followed could not establish whether it
    went through: the outcome is unknown. `finding` says why (e.g. "no batch holds the charges'
    references"); verify `outcome_unknown_reference` before charging again.
    """

    def __init__(self, message: str = "", *, finding: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.finding = finding


class ValidationError(PaystackError, ValueError):
    """Bad input, caught before anything was sent.

    `errors` lists every problem: dicts with `field`, `index` (the item in a bulk batch, or
    None), `location` (e.g. "charges[3].amount") and `message`.
    """

    def __init__(self, message: str = "", *, errors: list[dict[str, Any]] | None = None, **_: Any) -> None:
        super().__init__(message)
        self.errors: list[dict[str, Any]] = list(errors or [])

    @property
    def fields(self) -> list[str]:
        """The location of each problem, in order."""
        return [e["location"] for e in self.errors]

    @classmethod
    def for_field(
        cls, field: str, message: str, *, index: int | None = None, location: str | None = None
    ) -> ValidationError:
        """One problem with one argument checked in Python (``limit``, ``progress``, ``expected``)."""
        where = location or field
        return cls(
            f"{where}: {message}", errors=[{"field": field, "index": index, "location": where, "message": message}]
        )


class ConfigurationError(PaystackError, ValueError):
    """A client setting is wrong (base URL, timeouts, CA bundle, rate limit)."""


class MissingSecretKeyError(ConfigurationError, AuthenticationError):
    """No secret key was given (or it is empty): a setting to fix, raised before anything is sent.

    Also an ``AuthenticationError``, which is what paystack-rs raised for it before, so code that
    catches that keeps working; ``status_code`` is None since Paystack was never asked.
    """


class SignatureVerificationError(PaystackError, ValueError):
    """A webhook's x-paystack-signature does not match its body."""

    def __init__(self, message: str = "", *, payload: bytes | None = None, **_: Any) -> None:
        super().__init__(message)
        self.payload = payload

"""Clients: `Paystack(secret_key=...)`, and the global one behind `paystack_rs.BulkCharge` /
`paystack_rs.Transaction`, which reads `paystack_rs.api_key` and `paystack_rs.base_url` (or the
PAYSTACK_SECRET_KEY / PAYSTACK_BASE_URL environment variables) at call time."""

from __future__ import annotations

import os
import sys

from . import _core
from ._services import BulkChargeService, RefundService, SettlementService, TransactionService
from ._timeouts import Timeouts
from .errors import ConfigurationError, MissingSecretKeyError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["DEFAULT_BASE_URL", "GlobalRequester", "Paystack", "Timeouts"]

DEFAULT_BASE_URL = "https://api.paystack.co"

_MISSING_KEY = (
    "No Paystack secret key: set paystack_rs.api_key = 'sk_test_...', the PAYSTACK_SECRET_KEY "
    "environment variable, or pass secret_key= to paystack_rs.Paystack()."
)


def _base_url(given: str | None) -> str:
    """The base URL: the one given, else PAYSTACK_BASE_URL, else Paystack's. An empty one is an error
    (the core says so), never a silent fall-back to production."""
    if given is not None:
        return given
    from_env = os.environ.get("PAYSTACK_BASE_URL")
    if from_env is None:
        return DEFAULT_BASE_URL
    if not from_env.strip():
        raise ConfigurationError(
            "PAYSTACK_BASE_URL is set but empty: unset it for https://api.paystack.co, or give the sandbox's URL"
        )
    return from_env


def _split_timeout(
    timeout: float | Timeouts | None, connect: float | None, read: float | None
) -> tuple[float | None, float | None, float | None]:
    if isinstance(timeout, Timeouts):
        return (
            timeout.total,
            connect if connect is not None else timeout.connect,
            read if read is not None else timeout.read,
        )
    return timeout, connect, read


class Paystack:
    """A Paystack client. Thread-safe: share one across threads and asyncio tasks.

    ``client.bulk_charge``, ``client.transaction``, ``client.settlement`` and ``client.refund`` have
    every method of the global ``BulkCharge``, ``Transaction``, ``Settlement`` and ``Refund`` (and each
    method's ``_async`` twin).

    Args:
        secret_key: ``sk_test_...`` or ``sk_live_...`` (default: ``PAYSTACK_SECRET_KEY``).
        base_url: default ``https://api.paystack.co`` (or ``PAYSTACK_BASE_URL``); plain
            ``http://`` is accepted only for loopback hosts such as the sandbox.
        timeout: overall seconds per call, retries included (default 60), or a ``Timeouts``.
        connect_timeout: seconds to establish a connection (default 10).
        read_timeout: seconds to wait for the answer, and between pieces of it (default 30).
        max_retries: retries per call where repeating is safe (default 2).
        rate_limit: keep under a quota: ``"paystack-test"`` (100/60 s), ``"paystack-live"``
            (600/60 s) or ``(requests, seconds)`` in this process; or one quota shared through
            Redis by every process and machine of the integration: a ``RedisRateLimit(url,
            quota=...)`` or a ``"redis://host:6379/0"`` URL (the live quota).
        ca_bundle: a PEM file of extra trusted certificates.
    """

    __slots__ = ("_core", "bulk_charge", "refund", "settlement", "transaction")

    def __init__(
        self,
        secret_key: str | None = None,
        *,
        base_url: str | None = None,
        timeout: float | Timeouts | None = None,
        connect_timeout: float | None = None,
        read_timeout: float | None = None,
        max_retries: int | None = None,
        rate_limit: str | tuple[int, float] | _core.RedisRateLimit | None = None,
        ca_bundle: str | os.PathLike[str] | None = None,
    ) -> None:
        key = secret_key if secret_key is not None else os.environ.get("PAYSTACK_SECRET_KEY")
        if key is None or key == "":
            raise MissingSecretKeyError(_MISSING_KEY)
        url = _base_url(base_url)
        self._core = _core.CoreClient(
            key,
            url,
            timeouts=_split_timeout(timeout, connect_timeout, read_timeout),
            max_retries=max_retries,
            rate_limit=rate_limit,
            ca_bundle=os.fspath(ca_bundle) if ca_bundle is not None else None,
        )
        self.bulk_charge = BulkChargeService(self._core)
        self.transaction = TransactionService(self._core)
        self.settlement = SettlementService(self._core)
        self.refund = RefundService(self._core)

    @property
    def base_url(self) -> str:
        return str(self._core.base_url)

    @property
    def mode(self) -> str:
        """``"test"`` or ``"live"``, from the key's prefix."""
        return str(self._core.mode)

    def __repr__(self) -> str:
        return f"Paystack(base_url={self.base_url!r}, mode={self.mode!r})"

    # Context-manager forms, for code written against clients that must be closed; the
    # connection pool closes itself when the client is garbage-collected.
    def __enter__(self) -> Paystack:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    async def __aenter__(self) -> Paystack:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


class GlobalRequester:
    """Sends the global classes' calls with the module-level settings as they are at call time."""

    __slots__ = ("_cached",)

    def __init__(self) -> None:
        self._cached: tuple[tuple[Any, ...], _core.CoreClient] | None = None

    def core(self) -> _core.CoreClient:
        module = sys.modules["paystack_rs"]
        api_key = getattr(module, "api_key", None)
        settings = (
            api_key if api_key is not None else os.environ.get("PAYSTACK_SECRET_KEY"),
            _base_url(getattr(module, "base_url", None)),
            getattr(module, "timeout", None),
            getattr(module, "max_retries", None),
            getattr(module, "rate_limit", None),
        )
        cached = self._cached
        if cached is not None and cached[0] == settings:
            return cached[1]
        key, url, timeout, max_retries, rate_limit = settings
        if key is None or key == "":
            raise MissingSecretKeyError(_MISSING_KEY)
        core = _core.CoreClient(
            key, url, timeouts=_split_timeout(timeout, None, None), max_retries=max_retries, rate_limit=rate_limit
        )
        self._cached = (settings, core)
        return core

    # What a service sends its calls through (``_services.Requester``), to this call's CoreClient.
    def call(self, *args: Any, **kwargs: Any) -> Any:
        return self.core().call(*args, **kwargs)

    def call_async(self, *args: Any, **kwargs: Any) -> Any:
        return self.core().call_async(*args, **kwargs)

    def __repr__(self) -> str:
        return "the global client (paystack_rs.api_key, paystack_rs.base_url)"

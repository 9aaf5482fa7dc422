"""pypaystack2's ``main_clients``: ``PaystackClient`` and ``AsyncPaystackClient``."""

from __future__ import annotations

import os
from typing import Any

from paystack_rs import webhooks
from paystack_rs._client import Paystack
from paystack_rs._timeouts import Timeouts
from paystack_rs.compat._layout import module_getattr

from ._api import ELSEWHERE
from .exceptions import MissingSecretKeyException
from .sub_clients import (
    AsyncBulkChargeClient,
    AsyncRefundClient,
    AsyncSettlementClient,
    AsyncTransactionClient,
    BulkChargeClient,
    RefundClient,
    SettlementClient,
    TransactionClient,
)

__all__ = [
    "AsyncBulkChargeClient",
    "AsyncPaystackClient",
    "AsyncRefundClient",
    "AsyncSettlementClient",
    "AsyncTransactionClient",
    "BulkChargeClient",
    "PaystackClient",
    "RefundClient",
    "SettlementClient",
    "TransactionClient",
]

__getattr__ = module_getattr(__name__, is_package=False)

# httpx's default, which pypaystack2 keeps: 5 seconds to connect and 5 between bytes of the answer.
_HTTPX_TIMEOUT = 5.0


class _Client:
    def __init__(
        self, secret_key: str | None = None, *, base_url: str | None = None, timeout: float | Timeouts | None = None
    ) -> None:
        key = secret_key or os.environ.get("PAYSTACK_SECRET_KEY")
        if not key:
            raise MissingSecretKeyException(
                "secret key was not provided on client instantiation or set in env variables as `PAYSTACK_SECRET_KEY`",
                status_code=None,
            )
        if timeout is None:
            self._client = Paystack(key, base_url=base_url, connect_timeout=_HTTPX_TIMEOUT, read_timeout=_HTTPX_TIMEOUT)
        else:
            self._client = Paystack(key, base_url=base_url, timeout=timeout)
        self._secret_key = key

    def is_verified_webhook_payload(self, payload: bytes, signature: str) -> bool:
        """Whether ``payload`` was signed by Paystack with this client's key."""
        return webhooks.verify(payload, signature, self._secret_key)

    def __getattr__(self, name: str) -> Any:
        raise AttributeError(ELSEWHERE.format(name=name))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._client.base_url!r})"


class PaystackClient(_Client):
    """pypaystack2's ``PaystackClient``: ``.transactions``, ``.bulk_charges``, ``.settlements``, ``.refunds``.

    Reads ``PAYSTACK_SECRET_KEY`` (and ``PAYSTACK_BASE_URL``, e.g. the sandbox's) unless
    ``secret_key`` (and ``base_url=``) are given.
    """

    def __init__(
        self, secret_key: str | None = None, *, base_url: str | None = None, timeout: float | Timeouts | None = None
    ) -> None:
        super().__init__(secret_key, base_url=base_url, timeout=timeout)
        self.transactions = TransactionClient(self._client, self._secret_key)
        self.bulk_charges = BulkChargeClient(self._client, self._secret_key)
        self.settlements = SettlementClient(self._client, self._secret_key)
        self.refunds = RefundClient(self._client, self._secret_key)


class AsyncPaystackClient(_Client):
    """pypaystack2's ``AsyncPaystackClient``: the same, every method awaited."""

    def __init__(
        self, secret_key: str | None = None, *, base_url: str | None = None, timeout: float | Timeouts | None = None
    ) -> None:
        super().__init__(secret_key, base_url=base_url, timeout=timeout)
        self.transactions = AsyncTransactionClient(self._client, self._secret_key)
        self.bulk_charges = AsyncBulkChargeClient(self._client, self._secret_key)
        self.settlements = AsyncSettlementClient(self._client, self._secret_key)
        self.refunds = AsyncRefundClient(self._client, self._secret_key)

"""Type stubs for the Rust extension ``paystack_rs._core`` (checked by ``mypy.stubtest``)."""

import datetime
import os
from collections.abc import Awaitable, Iterator, Mapping
from typing import Any, final, overload

__all__ = [
    "CURRENCIES",
    "DUPLICATE_REFERENCE_CODE",
    "DUPLICATE_REFERENCE_MESSAGE",
    "MAX_BATCH_SIZE",
    "NOT_FOUND_CODE",
    "REFERENCE_NOT_FOUND_MESSAGE",
    "SANDBOX_DEFAULT_SECRET_KEY",
    "SIGNATURE_HEADER",
    "AsyncBridge",
    "BulkChargeItem",
    "BulkChargeListObject",
    "CallHandle",
    "CoreClient",
    "Headers",
    "ItemReferences",
    "LoopState",
    "PageStream",
    "RedisRateLimit",
    "RowStream",
    "RowTable",
    "SandboxServer",
    "__version__",
    "endpoints",
    "estimated_card_fees",
    "is_paystack_ip",
    "mask_authorization",
    "parse_json",
    "paystack_ips",
    "sandbox_args",
    "sandbox_banner",
    "sandbox_usage",
    "set_log_levels",
    "sign_payload",
    "verify_signature",
]
__version__: str

@final
class CoreClient:
    """A thread-safe Paystack client (the engine behind ``paystack_rs.Paystack``)."""

    def __new__(
        cls,
        secret_key: str,
        base_url: str | None = None,
        *,
        timeout: float | None = None,
        connect_timeout: float | None = None,
        read_timeout: float | None = None,
        max_retries: int | None = None,
        rate_limit: str | tuple[int, float] | RedisRateLimit | None = None,
        ca_bundle: str | os.PathLike[str] | None = None,
        user_agent: str | None = None,
    ) -> CoreClient: ...
    def call(
        self, endpoint: str, params: Mapping[str, Any], timeout: Any = None, max_retries: int | None = None
    ) -> Any: ...
    def call_async(
        self, endpoint: str, params: Mapping[str, Any], timeout: Any = None, max_retries: int | None = None
    ) -> Any: ...
    @property
    def base_url(self) -> str: ...
    @property
    def mode(self) -> str: ...
    @property
    def timeout(self) -> float: ...
    @property
    def max_retries(self) -> int: ...

@final
class PageStream:
    """The pages after a first page, fetched concurrently in order (for ``auto_paging_iter``)."""

    def __new__(
        cls,
        core: CoreClient,
        endpoint: str,
        params: Mapping[str, Any],
        first: Mapping[str, Any],
        *,
        timeout: Any = None,
        max_retries: int | None = None,
        concurrency: int = 8,
        limit: int | None = None,
    ) -> PageStream: ...
    @property
    def first_keep(self) -> list[bool]: ...
    def next_page(self) -> list[Any] | None: ...
    def next_page_async(self) -> Awaitable[list[Any] | None]: ...
    def close(self) -> None: ...

@final
class RowStream:
    """Every page of a list, decoded into reconciliation rows (for ``paystack_rs.reconcile``)."""

    def __new__(
        cls,
        core: CoreClient,
        endpoint: str,
        params: Mapping[str, Any],
        kind: str,
        *,
        batch_code: str | None = None,
        timeout: Any = None,
        max_retries: int | None = None,
        concurrency: int = 8,
        limit: int | None = None,
    ) -> RowStream: ...
    def next_page(self) -> tuple[int, int | None] | None: ...
    def next_page_async(self) -> Awaitable[tuple[int, int | None] | None]: ...
    def table(self) -> RowTable: ...
    def close(self) -> None: ...

@final
class RowTable:
    """Reconciliation rows, column by column."""

    def __new__(cls) -> RowTable: ...
    def __len__(self) -> int: ...
    @staticmethod
    def columns() -> list[str]: ...
    def column(self, name: str) -> list[Any]: ...
    def text_column(self, name: str) -> list[str | None]: ...
    def int_buffers(self, name: str) -> tuple[bytes, bytes]: ...
    def timestamp_buffers(self, name: str) -> tuple[bytes, bytes]: ...
    def text_buffers(self, name: str) -> tuple[bytes, bytes, bytes, int]: ...
    def take(self, indices: list[int]) -> RowTable: ...
    def positions_with_status(self, statuses: list[str]) -> list[int]: ...
    def totals(self) -> list[tuple[str | None, str | None, int, int, int | None, int | None]]: ...
    def missing_fees_window(self) -> tuple[str, str] | None: ...
    def with_fees_from(self, listed: RowTable) -> tuple[RowTable, int]: ...

class PayoutStream:
    def __new__(
        cls,
        core: CoreClient,
        *,
        _from: str | datetime.date | None = None,
        to: str | datetime.date | None = None,
        settlement: int | None = None,
        per_page: int = 100,
        concurrency: int = 8,
        timeout: Any = None,
        max_retries: int | None = None,
    ) -> PayoutStream: ...
    def poll(self, seconds: float) -> tuple[int, int, bool]: ...
    def poll_async(self, seconds: float) -> Awaitable[tuple[int, int, bool]]: ...
    def report(self) -> dict[str, list[tuple[str, str, list[Any]]]]: ...
    def close(self) -> None: ...

@final
class RedisRateLimit:
    """A rate limit shared through Redis by every process and machine of one integration."""

    def __new__(
        cls,
        url: str,
        quota: str | tuple[int, float] | None = None,
        key: str | None = None,
        *,
        on_failure: str | None = None,
        timeout: float | None = None,
        ca_bundle: str | os.PathLike[str] | None = None,
        fallback_quota: str | tuple[int, float] | None = None,
    ) -> RedisRateLimit: ...
    @property
    def url(self) -> str: ...
    @property
    def quota(self) -> tuple[int, float]: ...
    @property
    def fallback_quota(self) -> tuple[int, float]: ...
    @property
    def key(self) -> str | None: ...
    @property
    def on_failure(self) -> str: ...
    @property
    def timeout(self) -> float: ...
    def redis_keys(self, secret_key: str) -> tuple[str, str]: ...

@final
class BulkChargeItem:
    """One charge of a bulk charge batch, checked when built."""

    def __new__(
        cls,
        authorization: str,
        amount: int,
        reference: str | None = None,
        attempt_partial_debit: bool | None = None,
        at_least: int | None = None,
        metadata: Mapping[str, Any] | str | None = None,
    ) -> BulkChargeItem: ...
    @property
    def authorization(self) -> str: ...
    @property
    def amount(self) -> int: ...
    @property
    def reference(self) -> str | None: ...
    @property
    def attempt_partial_debit(self) -> bool | None: ...
    @property
    def at_least(self) -> int | None: ...
    @property
    def metadata(self) -> dict[str, Any] | None: ...
    def to_dict(self) -> dict[str, Any]: ...
    def model_dump(self) -> dict[str, Any]: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class BulkChargeListObject:
    """A batch of at most 1000 charges for ``BulkCharge.initiate``, checked when built."""

    def __new__(cls, charges: Any) -> BulkChargeListObject: ...
    @property
    def charges(self) -> list[BulkChargeItem]: ...
    def __len__(self) -> int: ...
    def to_dict(self) -> dict[str, Any]: ...
    def model_dump(self) -> dict[str, Any]: ...
    @property
    def use_as_list(self) -> list[dict[str, Any]]: ...
    def __eq__(self, value: object, /) -> bool: ...

@final
class SandboxServer:
    """A running sandbox server (see ``paystack_rs.sandbox.Sandbox``)."""

    def __new__(cls, config_json: str) -> SandboxServer: ...
    @property
    def base_url(self) -> str: ...
    @property
    def secret_key(self) -> str: ...
    @property
    def port(self) -> int: ...
    @property
    def running(self) -> bool: ...
    def shutdown(self) -> None: ...

@final
class CallHandle:
    """The task of an async call; ``CallFuture.cancel()`` aborts it (internal)."""

    def abort(self) -> None: ...

@final
class LoopState:
    """Where one asyncio loop's calls deliver their outcome, and their watch (internal)."""

@final
class AsyncBridge:
    """One per asyncio loop: the socket the loop watches for finished calls (internal)."""

    def fileno(self) -> int: ...
    def drain(self) -> None: ...

@final
class Headers:
    """HTTP response headers: a read-only, case-insensitive mapping of names to values."""

    def __getitem__(self, key: str, /) -> str: ...
    @overload
    def get(self, key: str, default: None = None) -> str | None: ...
    @overload
    def get(self, key: str, default: Any) -> Any: ...
    def __contains__(self, key: object, /) -> bool: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[str]: ...
    def keys(self) -> list[str]: ...
    def values(self) -> list[str]: ...
    def items(self) -> list[tuple[str, str]]: ...
    def to_dict(self) -> dict[str, str]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __reduce__(self) -> tuple[Any, tuple[dict[str, str]]]: ...

@final
class ItemReferences:
    """A bulk initiation's item references, in order; ``Response.references`` lists them on use."""

    def to_list(self) -> list[str]: ...
    def __len__(self) -> int: ...

def endpoints() -> list[dict[str, Any]]: ...
def set_log_levels(http: int, retry: int, recovery: int, ratelimit: int) -> None: ...
def mask_authorization(code: str) -> str: ...
def verify_signature(payload: bytes, signature: str, secret_key: str) -> bool: ...
def sign_payload(payload: bytes, secret_key: str) -> str: ...
def is_paystack_ip(ip: str) -> bool: ...
def paystack_ips() -> list[str]: ...
def parse_json(payload: bytes) -> Any: ...

#: The header Paystack puts webhook signatures in (paystack_facts::webhooks::SIGNATURE_HEADER).
SIGNATURE_HEADER: str

# -- facts the command line reads (src/facts.rs) --------------------------------------------
def estimated_card_fees(amounts: list[int], currency: str) -> int: ...

#: The most charges Paystack accepts in one bulk-charge batch.
MAX_BATCH_SIZE: int
#: The currencies Paystack charges in.
CURRENCIES: list[str]
DUPLICATE_REFERENCE_CODE: str
DUPLICATE_REFERENCE_MESSAGE: str
NOT_FOUND_CODE: str
REFERENCE_NOT_FOUND_MESSAGE: str

# -- the sandbox binary's flags (paystack_sandbox::args, src/sandbox.rs) ---------------------
def sandbox_args(args: list[str]) -> str | None: ...
def sandbox_usage(program: str) -> str: ...
def sandbox_banner(base_url: str, config_json: str) -> str: ...

#: The key a sandbox reports unless told otherwise.
SANDBOX_DEFAULT_SECRET_KEY: str

"""Type stubs for the Rust extension ``paystack_rs._core`` (checked by ``mypy.stubtest``)."""

import os
from collections.abc import Mapping
from typing import Any, final

__all__ = [
    "BulkChargeItem",
    "BulkChargeListObject",
    "CoreClient",
    "__version__",
    "endpoints",
    "is_paystack_ip",
    "parse_json",
    "paystack_ips",
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
        rate_limit: str | tuple[int, float] | None = None,
        ca_bundle: str | os.PathLike[str] | None = None,
        user_agent: str | None = None,
    ) -> CoreClient: ...
    def call(
        self, endpoint: int, args: tuple[Any, ...], timeout: float | None = None, max_retries: int | None = None
    ) -> Any: ...
    def call_async(
        self, endpoint: int, args: tuple[Any, ...], timeout: float | None = None, max_retries: int | None = None
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
    def __eq__(self, value: object, /) -> bool: ...

def endpoints() -> list[dict[str, Any]]: ...
def verify_signature(payload: bytes, signature: str, secret_key: str) -> bool: ...
def sign_payload(payload: bytes, secret_key: str) -> str: ...
def is_paystack_ip(ip: str) -> bool: ...
def paystack_ips() -> list[str]: ...
def parse_json(payload: bytes) -> Any: ...

"""The adapters, in table order. Each module imports its library only when an adapter is created."""

from __future__ import annotations

from .base import Adapter, Outcome
from .paystack_rs import PaystackRs
from .paystackapi import PaystackApi
from .paystackease import PaystackEase
from .pypaystack2 import PyPaystack2
from .raw import Aiohttp, Httpx, RequestsSession

__all__ = ["ADAPTERS", "SUBJECT", "Adapter", "Outcome", "by_name"]

ADAPTERS: tuple[type[Adapter], ...] = (
    PaystackRs,
    PyPaystack2,
    PaystackEase,
    PaystackApi,
    RequestsSession,
    Httpx,
    Aiohttp,
)
#: The library being benchmarked; every ratio is this one's rate over another's.
SUBJECT = PaystackRs.name


def by_name(name: str) -> type[Adapter]:
    for adapter in ADAPTERS:
        if adapter.name == name:
            return adapter
    raise KeyError(f"no adapter {name!r} (have: {', '.join(a.name for a in ADAPTERS)})")

"""The workloads: which adapter method each one calls, how (sequential, threads, asyncio), with which
arguments, and the answer every call must return."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from . import fixtures


@dataclass(frozen=True)
class Workload:
    key: str
    title: str
    #: "seq" (one thread, one call at a time), "threads" or "async".
    mode: str
    #: Threads or asyncio tasks calling at once (1 for "seq").
    concurrency: int
    #: The adapter method called.
    method: str
    #: Over HTTPS (nginx's TLS port, the test CA given to every client: tls.py) instead of plain HTTP.
    tls: bool = False

    def args(self) -> tuple[Any, ...]:
        if self.method in ("verify", "verify_async"):
            return (fixtures.VERIFY_REFERENCE,)
        if self.method == "list_page":
            return (fixtures.LIST_PAGE_SIZE,)
        if self.method == "bulk_initiate":
            return (fixtures.bulk_items(),)
        raise ValueError(self.method)

    def wire_request(self) -> tuple[str, str, bytes | None]:
        """What one call puts on the wire (method, path with query, body): what wrk sends as the limit."""
        if self.method in ("verify", "verify_async"):
            return "GET", f"/transaction/verify/{fixtures.VERIFY_REFERENCE}", None
        if self.method == "list_page":
            return "GET", f"/transaction?perPage={fixtures.LIST_PAGE_SIZE}&page=1", None
        if self.method == "bulk_initiate":
            return "POST", "/bulkcharge", json.dumps(fixtures.bulk_items(), separators=(",", ":")).encode()
        raise ValueError(self.method)

    def expected(self) -> tuple[Any, ...]:
        want = fixtures.expected()
        return {
            "verify": want.verify,
            "verify_async": want.verify,
            "list_page": want.list_page,
            "bulk_initiate": want.bulk,
        }[self.method]


WORKLOADS: tuple[Workload, ...] = (
    Workload("verify_seq", "sync verify, sequential", "seq", 1, "verify"),
    Workload("verify_async", "async verify, concurrency 64", "async", 64, "verify_async"),
    Workload("list_page", f"list, {fixtures.LIST_PAGE_SIZE} transactions a page (1.6 MB)", "seq", 1, "list_page"),
    Workload("bulk_initiate", f"bulk initiate, {fixtures.BULK_ITEMS} items", "seq", 1, "bulk_initiate"),
    Workload("verify_threads", "sync verify, 8 threads", "threads", 8, "verify"),
    Workload("verify_tls_seq", "sync verify over HTTPS, sequential", "seq", 1, "verify", tls=True),
    Workload("verify_tls_async", "async verify over HTTPS, concurrency 64", "async", 64, "verify_async", tls=True),
)


def by_key(key: str) -> Workload:
    for workload in WORKLOADS:
        if workload.key == key:
            return workload
    raise KeyError(f"no workload {key!r} (have: {', '.join(w.key for w in WORKLOADS)})")


def supports(adapter: type, workload: Workload) -> bool:
    return workload.key not in adapter.unsupported and workload.method not in adapter.unsupported


def unsupported_reason(adapter: type, workload: Workload) -> str:
    """Why the adapter cannot do the workload (listed under the workload's key or its method)."""
    return adapter.unsupported.get(workload.key) or adapter.unsupported[workload.method]

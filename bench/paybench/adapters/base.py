"""The interface every library's adapter implements.

An adapter makes one call the way a user of that library would (its documented client, default
settings) and hands back a small tuple that the runner compares with ``fixtures.Expected``:

    verify(reference)         -> (status, reference, amount)
    list_page(per_page)       -> (status, number of transactions, first id, last reference)
    bulk_initiate(items)      -> (status, batch_code)      items: plain dicts, validated where the library can
    await verify_async(ref)   -> as verify

Over HTTPS (the TLS workloads) an adapter gets ``ca_bundle``, the path of a PEM bundle, and hands
it to the library through the library's own CA setting (its argument where it has one, else the
environment variable it reads), so every library verifies the server's certificate as it would
against Paystack. Without one it keeps the library's default trust store.

Sync methods may be called from several threads at once on one adapter (the threads workload
shares one client, as an app would). Async methods are called after ``await open_async()``, on
the running loop. A workload an adapter cannot do is listed in ``unsupported`` with the reason.
"""

from __future__ import annotations

from typing import Any, ClassVar

Outcome = tuple[Any, ...]


class Adapter:
    #: The name in tables and on the command line.
    name: ClassVar[str]
    #: The import a user writes, timed in a fresh interpreter (None: no import-time / memory probe).
    import_statement: ClassVar[str | None] = None
    #: The distribution whose version the report prints.
    distribution: ClassVar[str]
    #: "peer" (a Paystack SDK) or "baseline" (raw HTTP, no SDK).
    kind: ClassVar[str] = "peer"
    #: How it is pointed at the local server (shown in the README and the report).
    how_configured: ClassVar[str] = ""
    #: Workload keys this adapter cannot run, with the reason.
    unsupported: ClassVar[dict[str, str]] = {}

    #: How it is given the CA bundle over HTTPS (shown in the report).
    how_ca: ClassVar[str] = ""

    def __init__(self, base_url: str, secret_key: str, ca_bundle: str | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.secret_key = secret_key
        self.ca_bundle = ca_bundle

    def _cannot(self, method: str, *workloads: str) -> NotImplementedError:
        """What a method the library cannot do raises. Each adapter overrides the methods it can
        do; the runner never calls the others (their workloads are listed in ``unsupported``)."""
        reasons = [self.unsupported[w] for w in (*workloads, method) if w in self.unsupported]
        reason = reasons[0] if reasons else "the adapter does not implement it"
        return NotImplementedError(f"{self.name} cannot do {method}: {reason}")

    def verify(self, reference: str) -> Outcome:
        raise self._cannot("verify", "verify_seq", "verify_threads")

    def list_page(self, per_page: int) -> Outcome:
        raise self._cannot("list_page")

    def bulk_initiate(self, items: list[dict[str, Any]]) -> Outcome:
        raise self._cannot("bulk_initiate")

    async def open_async(self) -> None:
        """Create whatever async client the library needs (inside the running loop)."""

    async def verify_async(self, reference: str) -> Outcome:
        raise self._cannot("verify_async")

    async def close_async(self) -> None:
        """Close what ``open_async`` created."""

    def close(self) -> None:
        """Close the sync client."""


def verified(status: Any, data: Any) -> Outcome:
    """The verify outcome from a dict-shaped ``data``."""
    return (status, data["reference"], data["amount"])


def listed(status: Any, data: Any) -> Outcome:
    """The list outcome from a list of dict-shaped transactions."""
    return (status, len(data), data[0]["id"], data[-1]["reference"])


def bulked(status: Any, data: Any) -> Outcome:
    return (status, data["batch_code"])

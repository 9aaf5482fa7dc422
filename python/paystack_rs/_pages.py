"""Every page of a list answer: ``r.auto_paging_iter()`` for ``for`` and ``async for``.

    r = client.transaction.list(status="success", per_page=100)
    for tx in r.auto_paging_iter():                       # every page after this one, in order
        ...
    r = await client.bulk_charge.charges_async(code)
    async for charge in r.auto_paging_iter(limit=500):    # the same object, awaited
        ...

The generated list methods (``BulkCharge.list``, ``BulkCharge.charges``, ``Transaction.list``)
return their first page through the steps of :func:`first_page`, which remember the call that made it; the
iterator repeats that call, every filter unchanged, for the following pages.

The iterator (``_page_iterator.PageIterator``, loaded on first use) runs the Rust core's paging
(crates/paystack-core/src/pager.rs, through ``_core.PageStream``), one definition for ``for`` and
``async for``: the pages after the first
are fetched ``concurrency`` at a time on the core's runtime and handed over in order; the window
of a newest-first list is pinned (``to`` = page 1's newest ``createdAt`` when the caller gave no
``to``), items already yielded are dropped by ``id``, and pages past the first ``pageCount`` are
read while the latest ``meta`` says there are more (docs/paystack-api.md §2.4): nothing is
yielded twice and nothing that existed when the first page was read is missed.
"""

from __future__ import annotations

from ._sansio import Call

TYPE_CHECKING = False  # typing is not imported at run time: it costs milliseconds at import
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from ._sansio import Steps
    from ._timeouts import Timeouts

    CallTimeout = float | Timeouts | None


__all__ = ["DEFAULT_CONCURRENCY", "MAX_CONCURRENCY", "PageCall", "first_page", "page_call"]

#: Pages fetched at once when none is given; each is a request under the client's rate limit.
DEFAULT_CONCURRENCY = 8
#: The most pages fetched at once (each in flight holds a page in memory).
MAX_CONCURRENCY = 64


class PageCall:
    """The call that made a page: which endpoint (``core``: the client's CoreClient; for the global
    classes, the one their settings gave at the first call), with which arguments (``args``, by
    parameter name, as ``CoreClient.call`` takes them), ``timeout`` and ``max_retries``."""

    __slots__ = ("args", "core", "endpoint", "max_retries", "timeout")

    def __init__(
        self, core: Any, endpoint: str, args: Mapping[str, Any], timeout: CallTimeout, max_retries: int | None
    ) -> None:
        self.core, self.endpoint, self.args, self.timeout, self.max_retries = core, endpoint, args, timeout, max_retries

    def __repr__(self) -> str:
        return f"PageCall(endpoint={self.endpoint!r})"


def _pinned_core(requester: Any) -> Any:
    """The CoreClient a requester sends through: the global requester resolves its settings once,
    so that every page of one iteration goes to the same place with the same key."""
    resolve = getattr(requester, "core", None)
    return resolve() if callable(resolve) else requester


def first_page(
    requester: Any,
    endpoint: str,
    params: Mapping[str, Any],
    timeout: CallTimeout,
    max_retries: int | None,
) -> Steps[Any]:
    """Calls a list endpoint and remembers the call on its answer, for ``auto_paging_iter``."""
    core = _pinned_core(requester)
    response = yield Call(core, "call", endpoint, params, timeout, max_retries)
    # Only list answers page; any other answer (an unexpected shape) is returned as it is.
    if hasattr(type(response), "auto_paging_iter"):
        response._page_call = PageCall(core, endpoint, params, timeout, max_retries)
    return response


def page_call(service: Any, method: str, /, *args: Any, **kwargs: Any) -> PageCall:
    """The call ``service.method(*args, **kwargs)`` would make (a list method), not made: the
    arguments bound to their names by the method's own signature, for a stream of its pages."""
    import inspect  # only for reconciliation's streams, never on a call's path

    signature = inspect.signature(getattr(service, method))
    if not str(signature.return_annotation).startswith("ListResponse"):
        raise TypeError(f"{method} is not a list method")
    params = signature.bind(*args, **kwargs).arguments
    timeout = params.pop("timeout", None)
    max_retries = params.pop("max_retries", None)
    endpoint = f"{service._resource}.{method}"
    return PageCall(_pinned_core(service._requester), endpoint, params, timeout, max_retries)

"""Every page of a list answer: ``r.auto_paging_iter()`` for ``for`` and ``async for``.

    r = client.transaction.list(status="success", per_page=100)
    for tx in r.auto_paging_iter():                       # every page after this one, in order
        ...
    r = await client.bulk_charge.charges_async(code)
    async for charge in r.auto_paging_iter(limit=500):    # the same object, awaited
        ...

The generated list methods (``BulkCharge.list``, ``BulkCharge.charges``, ``Transaction.list``)
return their first page through :func:`first_page`, which remembers the call that made it; the
iterator repeats that call, every filter unchanged, for the following pages.

The paging itself is the Rust core's (crates/paystack-core/src/pager.rs, through
``_core.PageStream``), one definition for ``for`` and ``async for``: the pages after the first
are fetched ``concurrency`` at a time on the core's runtime and handed over in order; the window
of a newest-first list is pinned (``to`` = page 1's newest ``createdAt`` when the caller gave no
``to``), items already yielded are dropped by ``id``, and pages past the first ``pageCount`` are
read while the latest ``meta`` says there are more (docs/paystack-api.md §2.4): nothing is
yielded twice and nothing that existed when the first page was read is missed.
"""

from __future__ import annotations

from . import _core

TYPE_CHECKING = False  # typing is not imported at run time: it costs milliseconds at import
if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator
    from typing import Any, Generic

    from typing_extensions import Self, TypeVar

    from ._response import ListResponse
    from ._timeouts import Timeouts

    ItemT = TypeVar("ItemT", default=Any)
else:
    ItemT = None

    class Generic:
        """Run-time stand-in for ``typing.Generic`` (see _response.py)."""

        __slots__ = ()

        def __class_getitem__(cls, item: object) -> type:
            return cls


__all__ = ["PageCall", "PageIterator", "first_page", "first_page_async", "page_call"]

#: Pages fetched at once when none is given; each is a request under the client's rate limit.
DEFAULT_CONCURRENCY = 8
#: The most pages fetched at once (each in flight holds a page in memory).
MAX_CONCURRENCY = 64


class PageCall:
    """The call that made a page: which endpoint, with which arguments, through which client."""

    __slots__ = ("args", "core", "endpoint", "max_retries", "timeout")

    def __init__(
        self,
        core: Any,
        endpoint: int,
        args: tuple[Any, ...],
        timeout: float | Timeouts | None,
        max_retries: int | None,
    ) -> None:
        #: The client's CoreClient (for the global classes: the one their settings gave at the first call).
        self.core = core
        self.endpoint = endpoint
        self.args = args
        self.timeout = timeout
        self.max_retries = max_retries

    def __repr__(self) -> str:
        return f"PageCall(endpoint={self.endpoint!r})"


def _pinned_core(requester: Any) -> Any:
    """The CoreClient a requester sends through: the global requester resolves its settings once,
    so that every page of one iteration goes to the same place with the same key."""
    resolve = getattr(requester, "core", None)
    return resolve() if callable(resolve) else requester


def first_page(
    requester: Any,
    endpoint: int,
    args: tuple[Any, ...],
    timeout: float | Timeouts | None,
    max_retries: int | None,
) -> Any:
    """Calls a list endpoint and remembers the call on its answer, for ``auto_paging_iter``."""
    if isinstance(requester, _Recorder):
        requester.recorded = PageCall(requester.core(), endpoint, args, timeout, max_retries)
        return None
    core = _pinned_core(requester)
    response = core.call(endpoint, args, timeout, max_retries)
    _remember(response, PageCall(core, endpoint, args, timeout, max_retries))
    return response


async def first_page_async(
    requester: Any,
    endpoint: int,
    args: tuple[Any, ...],
    timeout: float | Timeouts | None,
    max_retries: int | None,
) -> Any:
    """The awaitable twin of :func:`first_page`."""
    core = _pinned_core(requester)
    response = await core.call_async(endpoint, args, timeout, max_retries)
    _remember(response, PageCall(core, endpoint, args, timeout, max_retries))
    return response


class _Recorder:
    """Stands in for a service's requester to learn the call a list method would make."""

    __slots__ = ("_requester", "recorded")

    def __init__(self, requester: Any) -> None:
        self._requester = requester
        self.recorded: PageCall | None = None

    def core(self) -> Any:
        return _pinned_core(self._requester)


def page_call(service: Any, method: str, *args: Any, **kwargs: Any) -> PageCall:
    """The call ``service.method(*args, **kwargs)`` would make (a list method), not made: its
    arguments checked and placed by the generated method itself, for a stream of its pages."""
    recorder = _Recorder(service._requester)
    getattr(type(service)(recorder), method)(*args, **kwargs)
    if recorder.recorded is None:
        raise TypeError(f"{method} is not a list method")
    return recorder.recorded


def _remember(response: Any, call: PageCall) -> None:
    # Only list answers page; any other answer (an unexpected shape) is returned as it is.
    if hasattr(type(response), "auto_paging_iter"):
        response._page_call = call


class PageIterator(Generic[ItemT]):
    """The items of a list answer and of every page after it, in order: ``for item in it`` or
    ``async for item in it`` (after an ``_async`` call).

    ``limit`` caps how many items are yielded. The pages are fetched with the call's filters, its
    ``timeout`` and ``max_retries``, under the client's rate limit, ``concurrency`` at a time
    (memory holds that many pages at most). Close it (or leave the loop, or cancel the task) and
    the requests in flight are cancelled.
    """

    __slots__ = ("_async_items", "_call", "_concurrency", "_first", "_items", "_limit", "_stream")

    def __init__(
        self, first: ListResponse[Any, Any], *, limit: int | None = None, concurrency: int | None = None
    ) -> None:
        if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
            raise _validation("limit", f"must be a positive integer or None, not {limit!r}")
        if concurrency is None:
            concurrency = DEFAULT_CONCURRENCY
        if not isinstance(concurrency, int) or isinstance(concurrency, bool) or not 1 <= concurrency <= MAX_CONCURRENCY:
            raise _validation("concurrency", f"must be an integer from 1 to {MAX_CONCURRENCY}, not {concurrency!r}")
        self._first = first
        self._call: PageCall | None = getattr(first, "_page_call", None)
        self._limit = limit
        self._concurrency = concurrency
        self._stream: _core.PageStream | None = None
        self._items: Iterator[ItemT] | None = None
        self._async_items: AsyncIterator[ItemT] | None = None

    def __repr__(self) -> str:
        what = repr(self._call) if self._call is not None else "one page"
        return f"<PageIterator over {what}>"

    def _first_items(self) -> list[Any]:
        """The first page's items to yield; starts fetching the pages after it."""
        data = self._first.get("data")
        items: list[Any] = data if isinstance(data, list) else []
        call = self._call
        if call is None:
            return items[: self._limit]
        self._stream = stream = _core.PageStream(
            call.core,
            call.endpoint,
            call.args,
            self._first,
            timeout=call.timeout,
            max_retries=call.max_retries,
            concurrency=self._concurrency,
            limit=self._limit,
        )
        return [item for item, keep in zip(items, stream.first_keep, strict=True) if keep]

    # -- sync ------------------------------------------------------------------------------

    def __iter__(self) -> Iterator[ItemT]:
        if self._items is None:
            self._items = self._iterate()
        return self._items

    def __next__(self) -> ItemT:
        return next(iter(self))

    def _iterate(self) -> Iterator[ItemT]:
        try:
            yield from self._first_items()
            stream = self._stream
            while stream is not None:
                items = stream.next_page()
                if items is None:
                    break
                yield from items
        finally:
            self._stop()

    # -- async -----------------------------------------------------------------------------

    def __aiter__(self) -> AsyncIterator[ItemT]:
        if self._async_items is None:
            self._async_items = self._iterate_async()
        return self._async_items

    async def __anext__(self) -> ItemT:
        return await self.__aiter__().__anext__()

    async def _iterate_async(self) -> AsyncIterator[ItemT]:
        try:
            for item in self._first_items():
                yield item
            stream = self._stream
            while stream is not None:
                items = await stream.next_page_async()
                if items is None:
                    break
                for item in items:
                    yield item
        finally:
            self._stop()

    def _stop(self) -> None:
        if self._stream is not None:
            self._stream.close()

    def close(self) -> None:
        """Stops: the pages in flight are cancelled and nothing more is fetched."""
        self._stop()
        if self._items is not None:
            self._items.close()  # type: ignore[attr-defined]

    async def aclose(self) -> None:
        """Stops an ``async for``: the pages in flight are cancelled and nothing more is fetched."""
        self._stop()
        if self._async_items is not None:
            await self._async_items.aclose()  # type: ignore[attr-defined]

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


def _validation(field: str, message: str) -> Exception:
    from .errors import ValidationError

    return ValidationError(
        f"{field}: {message}", errors=[{"field": field, "index": None, "location": field, "message": message}]
    )

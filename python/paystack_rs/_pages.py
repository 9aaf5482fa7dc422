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

Consistency while Paystack's data changes (docs/paystack-api.md §2.4: lists are newest first and
paged by offset): a transaction created during the iteration pushes every later one a place
down. So the window is pinned (``to`` = the first page's newest ``createdAt`` when the caller
gave no ``to``), items already yielded are dropped by ``id``, and pages past the first page's
``pageCount`` are fetched while the latest ``meta`` says there are more: nothing is yielded
twice and nothing that existed when the first page was read is missed.
"""

from __future__ import annotations

from . import _core

TYPE_CHECKING = False  # typing is not imported at run time: it costs milliseconds at import
if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator, Mapping
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


__all__ = ["PageCall", "PageIterator", "first_page", "first_page_async"]

#: Pages fetched at once when none is given; each is a request under the client's rate limit.
DEFAULT_CONCURRENCY = 8
#: The most pages fetched at once (each in flight holds a page in memory).
MAX_CONCURRENCY = 64

#: Endpoints whose lists are newest first, so that new items arrive on page 1 and the window is
#: pinned with ``to`` (docs/paystack-api.md T3 and §3.3). A batch's charges are in submission order.
_NEWEST_FIRST = frozenset({"transaction.list", "bulk_charge.list"})


class PageCall:
    """The call that made a page: which endpoint, with which arguments, through which client."""

    __slots__ = ("args", "core", "endpoint", "max_retries", "timeout")

    def __init__(
        self,
        core: Any,
        endpoint: int | str,
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
        return f"PageCall({_endpoint_info(self.endpoint).qualified_name})"


def _pinned_core(requester: Any) -> Any:
    """The CoreClient a requester sends through: the global requester resolves its settings once,
    so that every page of one iteration goes to the same place with the same key."""
    resolve = getattr(requester, "core", None)
    return resolve() if callable(resolve) else requester


def first_page(
    requester: Any,
    endpoint: int | str,
    args: tuple[Any, ...],
    timeout: float | Timeouts | None,
    max_retries: int | None,
) -> Any:
    """Calls a list endpoint and remembers the call on its answer, for ``auto_paging_iter``."""
    core = _pinned_core(requester)
    response = core.call(endpoint, args, timeout, max_retries)
    _remember(response, PageCall(core, endpoint, args, timeout, max_retries))
    return response


async def first_page_async(
    requester: Any,
    endpoint: int | str,
    args: tuple[Any, ...],
    timeout: float | Timeouts | None,
    max_retries: int | None,
) -> Any:
    """The awaitable twin of :func:`first_page`."""
    core = _pinned_core(requester)
    response = await core.call_async(endpoint, args, timeout, max_retries)
    _remember(response, PageCall(core, endpoint, args, timeout, max_retries))
    return response


def _remember(response: Any, call: PageCall) -> None:
    # Only list answers page; any other answer (an unexpected shape) is returned as it is.
    if hasattr(type(response), "auto_paging_iter"):
        response._page_call = call


class _EndpointInfo:
    """What paging needs to know of an endpoint: its name and where its paging arguments sit."""

    __slots__ = ("index", "qualified_name")

    def __init__(self, qualified_name: str, params: list[str]) -> None:
        self.qualified_name = qualified_name
        #: Argument slot of each parameter, by Python name.
        self.index = {name: i for i, name in enumerate(params)}


_ENDPOINTS: dict[int | str, _EndpointInfo] = {}


def _endpoint_info(endpoint: int | str) -> _EndpointInfo:
    if not _ENDPOINTS:
        for number, spec in enumerate(_core.endpoints()):
            name = spec.get("qualified_name") or f"{spec['resource']}.{spec['name']}"
            info = _EndpointInfo(name, [p["name"] for p in spec["params"]])
            _ENDPOINTS[name] = info
            _ENDPOINTS[spec.get("index", number)] = info
    return _ENDPOINTS[endpoint]


def _positive(meta: Mapping[str, Any], key: str) -> int | None:
    """A positive integer of ``meta`` (Paystack may echo ``perPage`` as a string: §2.4)."""
    value = meta.get(key)
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


class _Plan:
    """Which page comes next, and which items of a page are new: the paging rules, written once
    and driven by the sync and the async iterator alike (they only do the fetching)."""

    __slots__ = ("_args", "_call", "_cursor", "_info", "_next_page", "_per_page", "done", "remaining", "seen")

    def __init__(self, first: ListResponse[Any, Any], call: PageCall | None, limit: int | None) -> None:
        self._call = call
        self.seen: set[Any] = set()
        #: Items still to yield (None: no limit).
        self.remaining = limit
        self.done = call is None
        self._cursor: str | None = None
        self._next_page = 0
        self._per_page = 0
        if call is None:
            return
        info = self._info = _endpoint_info(call.endpoint)
        args = list(call.args)
        meta = first.meta if isinstance(first.meta, dict) else {}
        data = first.data if isinstance(first.data, list) else []
        if "next" in meta and "pageCount" not in meta:
            # Cursor pages (use_cursor=True): each page names the next one.
            self._cursor = meta.get("next") if isinstance(meta.get("next"), str) else None
            self.done = self._cursor is None
        else:
            page = _positive(meta, "page") or 1
            self._per_page = _positive(meta, "perPage") or len(data)
            self._next_page = page + 1
            page_count = meta.get("pageCount")
            if isinstance(page_count, int):
                self.done = page >= page_count
            else:
                # No pageCount: a short page is the last one.
                self.done = not data or len(data) < self._per_page
            to = info.index.get("to")
            # Pinned only from page 1: from a later page, the offsets are those of the unpinned list.
            pin = page == 1 and info.qualified_name in _NEWEST_FIRST
            if pin and to is not None and args[to] is None and data:
                newest = max((item.get("createdAt") or "" for item in data if isinstance(item, dict)), default="")
                if newest:
                    args[to] = newest
        self._args = args

    def next_args(self) -> tuple[Any, ...]:
        """The arguments of the next page's call."""
        args = list(self._args)
        index = self._info.index
        if self._cursor is not None:
            args[index["next"]] = self._cursor
        else:
            args[index["page"]] = self._next_page
        return tuple(args)

    def take(self, data: Any) -> list[Any]:
        """The items of a page not yielded before, within the limit."""
        items = data if isinstance(data, list) else []
        fresh: list[Any] = []
        seen = self.seen
        for item in items:
            key = item.get("id") if isinstance(item, dict) else None
            if key is not None:
                if key in seen:
                    continue
                seen.add(key)
            fresh.append(item)
        if self.remaining is not None:
            del fresh[self.remaining :]
            self.remaining -= len(fresh)
            if self.remaining <= 0:
                self.done = True
        return fresh

    def advance(self, page: ListResponse[Any, Any]) -> None:
        """Moves past a fetched page: the next one, or the end."""
        meta = page.meta if isinstance(page.meta, dict) else {}
        data = page.data if isinstance(page.data, list) else []
        if self._cursor is not None:
            cursor = meta.get("next")
            self._cursor = cursor if isinstance(cursor, str) and cursor else None
            self.done = self.done or self._cursor is None or not data
            return
        page_number = self._next_page
        self._next_page += 1
        page_count = meta.get("pageCount")
        if isinstance(page_count, int):
            self.done = self.done or page_number >= page_count or not data
        else:
            self.done = self.done or not data or len(data) < self._per_page


class PageIterator(Generic[ItemT]):
    """The items of a list answer and of every page after it, in order: ``for item in it`` or
    ``async for item in it`` (after an ``_async`` call).

    ``limit`` caps how many items are yielded. The pages are fetched with the call's filters, its
    ``timeout`` and ``max_retries``, under the client's rate limit. Close it (or leave the loop)
    and nothing more is fetched.
    """

    __slots__ = ("_async_items", "_concurrency", "_first", "_items", "_plan")

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
        self._concurrency = concurrency
        self._plan = _Plan(first, getattr(first, "_page_call", None), limit)
        self._items: Iterator[ItemT] | None = None
        self._async_items: AsyncIterator[ItemT] | None = None

    def __repr__(self) -> str:
        call = getattr(self._first, "_page_call", None)
        what = repr(call) if call is not None else "one page"
        return f"<PageIterator over {what}>"

    # -- sync ------------------------------------------------------------------------------

    def __iter__(self) -> Iterator[ItemT]:
        if self._items is None:
            self._items = self._iterate()
        return self._items

    def __next__(self) -> ItemT:
        return next(iter(self))

    def _iterate(self) -> Iterator[ItemT]:
        plan = self._plan
        yield from plan.take(self._first.data)
        call = plan._call
        while not plan.done and call is not None:
            page = call.core.call(call.endpoint, plan.next_args(), call.timeout, call.max_retries)
            items = plan.take(page.get("data"))
            plan.advance(page)
            yield from items

    # -- async -----------------------------------------------------------------------------

    def __aiter__(self) -> AsyncIterator[ItemT]:
        if self._async_items is None:
            self._async_items = self._iterate_async()
        return self._async_items

    async def __anext__(self) -> ItemT:
        return await self.__aiter__().__anext__()

    async def _iterate_async(self) -> AsyncIterator[ItemT]:
        plan = self._plan
        for item in plan.take(self._first.data):
            yield item
        call = plan._call
        while not plan.done and call is not None:
            page = await call.core.call_async(call.endpoint, plan.next_args(), call.timeout, call.max_retries)
            items = plan.take(page.get("data"))
            plan.advance(page)
            for item in items:
                yield item

    def close(self) -> None:
        """Stops: nothing more is fetched."""
        self._plan.done = True
        if self._items is not None:
            close = getattr(self._items, "close", None)
            if close is not None:
                close()

    async def aclose(self) -> None:
        """Stops an ``async for``: nothing more is fetched."""
        self._plan.done = True
        if self._async_items is not None:
            close = getattr(self._async_items, "aclose", None)
            if close is not None:
                await close()

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

"""``PageIterator``: what ``ListResponse.auto_paging_iter()`` returns (see ``_pages``). Loaded on
first use, so ``import paystack_rs`` does not pay for it."""

from __future__ import annotations

from . import _core
from ._pages import DEFAULT_CONCURRENCY, MAX_CONCURRENCY
from ._sansio import Call, Items, iterate, iterate_async
from .errors import ValidationError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator
    from typing import Any, Generic

    from typing_extensions import Self, TypeVar

    from ._pages import PageCall
    from ._response import ListResponse
    from ._sansio import ItemSteps

    ItemT = TypeVar("ItemT", default=Any)
else:
    ItemT = None

    class Generic:
        """Run-time stand-in for ``typing.Generic`` (see _response.py)."""

        __slots__ = ()

        def __class_getitem__(cls, item: object) -> type:
            return cls


__all__ = ["PageIterator"]


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
            raise ValidationError.for_field("limit", f"must be a positive integer or None, not {limit!r}")
        if concurrency is None:
            concurrency = DEFAULT_CONCURRENCY
        if not isinstance(concurrency, int) or isinstance(concurrency, bool) or not 1 <= concurrency <= MAX_CONCURRENCY:
            message = f"must be an integer from 1 to {MAX_CONCURRENCY}, not {concurrency!r}"
            raise ValidationError.for_field("concurrency", message)
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

    def _pages(self) -> ItemSteps:
        """The iteration, once for ``for`` and ``async for`` (``_sansio``): the first page's items,
        then each next page's, until the stream has no more."""
        try:
            yield Items(self._first_items())
            stream = self._stream
            while stream is not None:
                items = yield Call(stream, "next_page")
                if items is None:
                    break
                yield Items(items)
        finally:
            self._stop()

    def __iter__(self) -> Iterator[ItemT]:
        if self._items is None:
            self._items = iterate(self._pages())
        return self._items

    def __next__(self) -> ItemT:
        return next(iter(self))

    def __aiter__(self) -> AsyncIterator[ItemT]:
        if self._async_items is None:
            self._async_items = iterate_async(self._pages())
        return self._async_items

    async def __anext__(self) -> ItemT:
        return await self.__aiter__().__anext__()

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

"""The answer of a call: a dict of Paystack's JSON envelope, with the HTTP details beside it."""

from __future__ import annotations

from ._core import Headers

TYPE_CHECKING = False  # typing is not imported at run time: it costs milliseconds at import
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any, Generic

    from typing_extensions import TypeVar  # PEP 696 defaults (a type checker's stub is enough)

    from ._core import ItemReferences
    from ._page_iterator import PageIterator
    from ._pages import PageCall
    from .types import PageMeta

    _Dict = dict[str, Any]
    #: What ``Response.data`` holds; a bare ``Response`` is ``Response[Any]``.
    DataT_co = TypeVar("DataT_co", default=Any, covariant=True)
    #: An entry of a list answer's ``data``.
    ItemT_co = TypeVar("ItemT_co", default=Any, covariant=True)
    #: What a list answer's ``meta`` holds.
    MetaT_co = TypeVar("MetaT_co", bound=Mapping[str, Any], default=PageMeta, covariant=True)
else:
    # collections.abc's ABCs are _collections_abc's, which the interpreter has loaded at start-up
    # (os imports it); importing collections.abc itself would load all of collections, ~3 ms.
    from _collections_abc import Mapping

    _Dict = dict
    DataT_co = ItemT_co = MetaT_co = None

    class Generic:
        """Run-time stand-in for ``typing.Generic``: ``Response[Transaction]`` is for type
        checkers, and at run time is ``Response`` itself."""

        __slots__ = ()

        def __class_getitem__(cls, item: object) -> type:
            return cls


__all__ = ["Headers", "ListResponse", "Response"]

# Headers is a read-only, case-insensitive mapping implemented in Rust.
Mapping.register(Headers)


class Response(_Dict, Generic[DataT_co]):
    """Paystack's answer: ``{"status": True, "message": ..., "data": ..., "meta": ...}``.

    It is a ``dict``, so ``r["data"]``, ``pprint(r)`` and ``json.dumps(r)`` work as usual, and it
    carries ``status_code``, ``headers`` and how the call went (``attempts``, ``recovered``,
    ``reference``/``references``: the references the call carried, generated when not given).

    ``Response[T]`` says what ``data`` holds: each method's annotation names it, e.g.
    ``Transaction.verify`` returns a ``Response[paystack_rs.types.Transaction]``, so type checkers
    know ``r.data["amount"]`` is an ``int``. List answers are a ``ListResponse``.
    """

    __slots__ = ("_references", "attempts", "headers", "recovered", "reference", "status_code")

    status_code: int
    headers: Mapping[str, str]
    attempts: int
    recovered: bool
    reference: str | None
    _references: list[str] | ItemReferences

    def __init__(
        self,
        body: Any = None,
        status_code: int = 200,
        headers: Mapping[str, str] | None = None,
        attempts: int = 1,
        recovered: bool = False,
        reference: str | None = None,
        references: list[str] | ItemReferences | None = None,
    ) -> None:
        super().__init__(body if isinstance(body, dict) else {})
        self.status_code = status_code
        self.headers = headers if headers is not None else {}
        self.attempts = attempts
        self.recovered = recovered
        self.reference = reference
        self._references = references if references is not None else []

    @property
    def references(self) -> list[str]:
        """The item references a bulk initiation carried, in order (given or generated)."""
        references = self._references
        if not isinstance(references, list):
            # Built on first use (see ItemReferences).
            references = self._references = references.to_list()
        return references

    @references.setter
    def references(self, value: list[str]) -> None:
        self._references = value

    @property
    def status(self) -> bool:
        """Paystack's ``status``: True on success."""
        return bool(self.get("status", False))

    @property
    def message(self) -> str:
        """Paystack's ``message``, e.g. "Verification successful"."""
        message = self.get("message")
        return message if isinstance(message, str) else ""

    @property
    def data(self) -> DataT_co:
        """Paystack's ``data``: a dict, a list of dicts, or None (pause and resume have none)."""
        value: Any = self.get("data")
        data: DataT_co = value
        return data

    @property
    def meta(self) -> Mapping[str, Any] | None:
        """Pagination of list answers: total, skipped, perPage, page, pageCount (or next/previous)."""
        meta = self.get("meta")
        return meta if isinstance(meta, dict) else None

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            type(self),
            (
                dict(self),
                self.status_code,
                self.headers,
                self.attempts,
                self.recovered,
                self.reference,
                self.references,
            ),
        )

    def __copy__(self) -> Response[DataT_co]:
        return type(self)(
            dict(self),
            self.status_code,
            dict(self.headers),
            self.attempts,
            self.recovered,
            self.reference,
            list(self.references),
        )


class ListResponse(Response[list[ItemT_co]], Generic[ItemT_co, MetaT_co]):
    """The answer of a list endpoint (``BulkCharge.list``, ``BulkCharge.charges``, ``Transaction.list``):
    ``data`` is a list of ``ItemT_co`` and ``meta`` is its pagination (a ``PageMeta``, or for
    ``Transaction.list(use_cursor=True)`` a ``CursorMeta``)."""

    __slots__ = ("_page_call",)

    _page_call: PageCall

    @property
    def meta(self) -> MetaT_co:
        """The page this is: total, skipped, perPage, page, pageCount (or next/previous/perPage)."""
        value: Any = self.get("meta") or {}
        meta: MetaT_co = value
        return meta

    def auto_paging_iter(self, *, limit: int | None = None, concurrency: int | None = None) -> PageIterator[ItemT_co]:
        """The items of this page and of every page after it, in order, for ``for`` and (after an
        ``_async`` call) ``async for``: the same call, every filter kept, page after page.

        ``limit`` caps the items yielded. When ``meta`` gives ``pageCount``, the following pages are
        fetched ``concurrency`` at a time (default 8; under the client's rate limit and retries) and
        yielded in order. Items created while iterating are not yielded twice and push nothing out
        (see ``paystack_rs._pages``). A Response made by hand, or unpickled, yields its own page only.
        """
        from ._page_iterator import PageIterator

        pages: PageIterator[ItemT_co] = PageIterator(self, limit=limit, concurrency=concurrency)
        return pages

    def __copy__(self) -> ListResponse[ItemT_co, MetaT_co]:
        copied: ListResponse[ItemT_co, MetaT_co] = super().__copy__()  # type: ignore[assignment]
        call = getattr(self, "_page_call", None)
        if call is not None:
            copied._page_call = call
        return copied

    def _repr_html_(self) -> str:
        """Jupyter's rendering: the items as a table, the page's meta beneath."""
        from ._html import list_response_html

        return list_response_html(self)

"""The answer of a call: a dict of Paystack's JSON envelope, with the HTTP details beside it."""

from __future__ import annotations

from collections.abc import Mapping

from ._core import Headers

TYPE_CHECKING = False  # typing is not imported at run time: it costs milliseconds at import
if TYPE_CHECKING:
    from typing import Any

    from ._core import ItemReferences

    _Dict = dict[str, Any]
else:
    _Dict = dict

__all__ = ["Headers", "Response"]

# Headers is a read-only, case-insensitive mapping implemented in Rust.
Mapping.register(Headers)


class Response(_Dict):
    """Paystack's answer: ``{"status": True, "message": ..., "data": ..., "meta": ...}``.

    It is a ``dict``, so ``r["data"]``, ``pprint(r)`` and ``json.dumps(r)`` work as usual, and it
    carries ``status_code``, ``headers`` and how the call went (``attempts``, ``recovered``,
    ``reference``/``references``: the references the call carried, generated when not given).
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
    def data(self) -> Any:
        """Paystack's ``data``: a dict, a list of dicts, or None (pause and resume have none)."""
        return self.get("data")

    @property
    def meta(self) -> dict[str, Any] | None:
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

    def __copy__(self) -> Response:
        return Response(
            dict(self),
            self.status_code,
            dict(self.headers),
            self.attempts,
            self.recovered,
            self.reference,
            list(self.references),
        )

"""A charge file: the CSV an operator charges with ``paystack-rs bulk-charge FILE.csv``, and the
one reader of expected charges (``reconcile``'s ``expected="charges.csv"``).

One row per charge, a header naming the columns::

    authorization,amount,reference,metadata.invoice
    AUTH_8dfhjjdt,500000,,INV-1001
    AUTH_f5rnfq9p,250000,aug-rent-42,INV-1002

``authorization`` and ``amount`` (an integer in the subunit: kobo for NGN) are required;
``reference``, ``attempt_partial_debit``, ``at_least`` and ``metadata`` (a JSON object) are
Paystack's optional fields; a column ``metadata.NAME`` adds ``NAME`` to the row's metadata. Every
row is checked by the core's rules for a bulk charge (``BulkChargeItem``) before anything is sent,
and every problem is reported with its line.

A row without a reference is given one by the core's row identity (``_core.ChargeFinder``, the
rule in docs/cli.md): which of the run's earlier charges it is, or the next free slot of its card.
The core reads and checks the rows (``_core.read_charge_file``); this module opens the file and
builds its objects, deciding nothing about Paystack.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import _core

if TYPE_CHECKING:
    from collections.abc import Callable

    from ._client import Paystack


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: its line (1 is the header), the column, what is wrong."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.message}" if self.field else f"line {self.line}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "field": self.field, "message": self.message}


class InvalidFile(Exception):
    """The file cannot be charged; ``problems`` lists every problem found."""

    def __init__(self, path: str, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: {len(problems)} problem(s)")


@dataclass
class Row:
    """One charge of the file: its line and the item sent to Paystack (its ``reference`` only
    when the file gives one)."""

    line: int
    item: dict[str, Any]

    @property
    def given_reference(self) -> str | None:
        reference = self.item.get("reference")
        return str(reference) if reference else None

    @property
    def authorization(self) -> str:
        return str(self.item.get("authorization") or "")

    @property
    def amount(self) -> int:
        return int(self.item["amount"])

    def identity(self) -> tuple[int, str, int, str | None]:
        """What the core's row identity reads: (line, authorization, amount, reference or None)."""
        return (self.line, self.authorization, self.amount, self.given_reference)


@dataclass
class ChargeFile:
    path: str
    #: The run's name in derived references (``--run``, or the file's name without extension).
    name: str
    rows: list[Row] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(row.amount for row in self.rows)

    @property
    def cards(self) -> int:
        """Distinct cards (authorizations): the customers charged."""
        return len({row.authorization for row in self.rows})

    @property
    def without_reference(self) -> int:
        return sum(1 for row in self.rows if row.given_reference is None)


def run_name(path: str, run: str | None = None) -> str:
    """The run name derived references start with: ``run``, or the file's name without its
    extension (the core's ``run_name`` keeps the bulk-reference charset)."""
    return _core.charge_file_run_name(path, run)


def read(
    path: str, *, run: str | None = None, require_authorization: bool = True, other_columns: bool = False
) -> ChargeFile:
    """Reads and checks a charge file; raises ``InvalidFile`` with every problem found.

    ``require_authorization=False`` reads an expected-charges file for reconciliation, where a row
    may give its reference instead of an authorization; ``other_columns=True`` ignores columns
    that are not a charge's (an export's ``email``, say) instead of refusing them. The reading and
    every check are the core's (``paystack_core::semantics::charge_file``); this reads the file.
    """
    try:
        handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise InvalidFile(path, [Problem(0, "", f"cannot read {path}: {exc.strerror or exc}")]) from None
    with handle:
        try:
            text = "".join(handle)  # line by line, as the file was always decoded
        except UnicodeDecodeError as exc:
            raise InvalidFile(path, [Problem(0, "", f"not a CSV file in UTF-8: {exc}")]) from None
    rows, problems = _core.read_charge_file(
        text, require_authorization=require_authorization, other_columns=other_columns
    )
    if problems:
        raise InvalidFile(path, [Problem(line, field, message) for line, field, message in problems])
    return ChargeFile(path=path, name=run_name(path, run), rows=[Row(line, item) for line, item in rows])


# -- what the run already charged ---------------------------------------------------------------


def plan(client: Paystack, charges: ChargeFile, *, on_lookup: Callable[[int], None] | None = None) -> dict[str, Any]:
    """The core's plan of a run of ``charges`` (``_core.ChargeFinder``): the lookups it asks for
    (verify a reference, read a page of a batch's charges) made with ``client``, then each row's
    decision. Nothing is charged. ``on_lookup(n)`` hears of each lookup (n so far)."""
    from .errors import APIError

    finder = _core.ChargeFinder(charges.name, [row.identity() for row in charges.rows])
    while (lookup := finder.next_lookup()) is not None:
        kind, key, page = lookup
        if kind == "verify":
            try:
                data = client.transaction.verify(key).data
            except APIError as exc:
                if not finder.failed(key, exc.status_code or 0, exc.code, exc.paystack_message):
                    raise
            else:
                finder.found(key, data)
        else:
            answer = client.bulk_charge.charges(key, per_page=finder.PER_PAGE, page=page)
            meta = answer.meta if isinstance(answer.meta, dict) else {}
            count = meta.get("pageCount")
            finder.page(key, page, answer.data, count if isinstance(count, int) else None)
        if on_lookup is not None:
            on_lookup(finder.lookups)
    result: dict[str, Any] = finder.plan()
    return result


def batch_of(client: Paystack, reference: str) -> str | None:
    """The batch holding the charge ``reference``, or None when Paystack does not know the
    reference (or the charge is not a bulk charge). Paystack's rules (what "not known" looks like,
    where a transaction names its batch) are the core's."""
    from .errors import APIError

    try:
        transaction = client.transaction.verify(reference).data
    except APIError as exc:
        if exc.reason == "not_found":  # the core's reading of the refusal
            return None
        raise
    return _core.batch_code_of(transaction)

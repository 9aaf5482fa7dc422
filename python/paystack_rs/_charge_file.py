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
This module only reads and checks; it decides nothing about Paystack.
"""

from __future__ import annotations

import csv
import json
import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import _core
from .errors import ValidationError

if TYPE_CHECKING:
    from collections.abc import Callable

    from ._client import Paystack

#: The columns Paystack's bulk charge item has (docs/paystack-api.md §3.1), in the order shown.
COLUMNS = ("authorization", "amount", "reference", "attempt_partial_debit", "at_least", "metadata")
#: Other names accepted for a column.
ALIASES = {"authorization_code": "authorization"}
METADATA_PREFIX = "metadata."

_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


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
    return _core.run_name(run if run is not None else os.path.splitext(os.path.basename(path))[0])


def read(path: str, *, run: str | None = None, require_authorization: bool = True) -> ChargeFile:
    """Reads and checks a charge file; raises ``InvalidFile`` with every problem found.

    ``require_authorization=False`` reads an expected-charges file for reconciliation, where a row
    may give its reference instead of an authorization.
    """
    try:
        handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115 (closed below)
    except OSError as exc:
        raise InvalidFile(path, [Problem(0, "", f"cannot read {path}: {exc.strerror or exc}")]) from None
    with handle:
        try:
            records = list(csv.reader(handle))
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InvalidFile(path, [Problem(0, "", f"not a CSV file in UTF-8: {exc}")]) from None
    charge_file = ChargeFile(path=path, name=run_name(path, run))
    problems: list[Problem] = []
    # The header is the first non-empty line; csv.reader gives [] for an empty line.
    start = next((i for i, record in enumerate(records) if any(cell.strip() for cell in record)), None)
    if start is None:
        raise InvalidFile(path, [Problem(1, "", "the file is empty (a header line naming the columns comes first)")])
    columns = _columns(records[start], start + 1, problems, require_authorization)
    if problems:
        raise InvalidFile(path, problems)
    first_line_of: dict[str, int] = {}
    for number, record in enumerate(records[start + 1 :], start=start + 2):
        if not any(cell.strip() for cell in record):
            continue
        row, bad_fields = _row(record, columns, number, problems)
        if row is None:
            continue
        reference = row.given_reference
        if reference is None and "authorization" not in row.item:
            if "authorization" not in bad_fields:  # else that is the problem already reported
                problems.append(Problem(number, "reference", "is required when the row has no authorization"))
            continue
        if reference is not None:
            first = first_line_of.setdefault(reference, number)
            if first != number:
                problems.append(Problem(number, "reference", f"{reference!r} is also the reference on line {first}"))
                continue
        if require_authorization and not _checked(row, problems, bad_fields):
            continue
        if not bad_fields:
            charge_file.rows.append(row)
    if not problems and not charge_file.rows:
        problems.append(Problem(start + 1, "", "no charges: the file has a header and no rows"))
    if problems:
        problems.sort(key=lambda p: p.line)
        raise InvalidFile(path, problems)
    return charge_file


def _columns(header: list[str], line: int, problems: list[Problem], require_authorization: bool) -> list[str]:
    names = []
    for cell in header:
        name = cell.strip().lower().replace(" ", "_")
        if name.startswith(METADATA_PREFIX):
            # Your own metadata keys keep their spelling.
            name = METADATA_PREFIX + cell.strip()[len(METADATA_PREFIX) :].strip()
        names.append(ALIASES.get(name, name))
    if len(names) == 1 and ";" in names[0]:
        problems.append(Problem(line, "", "the columns are separated by ';': save the file as CSV with commas"))
        return names
    for index, name in enumerate(names):
        if name.startswith(METADATA_PREFIX) and len(name) > len(METADATA_PREFIX):
            continue
        if name in COLUMNS:
            continue
        known = ", ".join(COLUMNS)
        shown = header[index].strip()
        if not shown:
            problems.append(Problem(line, "", f"column {index + 1} has no name"))
        elif shown.upper().startswith("AUTH_"):
            problems.append(Problem(line, "", f"the first line must name the columns ({known}), not be a charge"))
            return names
        else:
            problems.append(
                Problem(line, "", f"unknown column {shown!r}: the columns are {known} and metadata.NAME for your own")
            )
    for index, name in enumerate(names):
        if name in names[:index]:
            problems.append(Problem(line, "", f"column {name!r} appears twice"))
    required = ("authorization", "amount") if require_authorization else ("amount",)
    for name in required:
        if name not in names:
            problems.append(Problem(line, "", f"no {name!r} column (the header is {', '.join(header)})"))
    if not require_authorization and "authorization" not in names and "reference" not in names:
        problems.append(Problem(line, "", "a 'reference' or an 'authorization' column is needed to match charges"))
    return names


def _row(record: list[str], columns: list[str], line: int, problems: list[Problem]) -> tuple[Row | None, set[str]]:
    """The row's item (without the cells that are wrong) and the columns found wrong: the rest of
    the row is still checked, so every problem of the file is listed at once."""
    if len(record) > len(columns) and any(cell.strip() for cell in record[len(columns) :]):
        problems.append(Problem(line, "", f"{len(record)} values for {len(columns)} columns"))
        return None, set()
    item: dict[str, Any] = {}
    found: list[Problem] = []
    metadata: dict[str, Any] = {}
    for name, raw in zip(columns, record, strict=False):
        value = raw.strip()
        if not value:
            continue
        if name.startswith(METADATA_PREFIX):
            metadata[name[len(METADATA_PREFIX) :]] = value
        elif name in ("amount", "at_least"):
            number = _integer(value)
            if number is None:
                found.append(Problem(line, name, _not_an_integer(value)))
            else:
                item[name] = number
        elif name == "attempt_partial_debit":
            if value.lower() in _TRUE:
                item[name] = True
            elif value.lower() in _FALSE:
                item[name] = False
            else:
                found.append(Problem(line, name, f"must be true or false, not {value!r}"))
        elif name == "metadata":
            try:
                parsed = json.loads(value)
            except ValueError:
                parsed = None
            if not isinstance(parsed, dict):
                found.append(Problem(line, name, 'must be a JSON object, e.g. {"invoice": "INV-1"}'))
            else:
                item[name] = parsed
        else:
            item[name] = value
    if metadata:
        given = item.setdefault("metadata", {})
        for key, value in metadata.items():
            if key in given:
                found.append(Problem(line, f"metadata.{key}", "is also in the metadata column"))
            given[key] = value
    for name in ("authorization", "amount"):
        if name in columns and name not in item and not any(p.field == name for p in found):
            found.append(Problem(line, name, "is required"))
    problems.extend(found)
    return Row(line, item), {p.field.split(".")[0] for p in found}


def _checked(row: Row, problems: list[Problem], bad_fields: set[str]) -> bool:
    """The core's rules for one bulk-charge item; its problems, with the row's line (those of
    columns already found wrong, or missing because they were, are not repeated)."""
    item = dict(row.item)
    # A stand-in for a required cell already reported, so the core still checks the others.
    for name, stand_in in (("authorization", "AUTH_stand_in"), ("amount", 1)):
        if name in bad_fields:
            item[name] = stand_in
    try:
        _core.BulkChargeItem(**item)
    except ValidationError as exc:
        for error in exc.errors or [{"field": "", "message": str(exc)}]:
            field = str(error.get("field") or "")
            if field.split(".", maxsplit=1)[0] not in bad_fields:
                problems.append(Problem(row.line, field, str(error.get("message"))))
        return False
    return True


def _integer(value: str) -> int | None:
    return int(value) if re.fullmatch(r"[0-9]+", value) else None


def _not_an_integer(value: str) -> str:
    if re.fullmatch(r"[0-9]+[.,][0-9]{1,2}", value):
        return f"must be a whole number in the subunit (kobo for NGN, so 5000.50 is 500050), not {value!r}"
    if re.fullmatch(r"[0-9]{1,3}(,[0-9]{3})+", value):
        return f"must be written without thousands separators, not {value!r}"
    if value.startswith("-"):
        return f"must be a positive integer in the subunit, not {value!r}"
    return f"must be an integer in the subunit (kobo for NGN), not {value!r}"


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
        if _core.error_reason(exc.status_code or 0, exc.code, exc.paystack_message) == "not_found":
            return None
        raise
    return _core.batch_code_of(transaction)

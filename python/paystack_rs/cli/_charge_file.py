"""A charge file: the CSV an operator charges with ``paystack-rs bulk-charge FILE.csv``.

One row per charge, a header naming the columns::

    authorization,amount,reference,metadata.invoice
    AUTH_8dfhjjdt,500000,,INV-1001
    AUTH_f5rnfq9p,250000,aug-rent-42,INV-1002

``authorization`` and ``amount`` (an integer in the subunit: kobo for NGN) are required;
``reference``, ``attempt_partial_debit``, ``at_least`` and ``metadata`` (a JSON object) are
Paystack's optional fields; a column ``metadata.NAME`` adds ``NAME`` to the row's metadata. Every
row is checked by the core's rules for a bulk charge (``BulkChargeItem``) before anything is sent,
and every problem is reported with its line.

References. A row without one gets a reference derived from the file and the row, never random,
so running the same file again asks Paystack for the same references and nothing is charged
twice. What identifies a row is (the run's name, its authorization, how many rows above it have
the same authorization):

- the run's name is the file's name without its extension (``--run`` sets another): a copy of
  the file in another folder, or the same file edited, is the same run;
- the authorization, not the amount: fixing a typo in an amount, sorting the file, or adding and
  removing other rows gives no already-charged row a new reference (the corrected row is refused
  by Paystack as a duplicate, and reported, instead of being charged a second time);
- a new run of the same customers (next month's file under the same name) needs a new name:
  ``--run 2024-09``, or a new file name.

The file's content hash was rejected as the identity: editing one cell would give every row a new
reference, and re-running the corrected file would charge everyone again.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from typing import Any

from .. import _core
from ..errors import ValidationError

#: The columns Paystack's bulk charge item has (docs/paystack-api.md §3.1), in the order shown.
COLUMNS = ("authorization", "amount", "reference", "attempt_partial_debit", "at_least", "metadata")
#: Other names accepted for a column.
ALIASES = {"authorization_code": "authorization"}
METADATA_PREFIX = "metadata."
#: The longest run name kept in a reference (the rest of the reference is the row's digest).
MAX_NAME = 40
#: Hex digits of the row's digest in a derived reference (64 bits: no two rows of a file collide).
DIGEST_CHARS = 16
#: Bumped only if the derivation changes: a changed derivation would charge re-run files again.
DERIVATION = "paystack-rs bulk-charge reference v1"

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
    """One charge of the file: its line and the item sent to Paystack."""

    line: int
    item: dict[str, Any]
    derived: bool = False

    @property
    def reference(self) -> str:
        return str(self.item["reference"])

    @property
    def authorization(self) -> str:
        return str(self.item["authorization"])

    @property
    def amount(self) -> int:
        return int(self.item["amount"])


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
    def derived(self) -> int:
        return sum(1 for row in self.rows if row.derived)

    def batches(self) -> list[list[Row]]:
        """The rows in file order, in batches of at most the size Paystack accepts."""
        size = _core.MAX_BATCH_SIZE
        return [self.rows[i : i + size] for i in range(0, len(self.rows), size)]

    def by_reference(self) -> dict[str, Row]:
        return {row.reference: row for row in self.rows}


def run_name(path: str, run: str | None = None) -> str:
    """The name derived references start with: ``run``, or the file's name without its extension,
    in the bulk-reference charset (lowercase letters, digits, ``-``, ``_``)."""
    raw = run if run is not None else os.path.splitext(os.path.basename(path))[0]
    name = re.sub(r"[^a-z0-9_-]+", "-", raw.strip().lower())
    name = re.sub(r"-{2,}", "-", name).strip("-_")[:MAX_NAME].strip("-_")
    return name or "charges"


def derive_reference(name: str, authorization: str, occurrence: int) -> str:
    """The reference of the ``occurrence``-th row (from 0) of ``authorization`` in run ``name``."""
    text = "\x1f".join((DERIVATION, name, authorization, str(occurrence)))
    return f"{name}-{hashlib.sha256(text.encode()).hexdigest()[:DIGEST_CHARS]}"


def read(path: str, *, run: str | None = None, require_authorization: bool = True) -> ChargeFile:
    """Reads and checks a charge file; raises ``InvalidFile`` with every problem found.

    ``require_authorization=False`` reads an expected-charges file for reconciliation, where a row
    may give its reference instead of the authorization it is derived from.
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
    seen_authorizations: dict[str, int] = {}
    first_line_of: dict[str, int] = {}
    for number, record in enumerate(records[start + 1 :], start=start + 2):
        if not any(cell.strip() for cell in record):
            continue
        row, bad_fields = _row(record, columns, number, problems)
        if row is None:
            continue
        authorization = row.item.get("authorization")
        if isinstance(authorization, str):
            occurrence = seen_authorizations.get(authorization, 0)
            seen_authorizations[authorization] = occurrence + 1
            if "reference" not in row.item:
                row.item["reference"] = derive_reference(charge_file.name, authorization, occurrence)
                row.derived = True
        if "reference" not in row.item:
            if "authorization" not in bad_fields:  # else that is the problem already reported
                problems.append(Problem(number, "reference", "is required when the row has no authorization"))
            continue
        first = first_line_of.setdefault(row.reference, number)
        if first != number:
            problems.append(Problem(number, "reference", f"{row.reference!r} is also the reference on line {first}"))
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

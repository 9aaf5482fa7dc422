"""Reconciliation: what a batch, or a period of transactions, really charged, as one table.

    import paystack_rs as paystack

    report = paystack.reconcile.batch("BCH_...", expected="charges.csv")
    report                       # in Jupyter: the totals and the first rows; in a REPL: a summary
    report.totals                # {"success": {"NGN": {"count", "amount", "fees", "net"}}, ...}
    report.failed.to_pandas()    # the failed charges with Paystack's gateway_response
    report.missing               # expected references Paystack never charged
    retry = report.retry_items() # the failed charges again, under references derived from theirs
    client.bulk_charge.initiate(retry)

    month = paystack.reconcile.transactions(_from="2024-08-01", to="2024-08-31", status="success")
    df = month.to_pandas()

Each row is one charge (``batch``) or transaction (``transactions``) with the same columns
(``COLUMNS``); amounts and fees are integers in the currency's subunit, as Paystack sends them.
``to_pandas``, ``to_polars`` and ``to_arrow`` need their extra (``pip install
paystack-rs[pandas]``, ``[polars]``, ``[arrow]``); ``to_csv`` and ``to_records`` need nothing.
"""

from __future__ import annotations

import os

from ._core import (
    BulkChargeItem,
    BulkChargeListObject,
    RowStream,
    RowTable,
    format_money,
    match_expected,
    retry_metadata,
    retry_reference,
)
from ._extras import extra as _extra
from ._extras import installed as _installed
from ._extras import write_csv as _write_csv
from ._pages import PageCall, page_call
from ._payouts import PayoutReport, PayoutTable, payouts, payouts_async, settlement, settlement_async
from ._report_options import ReportOptions, chosen, takes
from ._sansio import Call, awaitable, blocking
from .errors import ValidationError

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterable, Iterator, Mapping
    from typing import Any, TextIO

    from typing_extensions import Unpack

    from ._client import Paystack
    from ._progress import ProgressArg
    from ._sansio import Steps
    from ._services import BulkChargeService, TransactionService
    from .types import TransactionStatus

    #: What ``expected=`` may be.
    Expected = str | os.PathLike[str] | BulkChargeListObject | Iterable[BulkChargeItem | Mapping[str, Any]] | None

__all__ = [
    "COLUMNS",
    "FAILED_STATUSES",
    "PENDING_STATUSES",
    "PayoutReport",
    "PayoutTable",
    "Report",
    "batch",
    "batch_async",
    "batches",
    "batches_async",
    "payouts",
    "payouts_async",
    "retry_reference",
    "settlement",
    "settlement_async",
    "transactions",
    "transactions_async",
]

#: The columns of every report, in order.
COLUMNS = (
    "reference",
    "batch_code",
    "authorization",
    "customer_email",
    "amount",
    "currency",
    "fees",
    "status",
    "gateway_response",
    "paid_at",
    "attempts",
    "metadata",
    "transaction_id",
    "created_at",
)

#: Columns of integers (amounts and fees in the subunit); the timestamps; the rest are text.
INTEGER_COLUMNS = frozenset({"amount", "fees", "attempts", "transaction_id"})
TIMESTAMP_COLUMNS = frozenset({"paid_at", "created_at"})

#: Statuses of a charge or transaction that did not go through (docs/paystack-api.md §3.4, T3).
FAILED_STATUSES = frozenset({"failed", "error", "inactive_authorization"})
#: Statuses of a charge or transaction not finished yet.
PENDING_STATUSES = frozenset({"pending", "queued", "ongoing", "processing"})


# -- expected items ------------------------------------------------------------------------------


def _invalid(location: str, message: str, index: int | None = None) -> ValidationError:
    return ValidationError.for_field("expected", message, index=index, location=f"expected{location}")


def _expected_items(expected: Expected) -> list[dict[str, Any]]:
    """``expected=`` as a list of ``{"reference", "amount", ...}``, every reference present."""
    if isinstance(expected, (str, os.PathLike)):
        return _read_csv(os.fspath(expected))
    if isinstance(expected, BulkChargeListObject):
        expected = expected.charges
    if expected is None or isinstance(expected, (bytes, dict)) or not hasattr(expected, "__iter__"):
        raise _invalid("", "must be a CSV path, a BulkChargeListObject, or a list of BulkChargeItems or dicts")
    items: list[dict[str, Any]] = []
    for index, item in enumerate(expected):
        if isinstance(item, BulkChargeItem):
            row: dict[str, Any] = item.to_dict()
        elif isinstance(item, dict):
            row = dict(item)
        else:
            raise _invalid(f"[{index}]", f"must be a BulkChargeItem or a dict, not {type(item).__name__}", index)
        items.append(_checked_item(row, f"[{index}]", index))
    return items


def _checked_item(row: dict[str, Any], where: str, index: int) -> dict[str, Any]:
    reference = row.get("reference")
    if not isinstance(reference, str) or not reference.strip():
        raise _invalid(f"{where}.reference", "is required to match a charge (give each item its reference)", index)
    row["reference"] = reference.strip()
    amount = row.get("amount")
    if isinstance(amount, str) and amount.strip().isdigit():
        amount = int(amount.strip())
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0):
        raise _invalid(f"{where}.amount", f"must be a positive integer in the subunit, not {amount!r}", index)
    row["amount"] = amount
    return row


def _read_csv(path: str) -> list[dict[str, Any]]:
    """Expected charges from a CSV: the one reader of charge files (``_charge_file``), other
    columns ignored; each row needs its reference (``paystack-rs reconcile --run FILE.csv`` finds
    the references of a charge file's rows that have none)."""
    from . import _charge_file

    try:
        charges = _charge_file.read(path, require_authorization=False, other_columns=True)
    except _charge_file.InvalidFile as invalid:
        raise _invalid("", "; ".join(str(problem) for problem in invalid.problems)) from None
    items = []
    for index, row in enumerate(charges.rows):
        where = f"[{index}] ({path} line {row.line})"
        if row.given_reference is None:
            raise _invalid(
                f"{where}.reference", "is required to match a charge (reconcile --run FILE.csv finds them)", index
            )
        items.append(_checked_item(dict(row.item), where, index))
    return items


# -- the report ----------------------------------------------------------------------------------


class Report:
    """One flat row per charge or transaction, with the totals and what went wrong.

    Attributes: ``kind`` ("batch" or "transactions"), ``source`` (the batch code, or the period
    and filter), ``batch`` (the batch as ``fetch`` answered, for batch reports), ``expected``
    (the expected items, when given), ``columns`` (the column names, ``COLUMNS``).
    """

    __slots__ = ("_cache", "_lists", "_table", "batch", "batches", "expected", "kind", "source")

    columns = COLUMNS

    def __init__(
        self,
        table: RowTable,
        *,
        kind: str,
        source: str,
        batch: dict[str, Any] | None = None,
        expected: list[dict[str, Any]] | None = None,
        batches: list[dict[str, Any]] | None = None,
    ) -> None:
        self._table = table
        self.kind = kind
        self.source = source
        self.batch = batch
        #: Every batch of the report, as ``fetch`` answered (one for ``batch``, several for ``batches``).
        self.batches = batches if batches is not None else ([batch] if batch is not None else [])
        self.expected = expected
        self._cache: dict[str, Any] = {}
        #: Columns as Python lists, built on first use.
        self._lists: dict[str, list[Any]] = {}

    # -- rows ------------------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._table)

    def _list(self, name: str) -> list[Any]:
        values = self._lists.get(name)
        if values is None:
            values = self._lists[name] = self._table.column(name)
        return values

    def column(self, name: str) -> list[Any]:
        """One column's values, in row order (a new list)."""
        if name not in COLUMNS:
            raise KeyError(f"no column {name!r}; the columns are {', '.join(COLUMNS)}")
        return list(self._list(name))

    def __iter__(self) -> Iterator[dict[str, Any]]:
        lists = [self._list(name) for name in COLUMNS]
        for values in zip(*lists, strict=True):
            yield dict(zip(COLUMNS, values, strict=True))

    def to_records(self) -> list[dict[str, Any]]:
        """The rows as a list of dicts (one per charge or transaction)."""
        return list(self)

    rows = property(to_records, doc="The rows as a list of dicts (same as ``to_records()``).")

    def _subset(self, keep: list[int]) -> Report:
        return Report(
            self._table.take(keep), kind=self.kind, source=self.source, batch=self.batch, batches=self.batches
        )

    def _where_status(self, statuses: frozenset[str]) -> Report:
        return self._subset(self._table.positions_with_status(sorted(statuses)))

    # -- totals and problems ---------------------------------------------------------------------

    @property
    def totals(self) -> dict[str, dict[str, dict[str, int | None]]]:
        """By status, then currency: ``count``, ``amount``, ``fees`` (Paystack's; a batch's
        charges carry none, so ``batch`` reads them from the transactions; None while a fee is
        unknown) and ``net`` (amount - fees of the successful rows, 0 for other statuses, None
        while a fee is unknown), in the subunit (the core's ``rows::Totals``)."""
        cached = self._cache.get("totals")
        if cached is None:
            cached = {}
            for status, currency, count, amount, fees, net in self._table.totals():
                cached.setdefault(str(status), {})[str(currency)] = {
                    "count": count,
                    "amount": amount,
                    "fees": fees,
                    "net": net,
                }
            self._cache["totals"] = cached
        return cached

    @property
    def failed(self) -> Report:
        """The rows that did not go through (failed, error, inactive_authorization)."""
        return self._where_status(FAILED_STATUSES)

    @property
    def pending(self) -> Report:
        """The rows not finished yet (pending, queued, ...)."""
        return self._where_status(PENDING_STATUSES)

    @property
    def succeeded(self) -> Report:
        """The rows that went through."""
        return self._where_status(frozenset({"success"}))

    def _matching(self) -> dict[str, Any]:
        """Rows matched to the expected items by reference (a retry ``ref-rN`` counts for ``ref``)."""
        cached: dict[str, Any] | None = self._cache.get("matching")
        if cached is not None:
            return cached
        expected = self.expected or []
        by_reference: dict[str, dict[str, Any]] = {}
        listed: dict[str, int] = {}
        for item in expected:
            ref = item["reference"]
            listed[ref] = listed.get(ref, 0) + 1
            by_reference.setdefault(ref, item)
        # The core matches (a retry ``ref-rN`` is the charge of ``ref``); this only presents.
        references = [ref if isinstance(ref, str) else None for ref in self._list("reference")]
        pairs, unexpected = match_expected(list(by_reference), references)
        matched = dict(pairs)
        cached = {"by_reference": by_reference, "listed": listed, "matched": matched, "unexpected": unexpected}
        self._cache["matching"] = cached
        return cached

    @property
    def missing(self) -> list[dict[str, Any]] | None:
        """Expected items Paystack has no charge for (None when no ``expected`` was given)."""
        if self.expected is None:
            return None
        m = self._matching()
        return [item for ref, item in m["by_reference"].items() if ref not in m["matched"]]

    @property
    def unexpected(self) -> Report | None:
        """Rows whose reference is not among the expected items (None without ``expected``)."""
        if self.expected is None:
            return None
        return self._subset(self._matching()["unexpected"])

    @property
    def amount_mismatch(self) -> list[dict[str, Any]] | None:
        """Rows whose amount differs from their expected item's: ``{reference, expected_reference,
        expected_amount, amount, status}`` (None without ``expected``)."""
        if self.expected is None:
            return None
        m = self._matching()
        references, amounts, statuses = self._list("reference"), self._list("amount"), self._list("status")
        found = []
        for ref, rows in m["matched"].items():
            wanted = m["by_reference"][ref].get("amount")
            if wanted is None:
                continue
            for i in rows:
                if amounts[i] != wanted:
                    found.append(
                        {
                            "reference": references[i],
                            "expected_reference": ref,
                            "expected_amount": wanted,
                            "amount": amounts[i],
                            "status": statuses[i],
                        }
                    )
        return found

    @property
    def duplicates(self) -> list[dict[str, Any]] | None:
        """Expected items charged successfully more than once (the charge and a retry of it both
        went through: ``where="charged"``), and references listed more than once in ``expected``
        (``where="expected"``): ``{reference, where, count, references}``. None without ``expected``."""
        if self.expected is None:
            return None
        m = self._matching()
        references, statuses = self._list("reference"), self._list("status")
        found = [
            {"reference": ref, "where": "expected", "count": n, "references": [ref]}
            for ref, n in m["listed"].items()
            if n > 1
        ]
        for ref, rows in m["matched"].items():
            charged = [references[i] for i in rows if statuses[i] == "success"]
            if len(charged) > 1:
                found.append({"reference": ref, "where": "charged", "count": len(charged), "references": charged})
        return found

    # -- retry -----------------------------------------------------------------------------------

    def retry_items(self) -> BulkChargeListObject:
        """The failed charges as a new batch: same authorization and amount, the reference
        derived from theirs by the core's retry scheme (``retry_reference``), and their metadata
        without the fields Paystack adds to bulk charges.

        Derived, not random: initiating the same retry twice is refused by Paystack as a
        duplicate reference instead of charging anyone twice. A failure whose retry already
        appears in this report is left out.
        """
        references, statuses = self._list("reference"), self._list("status")
        authorizations, amounts, metadata = self._list("authorization"), self._list("amount"), self._list("metadata")
        present = set(references)
        items = []
        for i, status in enumerate(statuses):
            reference = references[i]
            if status not in FAILED_STATUSES or not isinstance(reference, str):
                continue
            new_reference = retry_reference(reference)
            if new_reference in present:
                continue
            item: dict[str, Any] = {"authorization": authorizations[i], "amount": amounts[i]}
            item["reference"] = new_reference
            kept = retry_metadata(metadata[i])
            if kept:
                item["metadata"] = kept
            items.append(item)
        return BulkChargeListObject(items)

    # -- exports ---------------------------------------------------------------------------------

    def to_pandas(self) -> Any:
        """A pandas DataFrame, one row per charge: integers as nullable ``Int64``, ``paid_at`` and
        ``created_at`` as UTC datetimes, text as pandas' string dtype, ``metadata`` as JSON text.
        Built from the columns' buffers; with pyarrow installed (pandas 3 keeps its strings in it),
        through Arrow without a Python object per value (measured on 100,000 transactions: 0.11 s
        and 60 MiB, against 0.58 s and 160 MiB through Python lists). Needs ``pip install
        paystack-rs[pandas]``."""
        pd = _extra("pandas", "pandas")
        pa = _installed("pyarrow")
        if pa is not None:
            table = pa.table(_arrow_arrays(pa, self._table, len(self)), names=list(COLUMNS))
            return table.to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
        import numpy as np

        table = self._table
        data: dict[str, Any] = {}
        for name in COLUMNS:
            if name in INTEGER_COLUMNS:
                values, present = table.int_buffers(name)
                numbers = np.frombuffer(values, dtype="<i8").copy()
                data[name] = pd.arrays.IntegerArray(numbers, ~np.frombuffer(present, dtype=np.bool_))
            elif name in TIMESTAMP_COLUMNS:
                values, _ = table.timestamp_buffers(name)
                moments = np.frombuffer(values, dtype="<i8").view("datetime64[ms]")
                data[name] = pd.DatetimeIndex(moments).tz_localize("UTC")
            else:
                data[name] = table.text_column(name)
        return pd.DataFrame(data, columns=list(COLUMNS))

    def to_arrow(self) -> Any:
        """A pyarrow Table; ``paid_at`` and ``created_at`` as UTC timestamps, ``metadata`` as JSON
        text; built from the columns' buffers (no Python object per value). Needs ``pip install
        paystack-rs[arrow]``."""
        pa = _extra("pyarrow", "arrow")
        return pa.table(_arrow_arrays(pa, self._table, len(self)), names=list(COLUMNS))

    def to_polars(self) -> Any:
        """A polars DataFrame; ``paid_at`` and ``created_at`` as UTC datetimes; ``metadata`` as JSON
        text. Needs ``pip install paystack-rs[polars]`` (with pyarrow installed too, it is built
        from Arrow buffers, faster)."""
        pl = _extra("polars", "polars")
        pa = _installed("pyarrow")
        if pa is not None:
            frame = pl.from_arrow(pa.table(_arrow_arrays(pa, self._table, len(self)), names=list(COLUMNS)))
            return frame
        import numpy as np

        table = self._table
        series = []
        for name in COLUMNS:
            if name in INTEGER_COLUMNS:
                values, present = table.int_buffers(name)
                numbers = pl.Series(name, np.frombuffer(values, dtype="<i8"))
                series.append(numbers.set(pl.Series(~np.frombuffer(present, dtype=np.bool_)), None))
            elif name in TIMESTAMP_COLUMNS:
                values, present = table.timestamp_buffers(name)
                millis = pl.Series(name, np.frombuffer(values, dtype="<i8"))
                millis = millis.set(pl.Series(~np.frombuffer(present, dtype=np.bool_)), None)
                series.append(millis.cast(pl.Datetime("ms")).dt.replace_time_zone("UTC"))
            else:
                series.append(pl.Series(name, table.text_column(name), dtype=pl.Utf8))
        return pl.DataFrame(series)

    def to_csv(self, path: str | os.PathLike[str] | TextIO) -> None:
        """Writes the rows as CSV (a header of ``COLUMNS``; metadata as JSON; None as empty)."""
        lists = [self._table.text_column(n) if n == "metadata" else self._list(n) for n in COLUMNS]
        _write_csv(path, COLUMNS, zip(*lists, strict=True))

    # -- display ---------------------------------------------------------------------------------

    def _summary(self) -> list[str]:
        parts = []
        for status, currencies in sorted(self.totals.items()):
            money = ", ".join(f"{cur} {_money(t['amount'])}" for cur, t in sorted(currencies.items()))
            count = sum(t["count"] or 0 for t in currencies.values())
            parts.append(f"{status} {count} ({money})")
        return parts

    def __repr__(self) -> str:
        noun = "charges" if self.kind == "batch" else "transactions"
        text = f"<Report {self.kind} {self.source}: {len(self)} {noun}"
        summary = self._summary()
        if summary:
            text += "; " + ", ".join(summary)
        if self.expected is not None:
            text += (
                f"; missing {len(self.missing or [])}, unexpected {len(self.unexpected or [])}, "
                f"amount_mismatch {len(self.amount_mismatch or [])}, duplicates {len(self.duplicates or [])}"
            )
        return text + ">"

    def _repr_html_(self) -> str:
        from html import escape

        from ._html import MAX_ROWS, table

        noun = "charges" if self.kind == "batch" else "transactions"
        parts = [f"<p><b>Report</b> {escape(self.kind)} {escape(self.source)}: {len(self)} {noun}</p>"]
        totals = [
            [status, currency, t["count"], _money(t["amount"]), _money(t["fees"]), _money(t["net"])]
            for status, currencies in sorted(self.totals.items())
            for currency, t in sorted(currencies.items())
        ]
        if totals:
            parts.append(table(["status", "currency", "count", "amount", "fees", "net"], totals))
        if self.expected is not None:
            checks = [
                ["missing", len(self.missing or [])],
                ["unexpected", len(self.unexpected or [])],
                ["amount_mismatch", len(self.amount_mismatch or [])],
                ["duplicates", len(self.duplicates or [])],
            ]
            parts.append(table([f"against {len(self.expected)} expected", "rows"], checks))
        first = self._table.take(list(range(min(len(self), MAX_ROWS))))
        shown_columns = [n for n in COLUMNS if n != "metadata"]
        lists = [first.column(n) for n in shown_columns]
        shown = [list(values) for values in zip(*lists, strict=True)]
        if shown:
            parts.append(table(shown_columns, shown, more=len(self) - len(shown)))
        return "".join(parts)


def _money(subunits: int | None) -> str:
    """Subunits as units with two decimals (the core's ``format_money``): 1050000 -> "10,500.00";
    None (not known) as "unknown"."""
    return "unknown" if subunits is None else format_money(subunits)


def _json(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    import json

    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


# -- gathering -----------------------------------------------------------------------------------


def _services(client: Paystack | None) -> tuple[BulkChargeService, TransactionService]:
    if client is None:
        import paystack_rs

        return paystack_rs.BulkCharge, paystack_rs.Transaction
    return client.bulk_charge, client.transaction


def _window(_from: Any, to: Any, status: str | None) -> str:
    parts = [f"from {_from}" if _from else "", f"to {to}" if to else "", f"status {status}" if status else ""]
    return " ".join(p for p in parts if p) or "all"


def _rows(call: PageCall, kind: str, batch_code: str | None, concurrency: int) -> RowStream:
    return RowStream(
        call.core,
        call.endpoint,
        call.args,
        kind,
        batch_code=batch_code,
        timeout=call.timeout,
        max_retries=call.max_retries,
        concurrency=concurrency,
    )


def _gather(stream: RowStream, progress: ProgressArg, description: str, unit: str) -> Steps[RowTable]:
    """Every page of the stream into its table, reporting (rows, total) as pages arrive."""
    from ._progress import reporter

    bar = reporter(progress, description, unit)
    try:
        while (done := (yield Call(stream, "next_page"))) is not None:
            if bar is not None:
                bar.update(done[0], max(done[1] or 0, done[0]))
        return stream.table()
    finally:
        stream.close()
        if bar is not None:
            bar.close()


def _charges(
    bulk: BulkChargeService, code: str | int, progress: ProgressArg, per_page: int, concurrency: int
) -> Steps[tuple[dict[str, Any], str, RowTable]]:
    """One batch as ``fetch`` answered, its code, and its charges' table."""
    batch_data = dict((yield Call(bulk, "fetch", code)).data)
    batch_code = str(batch_data.get("batch_code") or code)
    call = page_call(bulk, "charges", batch_code, per_page=per_page)
    stream = _rows(call, "charges", batch_code, concurrency)
    table = yield from _gather(stream, progress, f"batch {batch_code}", "charges")
    return batch_data, batch_code, table


@takes(ReportOptions)
def _batch(code: str | int, **options: Unpack[ReportOptions]) -> Steps[Report]:
    """Every charge of a batch as a ``Report`` (the batch need not be complete: unfinished
    charges are in ``report.pending``).

    Args:
        code: the batch's ``BCH_`` code or id.
        client: a ``Paystack`` client (default: the global one, ``paystack_rs.api_key``).
        expected: what should have been charged, matched by reference: a CSV path with
            ``reference`` and ``amount`` columns, a ``BulkChargeListObject``, or a list of
            ``BulkChargeItem``s or dicts.
        progress: as for ``bulk_charge.wait`` (charges read so far, of the total).
        per_page: charges per request (default 100); ``concurrency``: requests at once (default 8).
    """
    return (yield from _run_of_batches([code], "batch", options))


@takes(ReportOptions)
def _batches(codes: Iterable[str | int], **options: Unpack[ReportOptions]) -> Steps[Report]:
    """Every charge of several batches as one ``Report`` (a run of a file over 1000 rows is several
    batches): ``expected`` is matched against all of them at once, so a row charged in any of
    them is not missing. Arguments as for :func:`batch`."""
    return (yield from _run_of_batches(codes, "batches", options))


def _run_of_batches(codes: Iterable[str | int], function: str, options: ReportOptions) -> Steps[Report]:
    """The charges of the batches as one ``Report``, once for ``batch`` and ``batches``."""
    client, expected, progress, per_page, concurrency = _report_options(function, options)
    wanted = None if expected is None else _expected_items(expected)
    bulk, tx = _services(client)
    fetched: list[dict[str, Any]] = []
    read: list[str] = []
    tables = []
    for code in dict.fromkeys(codes):
        batch_data, batch_code, table = yield from _charges(bulk, code, progress, per_page, concurrency)
        fetched.append(batch_data)
        read.append(batch_code)
        tables.append(table)
    table = RowTable.concat(tables)
    window = table.missing_fees_window()
    if window is not None:
        # A batch's charges carry fees: null (docs/paystack-api.md §3.4): they are read from the
        # transactions, in one listing over the whole run's period.
        listed = page_call(tx, "list", per_page=per_page, _from=window[0], to=window[1])
        stream = _rows(listed, "transactions", None, concurrency)
        fees = yield from _gather(stream, False, "fees", "transactions")
        table = table.with_fees_from(fees)[0]
    single = fetched[0] if len(fetched) == 1 else None
    return Report(table, kind="batch", source=", ".join(read), batch=single, expected=wanted, batches=fetched)


@takes(ReportOptions)
def _transactions(
    *,
    _from: str | datetime.date | None = None,
    to: str | datetime.date | None = None,
    status: TransactionStatus | None = None,
    **options: Unpack[ReportOptions],
) -> Steps[Report]:
    """Every transaction of a period (``_from`` / ``to``, inclusive) and status as a ``Report``.

    Bulk charges' transactions carry their batch code (from the metadata Paystack adds). Other
    arguments as for :func:`batch`.
    """
    client, expected, progress, per_page, concurrency = _report_options("transactions", options)
    wanted = None if expected is None else _expected_items(expected)
    _, tx = _services(client)
    call = page_call(tx, "list", per_page=per_page, _from=_from, to=to, status=status)
    stream = _rows(call, "transactions", None, concurrency)
    table = yield from _gather(stream, progress, "transactions", "transactions")
    return Report(table, kind="transactions", source=_window(_from, to, status), expected=wanted)


def _report_options(function: str, options: ReportOptions) -> tuple[Any, Expected, ProgressArg, int, int]:
    o = chosen(function, options, ReportOptions)
    return o["client"], o["expected"], o["progress"], o["per_page"], o["concurrency"]


# Each pair written once (``_sansio``): the sync function and its awaitable twin.
batch = blocking(_batch)
batch_async = awaitable(_batch)
batches = blocking(_batches)
batches_async = awaitable(_batches)
transactions = blocking(_transactions)
transactions_async = awaitable(_transactions)


def _arrow_arrays(pa: Any, table: RowTable, n: int) -> list[Any]:
    """The columns as pyarrow arrays, from their buffers."""
    import numpy as np

    arrays = []
    for name in COLUMNS:
        if name in INTEGER_COLUMNS:
            values, present = table.int_buffers(name)
            mask = ~np.frombuffer(present, dtype=np.bool_)
            arrays.append(pa.array(np.frombuffer(values, dtype="<i8"), type=pa.int64(), mask=mask))
        elif name in TIMESTAMP_COLUMNS:
            values, present = table.timestamp_buffers(name)
            mask = ~np.frombuffer(present, dtype=np.bool_)
            millis = pa.array(np.frombuffer(values, dtype="<i8"), type=pa.int64(), mask=mask)
            arrays.append(millis.cast(pa.timestamp("ms", tz="UTC")))
        else:
            data, offsets, validity, nulls = table.text_buffers(name)
            buffers = [pa.py_buffer(validity), pa.py_buffer(offsets), pa.py_buffer(data)]
            arrays.append(pa.Array.from_buffers(pa.large_string(), n, buffers, null_count=nulls))
    return arrays

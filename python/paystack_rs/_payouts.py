"""Payouts reconciled: which transactions each settlement paid to the bank, and whether its
figures add up. ``reconcile.payouts`` and ``reconcile.settlement`` (re-exported there).

    payouts = paystack.reconcile.payouts(_from="2024-08-01", to="2024-08-31")
    payouts                                # in Jupyter: the summary and the settlements
    payouts.settlements.to_pandas()        # each payout: Paystack's figures, our sums, balanced
    payouts.transactions                   # each transaction with its settlement_id, fees, net
    payouts.unsettled; payouts.mismatched; payouts.refunds

The arithmetic, the matching and what counts as unsettled are decided in the Rust core
(crates/paystack-core/src/payouts.rs, docs/paystack-api.md §8); this module presents the views.
Amounts are integers in the currency's subunit, as Paystack sends them.
"""

from __future__ import annotations

import os

from ._core import PayoutStream, format_money
from ._pages import _pinned_core
from ._report_options import PayoutOptions, chosen, takes
from ._sansio import Call, awaitable, blocking

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime
    from collections.abc import Iterator
    from typing import Any, TextIO

    from typing_extensions import Unpack

    from ._client import Paystack
    from ._progress import ProgressArg
    from ._sansio import Steps

__all__ = ["PayoutReport", "PayoutTable", "payouts", "payouts_async", "settlement", "settlement_async"]

#: The columns a view shows in a notebook by default (so the table fits its width); every
#: column is in the exports, and ``view.wide()`` shows them all.
SHOWN = {
    "settlements": (
        "id",
        "settlement_date",
        "currency",
        "status",
        "total_processed",
        "total_fees",
        "deductions",
        "effective_amount",
        "transactions",
        "balanced",
    ),
    "mismatched": ("id", "settlement_date", "currency", "effective_amount", "problems"),
    "transactions": ("settlement_id", "reference", "status", "currency", "amount", "fees", "net", "paid_at"),
    "unsettled": ("reference", "currency", "amount", "fees", "net", "paid_at", "batch_code"),
    "refunds": ("id", "transaction_id", "amount", "deducted_amount", "status", "settlement_id", "created_at"),
}


class PayoutTable:
    """One view of a ``PayoutReport``: named columns, exported like a ``Report``'s rows."""

    __slots__ = ("_data", "kinds", "name")

    def __init__(self, name: str, columns: list[tuple[str, str, list[Any]]]) -> None:
        self.name = name
        #: Column name -> "int", "text", "timestamp" or "bool".
        self.kinds = {column: kind for column, kind, _ in columns}
        self._data = {column: values for column, _, values in columns}

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self._data)

    def __len__(self) -> int:
        return len(next(iter(self._data.values()), []))

    def column(self, name: str) -> list[Any]:
        """One column's values, in row order (a new list)."""
        if name not in self._data:
            raise KeyError(f"no column {name!r}; the columns are {', '.join(self._data)}")
        return list(self._data[name])

    def __iter__(self) -> Iterator[dict[str, Any]]:
        names = list(self._data)
        for values in zip(*self._data.values(), strict=True):
            yield dict(zip(names, values, strict=True))

    def to_records(self) -> list[dict[str, Any]]:
        return list(self)

    def to_pandas(self) -> Any:
        """A pandas DataFrame: integers as nullable Int64, timestamps as UTC, booleans as boolean."""
        from ._extras import extra as _extra

        pd = _extra("pandas", "pandas")
        data: dict[str, Any] = {}
        for name, values in self._data.items():
            kind = self.kinds[name]
            if kind == "int":
                data[name] = pd.array(values, dtype="Int64")
            elif kind == "bool":
                data[name] = pd.array(values, dtype="boolean")
            elif kind == "timestamp":
                data[name] = pd.to_datetime(values, utc=True, format="ISO8601")
            else:
                data[name] = pd.array(values, dtype=object)
        return pd.DataFrame(data, columns=list(self._data))

    def to_arrow(self) -> Any:
        """A pyarrow Table with typed columns (timestamps in UTC)."""
        from ._extras import extra as _extra

        pa = _extra("pyarrow", "arrow")
        arrays = [self._arrow(pa, name) for name in self._data]
        return pa.table(arrays, names=list(self._data))

    def _arrow(self, pa: Any, name: str) -> Any:
        values, kind = self._data[name], self.kinds[name]
        if kind == "int":
            return pa.array(values, type=pa.int64())
        if kind == "bool":
            return pa.array(values, type=pa.bool_())
        if kind == "timestamp":
            return pa.array([_moment(v) for v in values], type=pa.timestamp("ms", tz="UTC"))
        return pa.array(values, type=pa.large_string())

    def to_polars(self) -> Any:
        """A polars DataFrame with typed columns (timestamps in UTC)."""
        from ._extras import extra as _extra

        pl = _extra("polars", "polars")
        series = []
        for name, values in self._data.items():
            kind = self.kinds[name]
            if kind == "int":
                series.append(pl.Series(name, values, dtype=pl.Int64))
            elif kind == "bool":
                series.append(pl.Series(name, values, dtype=pl.Boolean))
            elif kind == "timestamp":
                moments = [_moment(v) for v in values]
                series.append(pl.Series(name, moments, dtype=pl.Datetime("ms", "UTC")))
            else:
                series.append(pl.Series(name, values, dtype=pl.Utf8))
        return pl.DataFrame(series)

    def to_csv(self, path: str | os.PathLike[str] | TextIO) -> None:
        """Writes the view as CSV (a header of its columns; None as empty)."""
        from ._extras import write_csv

        write_csv(path, self._data, zip(*self._data.values(), strict=True))

    def __repr__(self) -> str:
        return f"<PayoutTable {self.name}: {len(self)} rows; columns {', '.join(self._data)}>"

    def _html(self, columns: tuple[str, ...] | None) -> str:
        from html import escape

        from ._html import MAX_ROWS, table

        shown = [c for c in (columns or self._data) if c in self._data]
        rows = [[self._data[c][i] for c in shown] for i in range(min(len(self), MAX_ROWS))]
        hidden = [c for c in self._data if c not in shown]
        head = f"<p><b>{escape(self.name)}</b>: {len(self)} rows</p>"
        if not rows:
            return head
        tail = ""
        if hidden:
            tail = f"<p>Not shown: {escape(', '.join(hidden))} (<code>.wide()</code> or <code>.to_pandas()</code>)</p>"
        return head + table(shown, rows, more=len(self) - len(rows)) + tail

    def _repr_html_(self) -> str:
        return self._html(SHOWN.get(self.name))

    def wide(self) -> _Wide:
        """The same view shown with every column in a notebook."""
        return _Wide(self)


class _Wide:
    __slots__ = ("_table",)

    def __init__(self, table: PayoutTable) -> None:
        self._table = table

    def _repr_html_(self) -> str:
        return self._table._html(None)

    def __repr__(self) -> str:
        return repr(self._table)


def _moment(value: str | None) -> Any:
    if value is None:
        return None
    import datetime

    return datetime.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))


class PayoutReport:
    """A period's (or one settlement's) payouts: ``settlements``, ``transactions``, ``unsettled``,
    ``mismatched``, ``refunds``, each a ``PayoutTable``."""

    __slots__ = ("mismatched", "refunds", "settlements", "source", "transactions", "unsettled")

    def __init__(self, views: dict[str, list[tuple[str, str, list[Any]]]], source: str) -> None:
        self.source = source
        self.settlements = PayoutTable("settlements", views["settlements"])
        self.transactions = PayoutTable("transactions", views["transactions"])
        self.unsettled = PayoutTable("unsettled", views["unsettled"])
        self.mismatched = PayoutTable("mismatched", views["mismatched"])
        self.refunds = PayoutTable("refunds", views["refunds"])

    @property
    def balanced(self) -> bool:
        """Every settlement's figures equal the sums of its transactions, fees and deductions."""
        return len(self.mismatched) == 0

    def totals(self) -> dict[str, dict[str, int]]:
        """By currency: settlements, paid out (``effective_amount``), processed, fees, deductions."""
        out: dict[str, dict[str, int]] = {}
        for row in self.settlements:
            t = out.setdefault(row["currency"] or "", dict.fromkeys(_TOTALS, 0))
            t["settlements"] += 1
            for key in _TOTALS[1:]:
                t[key] += row[key] or 0
        return out

    def __repr__(self) -> str:
        money = "; ".join(
            f"{cur} paid out {_money(t['effective_amount'])} of {_money(t['total_processed'])}"
            for cur, t in sorted(self.totals().items())
        )
        return (
            f"<PayoutReport {self.source}: {len(self.settlements)} settlements, {len(self.transactions)} transactions"
            f"{'; ' + money if money else ''}; mismatched {len(self.mismatched)}, unsettled {len(self.unsettled)}, "
            f"refunds {len(self.refunds)}>"
        )

    def _repr_html_(self) -> str:
        from html import escape

        from ._html import table

        state = "balanced" if self.balanced else "NOT balanced"
        parts = [f"<p><b>PayoutReport</b> {escape(self.source)}: {state}</p>"]
        totals = sorted(self.totals().items())
        rows = [[cur, t["settlements"], *(_money(t[k]) for k in _TOTALS[1:])] for cur, t in totals]
        if rows:
            parts.append(table(["currency", *_TOTALS], rows))
        checks = [[name, len(getattr(self, name))] for name in ("transactions", "unsettled", "mismatched", "refunds")]
        parts.append(table(["view", "rows"], checks))
        parts.append(self.settlements._repr_html_())
        if len(self.mismatched):
            parts.append(self.mismatched._repr_html_())
        if len(self.unsettled):
            parts.append(self.unsettled._repr_html_())
        return "".join(parts)


_TOTALS = ("settlements", "total_processed", "total_fees", "deductions", "effective_amount")


def _money(subunits: int) -> str:
    """Subunits as units with two decimals: the core's ``format_money``, money's one home."""
    return format_money(subunits)


# -- gathering -----------------------------------------------------------------------------------


def _core(client: Paystack | None) -> Any:
    if client is None:
        import paystack_rs

        return _pinned_core(paystack_rs.Settlement._requester)
    return client._core


def _start(
    function: str, options: PayoutOptions, _from: Any, to: Any, settlement: int | None
) -> tuple[PayoutStream, ProgressArg]:
    """The core's stream of a payouts report, and how to show its progress."""
    o = chosen(function, options, PayoutOptions)
    stream = PayoutStream(
        _core(o["client"]),
        _from=_from,
        to=to,
        settlement=settlement,
        per_page=o["per_page"],
        concurrency=o["concurrency"],
        timeout=o["timeout"],
        max_retries=o["max_retries"],
    )
    return stream, o["progress"]


def _gather(stream: PayoutStream, progress: ProgressArg, description: str, source: str) -> Steps[PayoutReport]:
    """The gathering, once for the sync and the async functions (``_sansio``): polls the stream,
    reporting pages read, until the core has the report."""
    from ._progress import reporter

    bar = reporter(progress, description, "pages")
    try:
        while True:
            done, known, finished = yield Call(stream, "poll", 0.1 if bar is not None else 3600.0)
            if bar is not None:
                bar.update(done, known)
            if finished:
                return PayoutReport(stream.report(), source)
    finally:
        stream.close()
        if bar is not None:
            bar.close()


def _period(_from: Any, to: Any) -> str:
    return " ".join(p for p in (f"from {_from}" if _from else "", f"to {to}" if to else "") if p) or "all"


@takes(PayoutOptions)
def _payouts(
    *, _from: str | datetime.date | None = None, to: str | datetime.date | None = None, **options: Unpack[PayoutOptions]
) -> Steps[PayoutReport]:
    """The settlements dated ``_from``..``to`` (inclusive), each with its transactions and the
    refunds deducted from it, checked; the period's successful transactions in no settlement.

    Args:
        client: a ``Paystack`` client (default: the global one, ``paystack_rs.api_key``).
        progress: as for ``bulk_charge.wait`` (pages read, of those known so far).
        per_page: items per request (default 100); concurrency: requests at once (default 8),
            shared by every list read.
    """
    stream, progress = _start("payouts", options, _from, to, None)
    return (yield from _gather(stream, progress, "payouts", _period(_from, to)))


@takes(PayoutOptions)
def _settlement(id: int, **options: Unpack[PayoutOptions]) -> Steps[PayoutReport]:
    """One settlement, its transactions and the refunds deducted from it, checked (``unsettled``
    is empty: that needs a period)."""
    stream, progress = _start("settlement", options, None, None, _settlement_id(id))
    return (yield from _gather(stream, progress, f"settlement {id}", f"settlement {id}"))


# Each pair written once (``_sansio``): the sync function and its awaitable twin.
payouts = blocking(_payouts)
payouts_async = awaitable(_payouts)
settlement = blocking(_settlement)
settlement_async = awaitable(_settlement)


def _settlement_id(value: Any) -> int:
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit() or int(text) <= 0:
        from .errors import ValidationError

        raise ValidationError.for_field("id", f"must be a settlement's numeric id, not {value!r}")
    return int(text)

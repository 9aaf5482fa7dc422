"""HTML tables for Jupyter: a list answer's page (``ListResponse._repr_html_``) and a
reconciliation ``Report``. Loaded on first display only."""

from __future__ import annotations

from html import escape

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from typing import Any

#: Rows shown before "… and N more".
MAX_ROWS = 20
#: Characters of a cell shown before it is cut.
MAX_CELL = 60
#: Columns of a list answer's items shown (the rest are named beneath the table).
MAX_COLUMNS = 14

#: The fields of Paystack's objects shown first (the rest follow in Paystack's order).
PREFERRED = (
    "id",
    "batch_code",
    "reference",
    "status",
    "amount",
    "currency",
    "customer",
    "authorization",
    "gateway_response",
    "total_charges",
    "pending_charges",
    "paid_at",
    "createdAt",
)

_STYLE = "border-collapse:collapse;font-size:12px"
_CELL = "padding:2px 6px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top"


def cell(value: Any) -> str:
    """One value as table text: nested objects by their most telling field, or shortened."""
    if value is None:
        return '<span style="color:#999">null</span>'
    if isinstance(value, dict):
        for key in ("email", "authorization_code", "reference", "batch_code", "id"):
            if key in value:
                return escape(str(value[key]))
        text = ", ".join(f"{k}: {v}" for k, v in value.items()) if value else "{}"
    elif isinstance(value, list):
        text = f"[{len(value)} items]" if value else "[]"
    else:
        text = str(value)
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - 1] + "…"
    return escape(text)


def table(columns: Sequence[str], rows: Iterable[Sequence[Any]], *, more: int = 0) -> str:
    head = "".join(f'<th style="{_CELL}">{escape(c)}</th>' for c in columns)
    body = "".join("<tr>" + "".join(f'<td style="{_CELL}">{cell(v)}</td>' for v in row) + "</tr>" for row in rows)
    tail = f"<p>… and {more} more</p>" if more > 0 else ""
    return f'<table style="{_STYLE}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{tail}'


def list_response_html(response: Any) -> str:
    """A page of a list answer: its items as a table, its message and meta beneath."""
    data = response.get("data")
    items: list[Any] = data if isinstance(data, list) else []
    shown = [item for item in items[:MAX_ROWS] if isinstance(item, dict)]
    present: list[str] = []
    for item in shown:
        present.extend(key for key in item if key not in present)
    columns = [key for key in PREFERRED if key in present] + [key for key in present if key not in PREFERRED]
    hidden = columns[MAX_COLUMNS:]
    columns = columns[:MAX_COLUMNS]
    parts = [f"<p><b>{escape(type(response).__name__)}</b> {response.status_code}: {escape(str(response.message))}"]
    parts.append(f" ({len(items)} items on this page)</p>")
    if columns:
        rows = ([item.get(c) for c in columns] for item in shown)
        parts.append(table(columns, rows, more=len(items) - len(shown)))
    if hidden:
        parts.append(f"<p>Not shown: {escape(', '.join(hidden))}</p>")
    meta = response.get("meta")
    if isinstance(meta, dict) and meta:
        parts.append("<p>meta: " + escape(", ".join(f"{k}={v}" for k, v in meta.items())) + "</p>")
    return "".join(parts)


def mapping_rows(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> list[list[Any]]:
    return [[row.get(c) for c in columns] for row in rows]

"""The file a command's ``--out REPORT`` names (``reconcile``, ``payouts``): its format from the
extension, checked before anything is read, and the report written beside it and renamed over it,
so a report is never left half-written."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ._output import EXIT_USAGE, CommandError

if TYPE_CHECKING:
    from collections.abc import Callable


def report_format(path: str) -> str:
    """``"csv"`` or ``"html"`` (``.htm`` too) by ``path``'s extension; any other is a usage error."""
    extension = os.path.splitext(path)[1].lower()
    if extension in (".csv", ".html", ".htm"):
        return "html" if extension.startswith(".htm") else "csv"
    raise CommandError(
        EXIT_USAGE, f"--out {path}: the report is written as .csv or .html, not {extension or 'no extension'}"
    )


def write_report(path: str, kind: str, *, to_csv: Callable[[str], object], html: Callable[[], str]) -> None:
    """``to_csv(partial)`` or the page ``html()`` written to ``path.partial``, then renamed over ``path``."""
    partial = f"{path}.partial"
    if kind == "csv":
        to_csv(partial)
    else:
        with open(partial, "w", encoding="utf-8") as handle:
            handle.write(html())
    os.replace(partial, path)

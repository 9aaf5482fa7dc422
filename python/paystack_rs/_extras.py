"""The reports' exports (``reconcile.Report`` and ``PayoutTable``): the optional extras (pandas,
polars, pyarrow), imported on first use, never by ``import paystack_rs``; and CSV writing."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    import os
    from collections.abc import Iterable
    from typing import Any, TextIO

__all__ = ["extra", "installed", "write_csv"]


def installed(module: str) -> Any:
    """The module if it can be imported, else None."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def extra(module: str, name: str) -> Any:
    """The module, or an ImportError saying which extra installs it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(
            f"{module} is not installed: pip install paystack-rs[{name}] (or pip install {module})", name=module
        ) from None


def write_csv(path: str | os.PathLike[str] | TextIO, header: Iterable[str], rows: Iterable[Iterable[Any]]) -> None:
    """Writes a header and rows as CSV (None as empty) to a path (UTF-8) or an open text file."""
    import csv
    import os

    def write(handle: TextIO) -> None:
        writer = csv.writer(handle)
        writer.writerow(header)
        for values in rows:
            writer.writerow(["" if v is None else v for v in values])

    if isinstance(path, (str, os.PathLike)):
        with open(os.fspath(path), "w", newline="", encoding="utf-8") as handle:
            write(handle)
    else:
        write(path)

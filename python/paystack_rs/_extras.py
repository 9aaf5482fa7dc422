"""The optional extras (pandas, polars, pyarrow): imported only when a report is turned into one
of their tables, never by ``import paystack_rs``. One home for the reports of charges
(``reconcile``) and of payouts (``_payouts``), so neither imports the other for it."""

from __future__ import annotations

import importlib
from typing import Any


def installed(module: str) -> Any:
    """The module if it can be imported, else None."""
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def extra(module: str, name: str) -> Any:
    """The module of extra ``name``; without it, an ImportError saying what to install."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(
            f"{module} is not installed: pip install paystack-rs[{name}] (or pip install {module})", name=module
        ) from None

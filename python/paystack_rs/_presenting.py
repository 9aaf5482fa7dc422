"""What the reports (``reconcile.Report``, ``PayoutReport``) share to present their rows: money as
text and the optional extras their exports load. A leaf: it imports nothing of the package but the
extension, so both report modules can use it without importing each other."""

from __future__ import annotations

from ._core import format_money

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["money", "optional_module"]


def money(subunits: int | None) -> str:
    """Subunits as units with two decimals (the core's ``format_money``): 1050000 -> "10,500.00";
    None (not known) as "unknown"."""
    return "unknown" if subunits is None else format_money(subunits)


def optional_module(module: str, extra: str) -> Any:
    """The module an export needs, or an ImportError naming the extra that installs it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(
            f"{module} is not installed: pip install paystack-rs[{extra}] (or pip install {module})", name=module
        ) from None

"""The optional extras (pandas, polars, pyarrow), imported on first use by the reports' exports
(``reconcile.Report`` and ``PayoutTable``): never by ``import paystack_rs``."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["extra", "installed"]


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

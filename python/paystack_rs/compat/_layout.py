"""The shims' module layout: the real libraries' module paths, and a clear error for the rest.

Each shim is a package laid out as the library it stands in for (``paystackease.helpers.data_types``
is ``paystack_rs.compat.paystackease.helpers.data_types``), so code moves by replacing the package
prefix. A name or module the library has and the shim does not cover fails on import with a message
that names the path and says to keep the library for it:

- ``from paystack_rs.compat.paystackease.helpers.tool_kit import AccountType`` raises
  :class:`NotCovered` (an ``ImportError``) from the module's ``__getattr__``. It is an
  ``ImportError`` rather than an ``AttributeError`` because the ``from ... import`` statement
  replaces an ``AttributeError``'s message with its own ("cannot import name"); so ``hasattr()``
  on a shim module raises for a public name it does not have, instead of answering False.
- ``import paystack_rs.compat.paystackease.apis.sync_apis.customers`` raises a
  ``ModuleNotFoundError`` with the same advice (a finder consulted after every other one).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
from collections.abc import Callable, Sequence
from typing import Any

__all__ = ["NotCovered", "module_getattr"]

_COVERED = "Bulk Charge, Transaction, Settlement and Refund APIs (and webhook verification)"


def _library_path(path: str) -> tuple[str, str]:
    """``paystack_rs.compat.pypaystack2.enums.Country`` -> (``pypaystack2``, ``pypaystack2.enums.Country``)."""
    inside = path.removeprefix(f"{__package__}.")
    return inside.split(".", 1)[0], inside


def advice(path: str) -> str:
    """What to do about a path of the library that the shim does not cover."""
    library, original = _library_path(path)
    return (
        f"{path} is not covered: paystack-rs covers Paystack's {_COVERED}, and keeps their names from "
        f"{library}; keep {library} for {original!r} (docs/migrating.md)"
    )


class NotCovered(ImportError):
    """A name of the original library that its shim does not offer."""


def module_getattr(module: str, is_package: bool) -> Callable[[str], Any]:
    """A module ``__getattr__`` (PEP 562) for a shim module: a package's submodules load on first
    use (as the library's eagerly imported ones are there), and a public name it does not have
    raises :class:`NotCovered`, naming the path."""

    def __getattr__(name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        if is_package:
            try:
                return importlib.import_module(f"{module}.{name}")
            except ModuleNotFoundError as error:
                if error.name != f"{module}.{name}":
                    raise
        raise NotCovered(advice(f"{module}.{name}"), name=f"{module}.{name}")

    return __getattr__


class _UncoveredModules(importlib.abc.MetaPathFinder):
    """Consulted after every other finder: a module under a shim that does not exist is one the
    shim does not cover, and the import fails saying so."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: Any = None
    ) -> importlib.machinery.ModuleSpec | None:
        library, _ = _library_path(fullname)
        shim = f"{__package__}.{library}"
        if fullname.startswith(f"{shim}.") and shim in sys.modules:
            raise ModuleNotFoundError(advice(fullname), name=fullname)
        return None


if not any(isinstance(finder, _UncoveredModules) for finder in sys.meta_path):
    sys.meta_path.append(_UncoveredModules())

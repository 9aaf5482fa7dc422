"""The shims mirror the real libraries' module layouts: code moves by replacing the package prefix.

The real paystackease and pypaystack2 (test dependencies) are walked module by module
(``pkgutil.walk_packages``). A module *names* what it defines (a class or function whose
``__module__`` is that module) and what it re-exports (a package's imports, or a module's
``__all__``). Every such path whose name the shim offers somewhere must import from the same path
under ``paystack_rs.compat.<library>``; every other path must fail saying it is not covered,
naming the path. Nothing here talks to a server.
"""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys
import types
from typing import Any

import pytest

from paystack_rs.compat._layout import NotCovered

pytest.importorskip("paystackease")
pytest.importorskip("pypaystack2")

LIBRARIES = ("paystackease", "pypaystack2")
SHIM = "paystack_rs.compat"


def modules(package: str) -> list[types.ModuleType]:
    """The package and every module under it that imports (pypaystack2's webhook proxy needs its
    ``webhook`` extra, FastAPI: it is not an API the shims stand in for)."""
    root = importlib.import_module(package)
    found = [root]
    for info in pkgutil.walk_packages(root.__path__, f"{package}."):
        try:
            found.append(importlib.import_module(info.name))
        except ImportError as error:
            if "pypaystack2[webhook]" not in str(error):
                raise
    return found


def named(module: types.ModuleType) -> set[str]:
    """The public names a module defines or re-exports."""
    exported = set(getattr(module, "__all__", ()))
    names = set()
    for name, value in vars(module).items():
        if name.startswith("_") or isinstance(value, types.ModuleType):
            continue
        defined_here = getattr(value, "__module__", None) == module.__name__
        if defined_here or hasattr(module, "__path__") or name in exported:
            names.add(name)
    return names


def paths(package: str) -> set[tuple[str, str]]:
    """(module, name) for every name a module of ``package`` names."""
    return {(module.__name__, name) for module in modules(package) for name in named(module)}


def covered(library: str) -> set[str]:
    """Every name the shim of ``library`` offers, in any of its modules."""
    return {name for _, name in paths(f"{SHIM}.{library}")}


def resolve(path: tuple[str, str]) -> Any:
    module, name = path
    return getattr(importlib.import_module(f"{SHIM}.{module}"), name)


@pytest.mark.parametrize("library", LIBRARIES)
def test_every_path_of_a_covered_name_resolves_under_the_shim(library, capsys):
    offered = covered(library)
    wanted = sorted(path for path in paths(library) if path[1] in offered)
    missing = []
    for path in wanted:
        try:
            resolve(path)
        except ImportError as error:
            missing.append(f"{path[0]}.{path[1]}: {error}")
    assert missing == []
    with capsys.disabled():
        print(f"\n{library}: {len(wanted)} of {len(wanted)} module paths of covered names resolve under the shim")
    # What the shims cover at least (the floor: a shim that lost a module fails here).
    floor = {"paystackease": 63, "pypaystack2": 66}
    assert len(wanted) >= floor[library], len(wanted)


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("paystackease.helpers.data_types", "BulkChargeListObject"),
        ("paystackease.apaystack", "AsyncPayStackBase"),
        ("paystackease.apis.async_apis.abulk_charges", "AsyncBulkChargesClientAPI"),
        ("paystackease.apis.sync_apis.transactions", "TransactionClientAPI"),
        ("paystackease.core", "PayStackWebhook"),
        ("pypaystack2.enums", "Currency"),
        ("pypaystack2.exceptions", "MissingSecretKeyException"),
        ("pypaystack2.main_clients", "PaystackClient"),
        ("pypaystack2.models", "Response"),
        ("pypaystack2.models", "Transaction"),
        ("pypaystack2.sub_clients.async_clients.bulk_charges", "AsyncBulkChargeClient"),
    ],
)
def test_the_paths_users_import_from(path, name):
    """The imports of real code (docs/migrating.md), each one line after the prefix is replaced."""
    namespace: dict[str, Any] = {}
    exec(f"from {SHIM}.{path} import {name}", namespace)
    assert namespace[name] is resolve((path, name))


@pytest.mark.parametrize("library", LIBRARIES)
def test_a_name_not_covered_fails_naming_its_path(library):
    offered = covered(library)
    shim_modules = {module.__name__ for module in modules(f"{SHIM}.{library}")}
    unclear = []
    uncovered = sorted(path for path in paths(library) if path[1] not in offered)
    assert uncovered, "the real library has names the shim does not cover"
    for module, name in uncovered:
        try:
            resolve((module, name))
            unclear.append(f"{module}.{name} resolved")
        except NotCovered as error:  # the shim has the module, not the name
            assert f"{SHIM}.{module}" in shim_modules
            if f"{SHIM}.{module}.{name}" not in str(error) or f"keep {library}" not in str(error):
                unclear.append(str(error))
        except ModuleNotFoundError as error:  # the shim does not have the module (or a package above it)
            named_path = f"{SHIM}.{module}".startswith(str(error.name)) and str(error.name) in str(error)
            if not named_path or f"keep {library}" not in str(error):
                unclear.append(str(error))
    assert unclear == []


def test_a_from_import_shows_the_message():
    with pytest.raises(ImportError, match=r"helpers\.tool_kit\.AccountType is not covered.*keep paystackease"):
        exec(f"from {SHIM}.paystackease.helpers.tool_kit import AccountType", {})
    with pytest.raises(ImportError, match=r"sub_clients\.sync_clients\.customers is not covered.*keep pypaystack2"):
        exec(f"from {SHIM}.pypaystack2.sub_clients.sync_clients import customers", {})
    with pytest.raises(ModuleNotFoundError, match=r"apis\.sync_apis\.customers is not covered.*keep paystackease"):
        exec(f"import {SHIM}.paystackease.apis.sync_apis.customers", {})
    # Private and dunder names stay plain AttributeErrors (hasattr, copy, pickle rely on them).
    assert not hasattr(importlib.import_module(f"{SHIM}.paystackease.helpers"), "__wrapped__")


def test_submodules_load_on_first_use_and_import_paystack_rs_loads_no_shim():
    probe = (
        "import sys, paystack_rs\n"
        "assert not [m for m in sys.modules if m.startswith('paystack_rs.compat')], 'a shim loaded'\n"
        "import paystack_rs.compat.paystackease as ease\n"
        "print(ease.apis.async_apis.abulk_charges.AsyncBulkChargesClientAPI.__name__)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["AsyncBulkChargesClientAPI"]

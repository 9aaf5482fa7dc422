"""The run time agrees with what the type checkers see: every name a module of the package
exports to them (its ``__all__``, and the ``import X as X`` re-exports of its TYPE_CHECKING block)
exists at run time; and ``import paystack_rs`` stays lean (typing, the types and the shims load
only when asked for)."""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

import paystack_rs

PACKAGE = Path(paystack_rs.__file__).resolve().parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(("paystack_rs", *(parts[:-1] if parts[-1] == "__init__" else parts)))


# contrib/ holds the optional integrations (their extras are tested where they are).
MODULES = sorted(_module_name(p) for p in PACKAGE.rglob("*.py") if "contrib" not in p.parts)


def exported_names(path: Path) -> set[str]:
    """``__all__`` and the explicit re-exports (``import X as X``) type checkers see in a module."""
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            names.update(ast.literal_eval(node.value))
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update(a.asname for a in node.names if a.asname and a.asname == a.name.split(".")[-1])
    return names


def module_path(name: str) -> Path:
    parts = name.split(".")[1:]
    candidate = PACKAGE.joinpath(*parts)
    return candidate / "__init__.py" if candidate.is_dir() else candidate.with_suffix(".py")


@pytest.mark.parametrize("module_name", MODULES)
def test_every_name_the_type_checkers_see_exists_at_run_time(module_name):
    module = importlib.import_module(module_name)
    missing = [n for n in sorted(exported_names(module_path(module_name))) if not hasattr(module, n)]
    assert missing == []


def test_the_stub_of_the_extension_names_only_what_it_has():
    tree = ast.parse((PACKAGE / "_core.pyi").read_text())
    defined = {n.name for n in tree.body if isinstance(n, (ast.ClassDef, ast.FunctionDef))}
    assert defined, "no names found in _core.pyi"
    assert [n for n in sorted(defined) if not hasattr(paystack_rs._core, n)] == []


def test_sandbox_and_the_lazy_names_import_from_the_package():
    from paystack_rs import STATUS, ListResponse, Sandbox, types

    assert Sandbox is importlib.import_module("paystack_rs.sandbox").Sandbox
    assert STATUS.FAILED == "failed"
    assert types.Transaction.__required_keys__ >= {"amount", "reference", "status"}
    assert issubclass(ListResponse, paystack_rs.Response)
    with pytest.raises(AttributeError, match="no attribute 'Sandboxx'"):
        paystack_rs.Sandboxx  # noqa: B018


def loaded_by(statement: str) -> list[str]:
    """The modules a fresh interpreter loads for ``statement`` (beyond what it starts with)."""
    probe = (
        "import sys\nbefore = set(sys.modules)\n"
        f"{statement}\n"
        "loaded = sorted(set(sys.modules) - before)\nimport json\nprint(json.dumps(loaded))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return list(json.loads(done.stdout.splitlines()[-1]))


def test_import_paystack_rs_loads_nothing_it_does_not_need():
    loaded = loaded_by("import paystack_rs")
    assert "paystack_rs._core" in loaded
    heavy = ("typing", "enum", "json", "urllib", "asyncio", "pydantic", "paystackease", "pypaystack2")
    # The optional extras of reconcile and progress, and what only reports and tables need.
    heavy += ("pandas", "polars", "pyarrow", "numpy", "tqdm", "csv", "html", "re")
    # collections (with operator, itertools, reprlib, keyword) is ~3 ms of a 10 ms budget.
    heavy += ("collections",)
    lazy = ("paystack_rs.types", "paystack_rs.sandbox", "paystack_rs.compat", "paystack_rs._status")
    lazy += ("paystack_rs.reconcile", "paystack_rs._html", "paystack_rs._page_iterator", "paystack_rs._progress")
    assert [m for m in loaded if m.split(".")[0] in heavy or m.startswith(lazy)] == []


def test_the_shims_load_none_of_the_libraries_they_stand_in_for():
    loaded = loaded_by("import paystack_rs.compat.paystackease, paystack_rs.compat.pypaystack2")
    assert "paystack_rs.compat.pypaystack2" in loaded
    libraries = ("paystackease", "pypaystack2", "pydantic", "httpx", "aiohttp", "requests", "decouple")
    assert [m for m in loaded if m.split(".")[0] in libraries] == []

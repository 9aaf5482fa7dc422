"""The crates' module graphs have no cycles (scripts/module_graph.py reads their `use` paths),
at the level of files and of top-level modules, nor does the Python package's (its imports, lazy
ones included); the sandbox's domain (state, views) uses no HTTP."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "module_graph.py"
CRATES = ["crates/paystack-facts/src", "crates/paystack-core/src", "crates/paystack-sandbox/src"]
PACKAGE = "python/paystack_rs"
#: The command line's cycle: cli imports cli._commands to dispatch, which imports cli for
#: make_client and cli._bulk, which imports cli._commands for progress_arg. Breaking it moves those
#: two helpers, in the files of the change that moves the CLI's Paystack rules into the core; the
#: strict xfail below fails as soon as it is gone, so this entry is removed then.
KNOWN_CYCLES = {"cli, cli._bulk, cli._commands"}


def graph(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], check=False, capture_output=True, text=True, cwd=ROOT)


@pytest.mark.parametrize("level", [[], ["--top"]], ids=["files", "top-level"])
@pytest.mark.parametrize("crate", CRATES)
def test_no_module_cycles(crate: str, level: list[str]) -> None:
    run = graph(crate, *level)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no cycles" in run.stdout


def test_the_script_finds_a_cycle(tmp_path: Path) -> None:
    (tmp_path / "lib.rs").write_text("mod a;\nmod b;\n")
    (tmp_path / "a.rs").write_text("use crate::b::Thing;\npub struct Other;\n")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "mod.rs").write_text("mod c;\npub struct Thing;\nfn f() { let _ = c::x(); }\n")
    (tmp_path / "b" / "c.rs").write_text("use super::super::a::Other;\npub fn x() {}\n")
    run = graph(str(tmp_path))
    assert run.returncode == 1
    assert "cycle among a, b, b::c" in run.stdout
    # A test module may use anything.
    (tmp_path / "a.rs").write_text("pub struct Other;\n#[cfg(test)]\nmod tests {\n    use crate::b::Thing;\n}\n")
    assert graph(str(tmp_path)).returncode == 0


def test_no_import_cycles_in_the_python_package_but_the_known_one() -> None:
    run = graph(PACKAGE)
    found = set(re.findall(r"cycle among (.+)", run.stdout))
    assert found <= KNOWN_CYCLES, run.stdout


@pytest.mark.xfail(strict=True, reason="the command line's cycle (KNOWN_CYCLES) is still there")
def test_no_import_cycles_in_the_python_package() -> None:
    run = graph(PACKAGE)
    assert run.returncode == 0, run.stdout
    assert "no cycles" in run.stdout


def test_the_script_finds_a_python_import_cycle_lazy_ones_included(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("from .a import A\n")
    (package / "a.py").write_text("from . import b\nA = 1\n")
    (package / "b.py").write_text("TYPE_CHECKING = False\nif TYPE_CHECKING:\n    from .a import A\n")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "c.py").write_text("def f():\n    from .. import _ext\n    from ..b import x\n")
    (package / "_ext.pyi").write_text("def g() -> None: ...\n")
    run = graph(str(package))
    assert run.returncode == 0, run.stdout
    assert "6 modules, no cycles" in run.stdout
    # An import inside a function is still an import.
    (package / "b.py").write_text("def late():\n    from .sub.c import f\n")
    (package / "sub" / "c.py").write_text("import pkg.a\n")
    run = graph(str(package))
    assert run.returncode == 1
    assert "cycle among a, b, sub.c" in run.stdout


def test_the_sandbox_domain_speaks_no_http() -> None:
    sandbox = ROOT / "crates/paystack-sandbox/src"
    for folder in ("state", "views"):
        for file in (sandbox / folder).rglob("*.rs"):
            text = file.read_text()
            for crate in ("axum", "hyper", "reqwest"):
                assert f"{crate}::" not in text, f"{file.relative_to(ROOT)} uses {crate}"

"""The types users see: a typed user-code file passes mypy --strict and pyright --strict, and a
file of wrong uses fails both on exactly the lines it marks (tests/typing/)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent / "typing"
ROOT = HERE.parent.parent
GOOD = HERE / "good.py"
BAD = HERE / "bad.py"


def mypy_errors(path: Path) -> dict[int, list[str]]:
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--show-error-codes", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    errors: dict[int, list[str]] = {}
    for line in done.stdout.splitlines():
        found = re.match(rf"{re.escape(str(path.relative_to(ROOT)))}:(\d+): error: (.*)", line)
        if found:
            errors.setdefault(int(found.group(1)), []).append(found.group(2))
    assert done.returncode in (0, 1), done.stdout + done.stderr
    other = [line for line in done.stdout.splitlines() if ": error:" in line and str(path.name) not in line]
    assert not other, f"mypy reports errors outside {path.name}: {other}"
    return errors


def pyright_env() -> dict[str, str]:
    """pyright's bundled JavaScript and the Node.js wheel, and no look-up of newer versions:
    nothing is fetched (``--outputjson`` skips the version check too)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYRIGHT_PYTHON_")}
    env["PYRIGHT_PYTHON_IGNORE_WARNINGS"] = "1"
    return env


def pyright_errors(path: Path) -> dict[int, list[str]]:
    done = subprocess.run(
        [sys.executable, "-m", "pyright", "--outputjson", "--pythonpath", sys.executable, str(path)],
        cwd=ROOT,
        env=pyright_env(),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode in (0, 1), done.stdout + done.stderr
    report = json.loads(done.stdout)
    errors: dict[int, list[str]] = {}
    for diagnostic in report["generalDiagnostics"]:
        if diagnostic["severity"] == "error":
            line = diagnostic["range"]["start"]["line"] + 1
            errors.setdefault(line, []).append(f"{diagnostic['message']} ({diagnostic.get('rule')})")
    return errors


def marked_lines(path: Path) -> set[int]:
    return {n for n, line in enumerate(path.read_text().splitlines(), 1) if line.endswith("# expect-error")}


CHECKERS = {"mypy": mypy_errors, "pyright": pyright_errors}


@pytest.mark.parametrize("checker", CHECKERS)
def test_typed_user_code_passes(checker):
    assert CHECKERS[checker](GOOD) == {}


@pytest.mark.parametrize("checker", CHECKERS)
def test_wrong_uses_fail_on_the_marked_lines(checker):
    errors = CHECKERS[checker](BAD)
    marked = marked_lines(BAD)
    assert len(marked) >= 7
    assert set(errors) == marked, errors


def test_the_wrong_uses_are_the_ones_the_issue_names():
    text = BAD.read_text()
    assert 'status="declined")  # expect-error' in text
    assert 'r.data["amont"]' in text

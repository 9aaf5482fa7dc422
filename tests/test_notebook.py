"""examples/payouts.ipynb executed by a real kernel (``jupyter nbconvert --execute``): a month
settles on the sandbox's clock and its payouts are reconciled; the HTML holds the report's tables
and the progress lines, readable without widgets (docs: README, "A month of payouts, reconciled")."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "examples" / "payouts.ipynb"

# Looked up, not imported: an imported ipykernel would make this test process look like a kernel.
if importlib.util.find_spec("nbconvert") is None or importlib.util.find_spec("ipykernel") is None:
    pytest.skip("needs nbconvert and ipykernel (requirements-dev.txt)", allow_module_level=True)


@pytest.mark.timeout(600)
def test_the_payouts_notebook_runs_and_shows_its_tables(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "python")}
    # The kernel is this interpreter's (ipykernel's native "python3" spec): nothing is installed.
    run = subprocess.run(
        [
            *(sys.executable, "-m", "jupyter", "nbconvert", "--to", "html", "--execute", str(NOTEBOOK)),
            *("--output-dir", str(tmp_path), "--ExecutePreprocessor.timeout=500"),
        ],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    html = (tmp_path / "payouts.html").read_text(encoding="utf-8")
    assert "PayoutReport" in html
    assert "balanced" in html
    assert "NOT balanced" not in html
    assert html.count("<table") >= 5
    for view in ("settlements", "transactions", "refunds"):
        assert f"<b>{view}</b>" in html
    # Progress is one output per wait, text and HTML, not a red stderr line per update.
    assert "payouts: " in html
    assert "pages" in html
    assert 'data-mime-type="application/vnd.jupyter.stderr"' not in html
    assert html.count("payouts: ") == 1
    assert "charges (100%)" in html

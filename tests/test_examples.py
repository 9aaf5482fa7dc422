"""The README's main job runs to the end against the embedded sandbox."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_quickstart_runs_against_the_embedded_sandbox():
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAYSTACK_")}
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "quickstart.py")],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Using the embedded Paystack sandbox" in out
    assert "Charges have been queued: batch BCH_" in out
    assert "Bulk charge batch has been paused" in out
    assert "complete [##############################] 10/10 processed" in out
    assert "3 failed, 7 succeeded" in out
    assert "Verified 10 transactions: 7 successful" in out
    assert "Transaction.verify(" in out
    assert "sk_test" not in out + done.stderr  # the key is never printed

"""``paystack-rs payouts`` and ``paystack-rs refund`` against the sandbox: the settlements of a
period checked (text, --json, --out csv/html), and a refund that asks first (as bulk-charge does:
--yes, exit 2 without a terminal, exit 1 declined) and is checked before it is sent."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from paystack_rs.sandbox import Sandbox

from .test_cli import document, run


@pytest.fixture(scope="module")
def settled() -> Sandbox:
    with Sandbox(start="2024-08-01T09:00:00Z", process_interval_ms=0) as sb:
        client = sb.client()
        for amount in (120_000, 80_000):
            client.transaction.charge_authorization("success@example.com", amount, Sandbox.AUTH_SUCCESS)
        client.transaction.charge_authorization("declined@example.com", 5_000, Sandbox.AUTH_DECLINED)
        sb.advance(days=2)
        yield sb


def test_payouts_checks_each_settlement(settled, tmp_path: Path):
    done = run(["--json", "payouts", "--from", "2024-08-01", "--to", "2024-08-31"], settled)
    assert done.returncode == 0, done.stderr
    doc = document(done)
    assert doc["balanced"] is True
    assert len(doc["settlements"]) == 1
    row = doc["settlements"][0]
    assert row["transactions"] == 2
    assert row["total_processed"] == 200_000
    assert doc["unsettled"] == []
    text = run(["payouts", "--from", "2024-08-01", "--to", "2024-08-31", "--out", str(tmp_path / "p.csv")], settled)
    assert text.returncode == 0, text.stderr
    assert "balanced" in text.stdout
    assert "NOT balanced" not in text.stdout
    assert (tmp_path / "p.csv").read_text().splitlines()[0].startswith("id,settlement_date")
    html = run(["payouts", "--from", "2024-08-01", "--to", "2024-08-31", "--out", str(tmp_path / "p.html")], settled)
    assert html.returncode == 0
    assert "<b>transactions</b>" in (tmp_path / "p.html").read_text()
    bad = run(["payouts", "--from", "2024-08-01", "--to", "2024-08-31", "--out", str(tmp_path / "p.txt")], settled)
    assert bad.returncode == 2


def test_refund_asks_first_and_is_checked(settled):
    tx = settled.client().transaction.charge_authorization("success@example.com", 60_000, Sandbox.AUTH_SUCCESS).data
    reference = tx["reference"]
    settled.clear_requests()
    refused = run(["refund", reference, "--amount", "10000"], settled)
    assert refused.returncode == 2
    assert "confirmation" in refused.stderr
    declined = run(["refund", reference, "--amount", "10000"], settled, stdin=subprocess.PIPE)
    assert declined.returncode in (1, 2)
    assert settled.requests(method="POST", path="/refund") == []
    done = run(["--json", "refund", reference, "--amount", "10000", "--yes"], settled)
    assert done.returncode == 0, done.stderr
    doc = document(done)
    assert doc["refund"]["amount"] == 10_000
    assert doc["recovered"] is False
    too_much = run(["--json", "refund", reference, "--amount", "50001", "--yes"], settled)
    assert too_much.returncode == 2
    assert "50000 left to refund" in document(too_much)["error"]["message"]
    assert len(settled.requests(method="POST", path="/refund")) == 1

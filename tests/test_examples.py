"""The examples run to the end against the embedded sandbox: the README's main job, and the
Django shop receiving its webhooks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from .servers import free_port, post

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


def test_django_example_records_each_payment_from_the_webhooks(sb, tmp_path):
    """examples/django as its README runs it: migrate, runserver, charge_subscribers."""
    project = ROOT / "examples" / "django"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAYSTACK_", "DJANGO_"))}
    env.update(SHOP_DB=str(tmp_path / "shop.sqlite3"), PAYSTACK_SECRET_KEY=sb.secret_key, PAYSTACK_BASE_URL=sb.base_url)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate"], cwd=project, env=env, check=True, capture_output=True, timeout=120)
    port = free_port()
    sb.configure(webhook_url=f"http://127.0.0.1:{port}/paystack/webhook/")
    log = tmp_path / "runserver.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"], cwd=project, env=env, stdout=out, stderr=out
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, _, _ = post(f"http://127.0.0.1:{port}/payments/", method="GET")
                break
            except OSError:
                assert server.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
        assert status == 200
        done = subprocess.run(
            [*manage, "charge_subscribers"],
            check=False,
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr + log.read_text()
        out = done.stdout
        assert re.search(r"^Bulk charge BCH_\w+: 4 charges queued$", out, re.M), out
        assert "Processed: 3 succeeded, 1 failed" in out
        for email in ("success@example.com", "plain@example.com", "ada@example.com"):
            assert re.search(rf"^  recorded sub-\w+-\d: NGN [\d,.]+ from {re.escape(email)}$", out, re.M), out
        assert out.rstrip().endswith("3 payments recorded from webhooks")
        _, listed, _ = post(f"http://127.0.0.1:{port}/payments/", method="GET")
        assert len(listed["payments"]) == 3
        assert sorted(p["amount"] for p in listed["payments"]) == [250_000, 250_000, 500_000]
        assert all(d["status"] == "delivered" for d in sb.webhooks())
        assert len(sb.webhooks()) == 3
        # The webhook log kept each delivery's exact bytes: the latest replays, signature intact,
        # and is acknowledged as handled (the payment is not recorded twice).
        replay = [*manage, "replay_webhook", "--url", f"http://127.0.0.1:{port}/paystack/webhook/"]
        replayed = subprocess.run(replay, check=False, cwd=project, env=env, capture_output=True, text=True, timeout=60)
        assert replayed.returncode == 0, replayed.stderr + log.read_text()
        assert re.search(
            r"^Replayed #3 charge\.success sub-\w+-\d \(\d+ bytes\) to .*: 200 .*already handled", replayed.stdout
        )
        _, listed, _ = post(f"http://127.0.0.1:{port}/payments/", method="GET")
        assert len(listed["payments"]) == 3
        assert sb.secret_key not in out + done.stderr + log.read_text() + replayed.stdout
    finally:
        server.terminate()
        server.wait(timeout=10)

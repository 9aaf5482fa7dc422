"""The ``paystack-rs`` command, run as a subprocess against a running sandbox (the session's
embedded one through this test's own key, or a ``paystack-rs sandbox`` subprocess): exit codes,
``--json`` documents, one-line errors, and re-running a charge file without charging twice
(checked against the sandbox's ledger)."""

from __future__ import annotations

import contextlib
import csv
import fcntl
import json
import os
import pty
import select
import shlex
import signal
import socket
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import paystack_rs
from paystack_rs import _charge_file, _core
from paystack_rs.sandbox import Sandbox

from .conftest import key_for

COMMAND = Path(sys.executable).with_name("paystack-rs")
FAST = ["--poll-interval", "0.05", "--timeout", "60"]


def run(
    args: list[str],
    sb: Sandbox | None = None,
    *,
    env: dict[str, str] | None = None,
    stdin: Any = subprocess.DEVNULL,
    cwd: Path | None = None,
    module: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Runs the command to its end; no run ever shows a traceback."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PAYSTACK_")}
    # Never Paystack's real API: without a sandbox, a closed loopback port.
    environment["PAYSTACK_BASE_URL"] = "http://127.0.0.1:9"
    if sb is not None:
        environment |= {"PAYSTACK_BASE_URL": sb.base_url, "PAYSTACK_SECRET_KEY": sb.secret_key}
    environment |= env or {}
    program = [sys.executable, "-m", "paystack_rs"] if module else [str(COMMAND)]
    done = subprocess.run(
        program + args, env=environment, stdin=stdin, capture_output=True, text=True, timeout=120, cwd=cwd, check=False
    )
    assert "Traceback" not in done.stderr, done.stderr
    return done


def document(done: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    """The one JSON document a ``--json`` run prints on stdout."""
    parsed = json.loads(done.stdout)
    assert isinstance(parsed, dict)
    assert parsed["exit_code"] == done.returncode
    assert parsed["ok"] == (done.returncode == 0)
    return parsed


def write_csv(path: Path, rows: list[list[Any]]) -> Path:
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


@contextlib.contextmanager
def terminal(columns: int = 80) -> Iterator[tuple[int, int]]:
    """A pseudo-terminal ``columns`` wide: (the side a test reads and writes, the command's side)."""
    leader, follower = pty.openpty()
    try:
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
        yield leader, follower
    finally:
        os.close(follower)
        os.close(leader)


def run_on_a_terminal(args: list[str], sb: Sandbox, *, columns: int, tqdm: bool = True) -> tuple[int, str]:
    """Runs the command with stdout and stderr on one terminal, as an operator sees it: the exit
    code and everything written (``\n`` arrives as ``\r\n``). ``tqdm=False``: as if the extra were
    not installed (the interpreter is told the module is absent before the command starts)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PAYSTACK_")}
    environment |= {"PAYSTACK_BASE_URL": sb.base_url, "PAYSTACK_SECRET_KEY": sb.secret_key}
    environment.pop("COLUMNS", None)
    hide = "" if tqdm else "sys.modules['tqdm'] = sys.modules['tqdm.auto'] = None; "
    program = [sys.executable, "-c", f"import sys; {hide}from paystack_rs.cli import main; sys.exit(main())"]
    written = bytearray()
    with terminal(columns) as (leader, follower):
        process = subprocess.Popen(
            program + args, env=environment, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.1)
            if ready:
                written += os.read(leader, 65536)
            elif process.poll() is not None:
                break
        code = process.wait(timeout=10)
    text = written.decode()
    assert "Traceback" not in text, text
    return code, text


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("paystack-rs: "), done.stderr
    return lines[0]


def successful_charges(sb: Sandbox) -> dict[str, int]:
    """The charges of each reference that went through (the ledger also lists the batches)."""
    entries = sb.ledger()["entries"]
    charged = {e["reference"] for e in entries if e["operation"] != "bulkcharge.create"}
    return {ref: c["successful_charges"] for ref, c in sb.ledger()["counts"].items() if ref in charged}


# -- the command itself ----------------------------------------------------------------------


def test_version_help_and_python_dash_m():
    done = run(["--version"])
    assert (done.returncode, done.stdout.strip()) == (0, f"paystack-rs {paystack_rs.__version__}")
    helped = run(["--help"], module=True)
    assert helped.returncode == 0
    for word in ("bulk-charge", "batch", "reconcile", "export", "verify", "sandbox", "exit codes:", "130"):
        assert word in helped.stdout
    nothing = run([])
    assert nothing.returncode == 2
    assert "required: COMMAND" in one_line_error(nothing)
    unknown = run(["charge-everyone", "--json"])
    assert unknown.returncode == 2
    assert document(unknown)["error"]["kind"] == "usage"


def test_no_key_bad_key_and_a_refused_key_are_configuration_errors(sb, tmp_path):
    charges = write_csv(tmp_path / "a.csv", [["authorization", "amount"], [Sandbox.AUTH_SUCCESS, 5000]])
    missing = run(["verify", "ref-1"])
    assert missing.returncode == 3
    assert "no secret key: set PAYSTACK_SECRET_KEY" in one_line_error(missing)
    malformed = run(["bulk-charge", str(charges), "--yes", "--json"], sb, env={"PAYSTACK_SECRET_KEY": "pk_test_public"})
    assert malformed.returncode == 3
    assert document(malformed)["error"]["kind"] == "configuration"
    assert sb.requests() == [], "refused before anything was sent"
    assert "pk_test_public" not in malformed.stderr + malformed.stdout, "a key is never shown"
    bad_url = run(
        ["verify", "ref-1"], env={"PAYSTACK_SECRET_KEY": "sk_test_x", "PAYSTACK_BASE_URL": "ftp://example.com"}
    )
    assert bad_url.returncode == 3
    assert "base_url" in one_line_error(bad_url)
    # A sandbox that accepts one key only answers every other key as Paystack does: 401 Invalid key.
    with Sandbox(keys=["sk_test_the_only_key"]) as only:
        refused = run(
            ["verify", "ref-1", "--json"],
            env={"PAYSTACK_BASE_URL": only.base_url, "PAYSTACK_SECRET_KEY": "sk_test_other"},
        )
        assert refused.returncode == 3
        error = document(refused)["error"]
        assert (error["kind"], error["status_code"]) == ("AuthenticationError", 401)
        assert "Invalid key" in one_line_error(refused)
        assert "sk_test_other" not in refused.stderr


def test_a_server_that_is_not_there_is_a_connection_failure(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {"PAYSTACK_BASE_URL": f"http://127.0.0.1:{port}", "PAYSTACK_SECRET_KEY": "sk_test_nobody_home"}
    done = run(["batch", "BCH_nothing", "--json"], env=env)
    assert done.returncode == 4
    assert document(done)["error"]["kind"] in ("APIConnectionError", "Timeout")
    one_line_error(done)


# -- bulk-charge -----------------------------------------------------------------------------


def test_every_bad_row_is_listed_with_its_line_and_nothing_is_sent(sb, tmp_path):
    rows = [
        ["authorization", "amount", "reference", "attempt_partial_debit", "metadata"],
        [Sandbox.AUTH_SUCCESS, "5000.50", "", "", ""],
        ["", "5000", "", "", ""],
        [Sandbox.AUTH_SUCCESS, "1,000", "", "maybe", ""],
        [Sandbox.AUTH_SUCCESS, "5000", "dup-ref", "", ""],
        [Sandbox.AUTH_DECLINED, "5000", "dup-ref", "", ""],
        [Sandbox.AUTH_SUCCESS, "5000", "has a space", "", "[1]"],  # two problems, both listed
        [Sandbox.AUTH_SUCCESS, "5000", "", "", ""],
        ["", "12.5", "", "", ""],
    ]
    charges = write_csv(tmp_path / "bad.csv", rows)
    done = run(["bulk-charge", str(charges), "--yes"], sb)
    assert done.returncode == 2
    text = done.stderr
    assert "bad.csv: 9 problems, nothing was sent:" in text
    for wanted in (
        "line 2: amount: must be a whole number in the subunit",
        "line 3: authorization: is required",
        "line 4: amount: must be written without thousands separators",
        "line 4: attempt_partial_debit: must be true or false",
        "line 6: reference: 'dup-ref' is also the reference on line 5",
        "line 7: metadata: must be a JSON object",
        "line 7: reference: may contain only lowercase letters, digits",
        "line 9: authorization: is required",
        "line 9: amount: must be a whole number",
    ):
        assert wanted in text, wanted
    assert "line 5:" not in text
    assert "line 8:" not in text
    as_json = run(["--json", "bulk-charge", str(charges), "--yes"], sb)
    problems = document(as_json)["error"]["problems"]
    assert [p["line"] for p in problems] == [2, 3, 4, 4, 6, 7, 7, 9, 9]
    assert problems[0] == {"line": 2, "field": "amount", "message": problems[0]["message"]}
    assert sb.requests() == [], "nothing reached the API"
    headerless = write_csv(tmp_path / "headerless.csv", [[Sandbox.AUTH_SUCCESS, 5000]])
    assert "the first line must name the columns" in run(["bulk-charge", str(headerless), "--yes"], sb).stderr
    missing = run(["bulk-charge", str(tmp_path / "nope.csv"), "--yes"], sb)
    assert missing.returncode == 2
    assert "cannot read" in missing.stderr


def test_the_plan_shows_count_total_and_estimated_fees_and_a_dry_run_sends_nothing(sb, tmp_path):
    amounts = [500000, 250000, 1000, 100_000_000]
    rows = [["authorization", "amount"]] + [[Sandbox.AUTH_SUCCESS, a] for a in amounts]
    charges = write_csv(tmp_path / "plan.csv", rows)
    done = run(["bulk-charge", str(charges), "--dry-run", "--json"], sb)
    assert done.returncode == 0
    plan = document(done)
    assert (plan["count"], plan["total"], plan["batches"], plan["outcome"]) == (4, sum(amounts), 1, "dry_run")
    assert plan["estimated_fees"] == _core.estimated_card_fees(amounts, "NGN") == 17500 + 13750 + 15 + 200000
    name = _charge_file.run_name(str(charges))
    assert plan["references"][0] == _core.derive_row_reference(name, Sandbox.AUTH_SUCCESS, 0)
    assert len(set(plan["references"])) == 4
    text = run(["bulk-charge", str(charges), "--dry-run"], sb).stdout
    assert "4 charges in 1 batch" in text
    assert "NGN 1,007,510.00" in text
    assert "NGN 2,312.65" in text
    assert sb.requests() == []


def test_without_a_terminal_charging_needs_yes(sb, tmp_path):
    charges = write_csv(tmp_path / "a.csv", [["authorization", "amount"], [Sandbox.AUTH_SUCCESS, 5000]])
    done = run(["bulk-charge", str(charges), "--json"], sb)
    assert done.returncode == 2
    assert document(done)["error"]["kind"] == "confirmation_required"
    assert "pass --yes" in one_line_error(done)
    assert sb.ledger()["entries"] == []


@pytest.mark.parametrize(("answer", "code"), [("n\n", 1), ("yes\n", 0)])
def test_the_confirmation_is_asked_on_a_terminal(sb, tmp_path, answer, code):
    charges = write_csv(tmp_path / "a.csv", [["authorization", "amount"], [Sandbox.AUTH_SUCCESS, 5000]])
    with terminal() as (leader, follower):
        os.write(leader, answer.encode())
        done = run(["bulk-charge", str(charges)], sb, stdin=follower)
    assert done.returncode == code, done.stderr
    assert "Charge 1 customer NGN 50.00 (TEST key) in 1 batch? [y/N]" in done.stderr
    charged = sum(successful_charges(sb).values()) if code == 0 else len(sb.ledger()["entries"])
    assert charged == (1 if code == 0 else 0)
    if code == 1:
        assert "cancelled: nothing was charged" in done.stderr


def test_running_the_same_file_again_never_charges_twice(sb, client, tmp_path):
    rows = [
        ["authorization", "amount", "metadata.invoice"],
        [Sandbox.AUTH_SUCCESS, 5000, "INV-1"],
        [Sandbox.AUTH_SUCCESS, 7000, "INV-2"],  # the same card twice: two charges, two references
        [Sandbox.AUTH_DECLINED, 3000, "INV-3"],
        [Sandbox.AUTH_SUCCESS_PLAIN, 2000, ""],
    ]
    charges = write_csv(tmp_path / "august-rent.csv", rows)
    first = run(["bulk-charge", str(charges), "--yes", "--wait", "--json", *FAST], sb)
    assert first.returncode == 1, first.stderr  # one row declined
    report = document(first)
    assert (report["outcome"], report["count"], report["submitted_count"]) == ("complete", 4, 4)
    assert report["summary"] == {
        "success": {"count": 3, "amount": 14000},
        "failed": {"count": 1, "amount": 3000},
        "pending": {"count": 0, "amount": 0},
    }
    assert [(f["line"], f["authorization_last4"]) for f in report["failed"]] == [(4, Sandbox.AUTH_DECLINED[-4:])]
    assert Sandbox.AUTH_DECLINED not in first.stdout + first.stderr, "authorization codes: their last 4 only"
    assert "progress: 4/4 charges processed" in first.stderr
    charged = successful_charges(sb)
    assert sorted(charged.values()) == [0, 1, 1, 1]
    assert all(ref.startswith("august-rent-") for ref in charged)
    (batch_code,) = report["batch_codes"]
    invoices = {t["metadata"].get("invoice") for t in client.bulk_charge.charges(batch_code).data}
    assert {"INV-1", "INV-2", "INV-3"} <= invoices

    # The same file again, from another folder, in text mode: nothing new is charged.
    copy = tmp_path / "elsewhere"
    copy.mkdir()
    (copy / "august-rent.csv").write_bytes(charges.read_bytes())
    again = run(["bulk-charge", str(copy / "august-rent.csv"), "--yes", "--wait", *FAST], sb)
    assert again.returncode == 1
    assert "Nothing new to charge: all 4 rows" in again.stdout
    assert f"Complete: {batch_code}" in again.stdout
    assert (
        f"paystack-rs reconcile {batch_code} --retry-out retry.csv, then paystack-rs bulk-charge retry.csv"
        in again.stdout
    )
    assert "line 4:" in again.stdout
    assert successful_charges(sb) == charged, "the ledger is unchanged"
    assert len(client.bulk_charge.list().data) == 1, "no second batch"

    # Edited: an amount corrected, the rows sorted another way, a row added. The corrected row cannot
    # be told from "a row deleted and another inserted": refused before anything is sent, naming the
    # line and the earlier charge, and what to write.
    edited = [
        rows[0],
        rows[4],
        [Sandbox.AUTH_SUCCESS, 9999, "INV-1"],
        rows[3],
        rows[2],
        [Sandbox.AUTH_SUCCESS_FULL, 4000, "INV-5"],
    ]
    write_csv(charges, edited)
    refused = run(["bulk-charge", str(charges), "--yes", "--wait", "--json", *FAST], sb)
    assert refused.returncode == 2, refused.stderr
    (ambiguity,) = document(refused)["error"]["ambiguities"]
    assert ambiguity["lines"] == [3]
    (earlier,) = ambiguity["charges"]
    assert earlier["amount"] == 5000
    assert f"write {earlier['reference']} in its reference column" in refused.stderr
    assert successful_charges(sb) == charged, "nothing was sent"
    # Told which charge line 3 is (its reference written in): only the new row is sent; the
    # corrected one is reported, not charged.
    edited[0] = ["authorization", "amount", "metadata.invoice", "reference"]
    edited = [edited[0]] + [[*r, ""] for r in edited[1:]]
    edited[2][3] = earlier["reference"]
    write_csv(charges, edited)
    third = run(["bulk-charge", str(charges), "--yes", "--wait", "--json", *FAST], sb)
    result = document(third)
    assert (result["submitted_count"], result["already_submitted_count"]) == (1, 4)
    warnings = [line for line in third.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"warning: line 3: {earlier['reference']}")
    assert warnings[0].endswith("was already submitted for 5000 (the file now says 9999); it is not charged again")
    after = successful_charges(sb)
    assert len(after) == 5
    assert sum(after.values()) == 4
    assert all(after[ref] == n for ref, n in charged.items())
    assert len(client.bulk_charge.list().data) == 2


@pytest.mark.parametrize("recovery", ["recovered", "outcome_unknown"])
def test_a_lost_answer_then_a_re_run_charges_each_row_once(sb, client, tmp_path, recovery):
    # Paystack processes the batch, then the connection drops before its answer arrives. The client
    # looks the batch up by a reference (exit 0); when that fails too, the outcome is unknown
    # (exit 4). Either way, running the file again charges no one twice.
    rules: list[dict[str, Any]] = [{"kind": "drop_after", "method": "POST", "route": "/bulkcharge", "count": 1}]
    if recovery == "outcome_unknown":
        # After the two look-ups the command makes before sending (slot 0 of each card: not found).
        rules.append({"kind": "error", "status": 503, "route": "/transaction/verify/*", "after": 2})
    sb.set_faults(rules)
    rows = [["authorization", "amount"], [Sandbox.AUTH_SUCCESS, 1500], [Sandbox.AUTH_SUCCESS_PLAIN, 2500]]
    charges = write_csv(tmp_path / "lost.csv", rows)
    first = run(["bulk-charge", str(charges), "--yes", "--json", "--request-timeout", "3"], sb)
    if recovery == "recovered":
        assert first.returncode == 0, first.stderr
    else:
        assert first.returncode == 4, first.stderr
        one_line_error(first)
        message = document(first)["error"]["message"]
        assert "may or may not have reached Paystack" in message
        assert "run the same command again" in message
        sb.set_faults([])
    again = run(["bulk-charge", str(charges), "--yes", "--wait", "--json", *FAST], sb)
    assert again.returncode == 0, again.stderr
    result = document(again)
    assert (result["submitted_count"], result["already_submitted_count"]) == (0, 2)
    assert result["summary"]["success"] == {"count": 2, "amount": 4000}
    assert sorted(successful_charges(sb).values()) == [1, 1]
    assert len(client.bulk_charge.list().data) == 1


def test_a_file_is_split_into_batches_of_at_most_the_paystack_limit(sb, client, tmp_path):
    size = _core.MAX_BATCH_SIZE
    rows = [["authorization", "amount"]] + [[Sandbox.AUTH_SUCCESS, 100 + i] for i in range(size + 1)]
    charges = write_csv(tmp_path / "big.csv", rows)
    done = run(["bulk-charge", str(charges), "--yes", "--json"], sb)
    assert done.returncode == 0, done.stderr
    result = document(done)
    assert [(b["count"], b["lines"]) for b in result["submitted"]] == [(size, [2, size + 1]), (1, [size + 2, size + 2])]
    codes = {b["batch_code"] for b in result["submitted"]}
    assert {b["batch_code"] for b in client.bulk_charge.list().data} == codes
    again = document(run(["bulk-charge", str(charges), "--yes", "--json"], sb))
    assert (again["submitted_count"], again["already_submitted_count"]) == (0, size + 1)
    assert len(client.bulk_charge.list().data) == 2
    assert "paystack-rs batch" in run(["bulk-charge", str(charges), "--yes"], sb).stdout


def test_ctrl_c_between_batches_stops_and_a_re_run_submits_only_the_rest(sb, client, tmp_path):
    # 2500 rows: batches of 1000, 1000 and 500. The second initiate waits 3 s in the sandbox before
    # it is handled, so Ctrl-C lands while it is on its way.
    rows: list[list[Any]] = [["authorization", "amount"]]
    rows += [[(Sandbox.AUTH_SUCCESS, Sandbox.AUTH_SUCCESS_PLAIN)[i % 2], 100 + i] for i in range(2500)]
    charges = write_csv(tmp_path / "three-batches.csv", rows)
    sb.set_faults([{"kind": "latency", "ms": 3000, "method": "POST", "route": "/bulkcharge", "after": 1, "count": 1}])
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PAYSTACK_")}
    environment |= {"PAYSTACK_BASE_URL": sb.base_url, "PAYSTACK_SECRET_KEY": sb.secret_key}
    process = subprocess.Popen(
        [str(COMMAND), "bulk-charge", str(charges), "--yes"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    shown = []
    for line in process.stdout:  # the plan, then one line per batch submitted
        shown.append(line)
        if line.startswith("batch 1/3 "):
            break
    assert shown[-1].startswith("batch 1/3 (lines 2-1001, 1000 charges): submitted as BCH_"), shown
    first_code = shown[-1].rsplit(" ", 1)[1].strip()
    time.sleep(0.5)  # the second batch's request is in the sandbox's 3 s delay
    assert [r["fault"] for r in sb.requests(method="POST", path="/bulkcharge")] == [None, "latency:3000ms"]
    process.send_signal(signal.SIGINT)
    rest, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert "batch 2/3" not in rest
    assert err.strip() == (
        f"paystack-rs: interrupted after 1 of 3 batches were submitted (submitted: {first_code}); batch 2 may or "
        "may not have reached Paystack; run the same command again to submit only the rest: it finds what the "
        "run already charged first, so nothing is charged twice"
    ), err

    # Whole batches only: each batch Paystack has (the first, and the second if its request was
    # handled after the command had gone) holds every row of its part of the file.
    time.sleep(3)  # past the delay: the second request, if handled at all, has been
    batches = client.bulk_charge.list().data
    assert first_code in {b["batch_code"] for b in batches}
    assert len(batches) in (1, 2)
    print(f"\ninterrupted: Paystack has {len(batches)} of the 3 batches")
    for batch in batches:
        done = client.bulk_charge.wait(batch["batch_code"], poll_interval=0.05, timeout=60).data
        assert done["total_charges"] == 1000
    # The references a first run of the file gives its rows (slot k of each card, in file order).
    fresh = _charge_file.read(str(charges))
    file_references = [
        r["reference"] for r in _core.ChargeFinder(fresh.name, [row.identity() for row in fresh.rows]).plan()["rows"]
    ]
    charged = successful_charges(sb)
    assert set(charged) == set(file_references[: 1000 * len(batches)])
    assert set(charged.values()) == {1}

    # The same command again: only the rest is submitted, and every row is charged exactly once.
    again = run(["bulk-charge", str(charges), "--yes", "--wait", "--json", *FAST], sb)
    assert again.returncode == 0, again.stderr
    result = document(again)
    assert result["already_submitted_count"] == 1000 * len(batches)
    assert result["submitted_count"] == 2500 - 1000 * len(batches)
    # Only the rows not charged yet are sent, in batches of at most 1000.
    rest = 2500 - 1000 * len(batches)
    assert [b["count"] for b in result["submitted"]] == ([1000, 500] if rest == 1500 else [500])
    assert result["summary"]["success"]["count"] == 2500
    after = successful_charges(sb)
    assert set(after) == set(file_references)
    assert set(after.values()) == {1}
    assert len(client.bulk_charge.list().data) == 3
    creates = sb.ledger(operation="bulkcharge.create")["entries"]
    assert len(creates) == 3, "no batch was created twice"


@pytest.mark.parametrize(
    ("columns", "tqdm"),
    [(200, True), (40, True), (200, False), (40, False)],
    ids=["wide", "narrow", "wide-no-tqdm", "narrow-no-tqdm"],
)
def test_the_progress_bar_on_a_terminal_is_redrawn_in_place(tmp_path, columns, tqdm):
    rows = [["authorization", "amount"]] + [[Sandbox.AUTH_SUCCESS, 100 + i] for i in range(40)]
    charges = write_csv(tmp_path / "bar.csv", rows)
    with Sandbox(process_interval_ms=25) as slow:  # 40 charges in about a second: several redraws
        code, text = run_on_a_terminal(
            ["bulk-charge", str(charges), "--yes", "--wait", "--poll-interval", "0.05"],
            slow,
            columns=columns,
            tqdm=tqdm,
        )
        (batch,) = slow.client().bulk_charge.list().data
    assert code == 0, text
    before, bar_and_after = text.split(": submitted as " + batch["batch_code"] + "\r\n")
    assert "bar.csv: 40 charges in 1 batch" in " ".join(before.split()), "the plan (wrapped on a narrow terminal)"
    bar, summary = bar_and_after.split("\r\nComplete: ")
    # One row, drawn and redrawn with carriage returns: no newline inside it, and no drawing wider
    # than the terminal (a row that wraps cannot be redrawn in place).
    assert "\n" not in bar
    drawings = [d for d in bar.split("\r") if d.strip()]
    assert len(drawings) >= 3, bar
    assert all(len(d) <= columns - (0 if tqdm else 1) for d in drawings), [len(d) for d in drawings]
    assert "40/40" in drawings[-1]
    if tqdm:
        assert "100%" in drawings[-1]
        assert "█" in drawings[-1]
    else:
        assert drawings[-1].endswith("40/40 charges (100%)")
    if columns >= 80:
        assert f"batch {batch['batch_code']}" in drawings[-1]
    # The summary follows on a line of its own, after the bar's.
    assert summary.startswith(batch["batch_code"] + "\r\n  succeeded      40  NGN ")


@pytest.mark.parametrize("tqdm", [True, False], ids=["tqdm", "no-tqdm"])
def test_batch_wait_draws_the_bar_on_a_narrow_terminal(sb, client, tqdm):
    code = initiate(
        client,
        [{"authorization": Sandbox.AUTH_DECLINED, "amount": 1000 + i, "reference": f"bar-{i}"} for i in range(30)],
    )
    client.bulk_charge.pause(code)
    resume = threading.Timer(0.5, lambda: client.bulk_charge.resume(code))  # while the command waits
    resume.start()
    try:
        status, text = run_on_a_terminal(
            ["batch", code, "--wait", "--poll-interval", "0.05"], sb, columns=30, tqdm=tqdm
        )
    finally:
        resume.cancel()
    assert status == 1, text  # every charge declined
    bar, shown = text.split("\r\nbatch_code      ")
    drawings = [d for d in bar.split("\r") if d.strip()]
    assert len(drawings) >= 2, bar
    assert all(len(d) <= 30 for d in drawings), drawings
    assert "30/30" in drawings[-1]
    assert shown.startswith(code + "\r\nstatus          complete\r\n")
    assert "failed" in shown


def test_a_run_over_several_batches_is_one_thing_to_follow_and_reconcile(sb, client, tmp_path):
    # 1,001 rows on 2 cards: two batches. The hint the command prints works when pasted.
    size = _core.MAX_BATCH_SIZE
    rows = [["authorization", "amount"]]
    rows += [[(Sandbox.AUTH_SUCCESS, Sandbox.AUTH_SUCCESS_PLAIN)[i % 2], 100 + i] for i in range(size + 1)]
    charges = write_csv(tmp_path / "august.csv", rows)
    done = run(["bulk-charge", str(charges), "--yes"], sb)
    assert done.returncode == 0, done.stderr
    assert "1001 charges in 2 batches (1001 rows on 2 cards" in done.stdout
    (hint,) = [line for line in done.stdout.splitlines() if line.startswith("Follow them with: ")]
    pasted = shlex.split(hint.removeprefix("Follow them with: "))
    assert pasted[:2] == ["paystack-rs", "batch"]
    assert len(pasted) == 5  # two codes and --wait
    followed = run([*pasted[1:], "--json", "--poll-interval", "0.05", "--timeout", "60"], sb)
    assert followed.returncode == 0, followed.stderr
    assert [b["status"] for b in document(followed)["batches"]] == ["complete", "complete"]
    codes = {b["batch_code"] for b in client.bulk_charge.list().data}
    # The run reconciled as one thing, from the file alone: nothing missing, nothing unexpected.
    whole = run(["reconcile", "--run", str(charges), "--json"], sb)
    assert whole.returncode == 0, whole.stderr
    result = document(whole)
    assert set(result["batch_codes"]) == codes
    assert result["count"] == size + 1
    assert result["problems"] == dict.fromkeys(
        ["failed", "pending", "missing", "unexpected", "amount_mismatch", "duplicates"], 0
    )
    # Sorted, with a row never charged: that row is missing, nothing else.
    grown = [rows[0], *sorted(rows[1:], key=lambda r: -r[1]), [Sandbox.AUTH_SUCCESS_FULL, 4242]]
    write_csv(charges, grown)
    again = document(run(["reconcile", "--run", str(charges), "--json"], sb))
    assert (again["problems"]["missing"], again["problems"]["unexpected"]) == (1, 0)
    assert again["missing"][0]["amount"] == 4242
    # The codes themselves, with the file: the same.
    by_codes = document(
        run(["reconcile", *sorted(codes), "--expected", str(charges), "--run-name", "august", "--json"], sb)
    )
    assert by_codes["problems"] == again["problems"]
    assert run(["reconcile"], sb).returncode == 2


def test_the_plan_wraps_on_word_boundaries_on_a_narrow_terminal(sb, tmp_path):
    rows = [["authorization", "amount"]] + [[Sandbox.AUTH_SUCCESS, 100 + i] for i in range(3)]
    charges = write_csv(tmp_path / "narrow.csv", rows)
    code, text = run_on_a_terminal(["bulk-charge", str(charges), "--yes"], sb, columns=44)
    assert code == 0, text
    plan = text.split("batch 1/1")[0].replace("\r\n", "\n").splitlines()
    # The same plan into a pipe (another integration: the same references), lines whole.
    other = Sandbox.connect(sb.base_url, key_for("wrap-in-a-pipe"))
    piped = run(["bulk-charge", str(charges), "--yes"], other).stdout.split("batch 1/1")[0]
    assert max(len(line) for line in piped.splitlines()) > 44, "the plan is wider than the terminal"
    for line in plan:
        assert len(line) <= 44 or " " not in line.strip(), line  # only a word longer than the width
    assert " ".join(text.split("batch 1/1")[0].split()) == " ".join(piped.split()), "no word split"


def test_a_day_that_does_not_exist_is_named(sb, tmp_path):
    out = str(tmp_path / "x.csv")
    done = run(["export", "--from", "2026-02-30", "--to", "2026-03-01", "--out", out], sb)
    assert done.returncode == 2
    assert "2026-02 has no day 30" in one_line_error(done)
    assert "no month 13" in run(["export", "--from", "2026-13-01", "--to", "2026-12-01", "--out", out], sb).stderr
    assert "YYYY-MM-DD" in run(["export", "--from", "30/02/2026", "--to", "2026-03-01", "--out", out], sb).stderr


def test_customers_are_counted_as_cards(sb, tmp_path):
    rows = [["authorization", "amount"]] + [
        [(Sandbox.AUTH_SUCCESS, Sandbox.AUTH_SUCCESS_PLAIN)[i % 2], 100] for i in range(5)
    ]
    charges = write_csv(tmp_path / "cards.csv", rows)
    with terminal() as (leader, follower):
        os.write(leader, b"n\n")
        done = run(["bulk-charge", str(charges)], sb, stdin=follower)
    assert done.returncode == 1
    assert "Charge 2 customers NGN 5.00 in 5 charges (TEST key) in 1 batch? [y/N]" in done.stderr


# -- batch, reconcile, export, verify --------------------------------------------------------


def initiate(client: paystack_rs.Paystack, items: list[dict[str, Any]]) -> str:
    return str(client.bulk_charge.initiate(items).data["batch_code"])


def test_batch_shows_it_and_waits_for_it(sb, client):
    code = initiate(
        client,
        [
            {"authorization": Sandbox.AUTH_SUCCESS, "amount": 1000, "reference": "bt-1"},
            {"authorization": Sandbox.AUTH_DECLINED, "amount": 2000, "reference": "bt-2"},
        ],
    )
    waited = run(["batch", code, "--wait", "--json", *FAST], sb)
    assert waited.returncode == 1  # a charge failed
    result = document(waited)
    assert result["batch"]["status"] == "complete"
    assert result["failed"] == 1
    assert result["totals"]["success"]["NGN"]["amount"] == 1000
    shown = run(["batch", code], sb)
    assert shown.returncode == 0
    assert f"batch_code      {code}" in shown.stdout
    assert "complete" in shown.stdout
    unknown = run(["batch", "BCH_doesnotexist", "--json"], sb)
    assert unknown.returncode == 1
    assert document(unknown)["error"]["kind"] == "NotFoundError"
    assert run(["batch", code, "--poll-interval", "0", "--wait"], sb).returncode == 2


def test_waiting_is_interrupted_by_ctrl_c(sb, client):
    code = initiate(
        client, [{"authorization": Sandbox.AUTH_SUCCESS, "amount": 1000 + i, "reference": f"int-{i}"} for i in range(3)]
    )
    client.bulk_charge.pause(code)
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PAYSTACK_")}
    environment |= {"PAYSTACK_BASE_URL": sb.base_url, "PAYSTACK_SECRET_KEY": sb.secret_key}
    process = subprocess.Popen(
        [str(COMMAND), "batch", code, "--wait", "--json", "--poll-interval", "0.05"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.5)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 130
    assert "Traceback" not in err
    # The progress lines (stderr is no terminal here), then the one line of the error.
    assert err.strip().splitlines()[-1] == (
        f"paystack-rs: interrupted while waiting: batch {code} carries on at Paystack "
        f"(follow it again with: paystack-rs batch {code} --wait)"
    )
    answer = json.loads(out)
    assert answer["error"]["kind"] == "interrupted"
    assert (answer["outcome"], answer["batch_codes"]) == ("wait_stopped", [code])


def test_reconcile_against_the_file_that_was_charged(sb, client, tmp_path):
    rows = [
        ["authorization", "amount"],
        [Sandbox.AUTH_SUCCESS, 1000],
        [Sandbox.AUTH_DECLINED, 2000],
        [Sandbox.AUTH_SUCCESS_PLAIN, 3000],
    ]
    charges = write_csv(tmp_path / "sept.csv", rows)
    submitted = document(run(["bulk-charge", str(charges), "--yes", "--json", "--wait", *FAST], sb))
    (code,) = submitted["batch_codes"]
    # The operator's copy gains a row that was never charged, and an amount that differs.
    write_csv(
        tmp_path / "expected.csv", [*rows[:3], [Sandbox.AUTH_SUCCESS_PLAIN, 3500], [Sandbox.AUTH_SUCCESS_FULL, 10]]
    )
    out = tmp_path / "report.csv"
    done = run(
        [
            "reconcile",
            code,
            "--expected",
            str(tmp_path / "expected.csv"),
            "--run-name",
            "sept",
            "--out",
            str(out),
            "--json",
        ],
        sb,
    )
    assert done.returncode == 1
    result = document(done)
    assert result["problems"] == {
        "failed": 1,
        "pending": 0,
        "missing": 1,
        "unexpected": 0,
        "amount_mismatch": 1,
        "duplicates": 0,
    }
    assert result["amount_mismatch"][0]["expected_amount"] == 3500
    with out.open() as handle:
        written = list(csv.DictReader(handle))
    assert len(written) == 3
    assert {r["status"] for r in written} == {"success", "failed"}
    assert not (tmp_path / "report.csv.partial").exists()
    html = tmp_path / "report.html"
    text = run(["reconcile", code, "--expected", str(charges), "--out", str(html)], sb)
    assert text.returncode == 1  # the declined charge
    assert "missing                     0" in text.stdout
    assert "failed:" in text.stdout
    page = html.read_text()
    assert page.startswith("<!doctype html>")
    assert page.count("<tr>") >= 3
    assert Sandbox.AUTH_DECLINED in page
    assert run(["reconcile", code, "--out", str(tmp_path / "report.xlsx")], sb).returncode == 2
    # The failed charge as a charge file, under a reference derived from its own: charged once however often.
    retry = tmp_path / "retry.csv"
    written = document(run(["reconcile", code, "--retry-out", str(retry), "--json"], sb))
    assert written["retry_count"] == 1
    with retry.open() as handle:
        (item,) = list(csv.DictReader(handle))
    declined_reference = next(r["reference"] for r in submitted["failed"])
    assert (item["authorization"], item["amount"], item["reference"]) == (
        Sandbox.AUTH_DECLINED,
        "2000",
        f"{declined_reference}-r1",
    )
    for _ in range(2):
        retried = document(run(["bulk-charge", str(retry), "--yes", "--wait", "--json", *FAST], sb))
        assert retried["summary"]["failed"]["count"] == 1
    attempts = [e for e in sb.ledger()["entries"] if e["reference"] == f"{declined_reference}-r1"]
    assert {e["batch_code"] for e in attempts} == {retried["batch_codes"][0]}, "one retry batch, not two"
    assert len(client.bulk_charge.list().data) == 2
    clean = initiate(client, [{"authorization": Sandbox.AUTH_SUCCESS, "amount": 500, "reference": "rc-clean"}])
    run(["batch", clean, "--wait", *FAST], sb)
    assert run(["reconcile", clean], sb).returncode == 0


def test_export_writes_every_page(sb, client, tmp_path):
    for i in range(120):  # more than one page of the list endpoint
        client.transaction.charge_authorization(
            "success@example.com", 100 + i, Sandbox.AUTH_SUCCESS, reference=f"ex-{i}"
        )
    client.transaction.charge_authorization("declined@example.com", 100, Sandbox.AUTH_DECLINED, reference="ex-declined")
    today = time.strftime("%Y-%m-%d", time.gmtime())
    out = tmp_path / "all.csv"
    done = run(
        ["export", "--from", "2020-01-01", "--to", today, "--status", "success", "--out", str(out), "--json"], sb
    )
    assert done.returncode == 0, done.stderr
    assert document(done)["count"] == 120
    with out.open() as handle:
        references = [r["reference"] for r in csv.DictReader(handle)]
    assert sorted(references) == sorted(f"ex-{i}" for i in range(120))
    assert run(["export", "--from", "01/08/2024", "--to", today, "--out", str(out)], sb).returncode == 2
    assert run(["export", "--from", today, "--to", "2020-01-01", "--out", str(out)], sb).returncode == 2
    assert run(["export", "--from", "2020-01-01", "--to", today], sb).returncode == 2


def test_verify(sb, client):
    client.transaction.charge_authorization("success@example.com", 4200, Sandbox.AUTH_SUCCESS, reference="vf-ok")
    client.transaction.charge_authorization("declined@example.com", 4200, Sandbox.AUTH_DECLINED, reference="vf-no")
    ok = run(["verify", "vf-ok"], sb)
    assert ok.returncode == 0
    assert "success" in ok.stdout
    assert "NGN 42.00" in ok.stdout
    assert Sandbox.AUTH_SUCCESS not in ok.stdout, "the authorization code is not printed"
    assert f"authorization     …{Sandbox.AUTH_SUCCESS[-4:]}" in ok.stdout, "its last 4, as the logs show it"
    assert "card              visa ****4081" in ok.stdout
    # --json masks it too: the document is pasted into tickets and CI logs like the text.
    masked = run(["verify", "vf-ok", "--json"], sb)
    assert masked.returncode == 0
    assert Sandbox.AUTH_SUCCESS not in masked.stdout + masked.stderr
    data = document(masked)["data"]
    assert data["authorization"]["authorization_code"] == f"…{Sandbox.AUTH_SUCCESS[-4:]}"
    assert (data["authorization"]["last4"], data["amount"], data["reference"]) == ("4081", 4200, "vf-ok")
    # Asked for, the whole code: Paystack's data as it is, in both forms.
    shown = run(["verify", "vf-ok", "--json", "--show-authorization"], sb)
    assert document(shown)["data"]["authorization"]["authorization_code"] == Sandbox.AUTH_SUCCESS
    assert document(shown)["data"] == client.transaction.verify("vf-ok").data
    assert f"authorization     {Sandbox.AUTH_SUCCESS}" in run(["verify", "vf-ok", "--show-authorization"], sb).stdout
    declined = run(["verify", "vf-no", "--json"], sb)
    assert declined.returncode == 1
    assert document(declined)["data"]["status"] == "failed"
    unknown = run(["verify", "vf-nothing", "--json"], sb)
    # Paystack answers an unknown reference with 400 "Transaction reference not found."
    assert unknown.returncode == 1
    assert document(unknown)["error"]["paystack_message"].startswith("Transaction reference not found")


# -- sandbox ---------------------------------------------------------------------------------


def test_sandbox_flags_are_the_binarys(tmp_path):
    helped = run(["sandbox", "--help"])
    assert helped.returncode == 0
    assert helped.stdout.strip() == _core.sandbox_usage("paystack-rs sandbox").strip()
    for flag in ("--config", "--webhook-retry-interval-ms", "--webhook-max-attempts", "--key", "--faults"):
        assert flag in helped.stdout
    for bad, wanted in [
        (["--faults", "[{"], "--faults: "),
        (["--faults", '[{"kind":"boom"}]'], "--faults: "),
        (["--port", "70000"], "--port needs a port number"),
        (["--secret-key", "pk_test_x"], "secret_key must look like"),
        (["--colour", "red"], "unknown argument --colour"),
    ]:
        done = run(["sandbox", *bad])
        assert done.returncode == 2, bad
        assert wanted in one_line_error(done)
    as_json = run(["--json", "sandbox", "--config", str(tmp_path / "missing.json")])
    assert as_json.returncode == 2
    assert "neither JSON nor a readable file" in document(as_json)["error"]["message"]


def test_a_sandbox_subprocess_end_to_end(tmp_path):
    config = tmp_path / "sandbox.json"
    config.write_text(json.dumps({"process_interval_ms": 1, "webhook_max_attempts": 2}))
    args = [str(COMMAND), "sandbox", "--config", str(config), "--key", "sk_test_cli_one", "--port", "0", "--json"]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        ready = json.loads(process.stdout.readline() if process.stdout else "{}")
        assert ready["ok"]
        assert ready["keys"] == 1
        assert not ready["default_key"]
        base_url = ready["base_url"]
        charges = write_csv(tmp_path / "e2e.csv", [["authorization", "amount"], [Sandbox.AUTH_SUCCESS, 1234]])
        env = {"PAYSTACK_BASE_URL": base_url, "PAYSTACK_SECRET_KEY": "sk_test_cli_one"}
        done = run(["bulk-charge", str(charges), "--yes", "--wait", *FAST], env=env)
        assert done.returncode == 0, done.stderr
        assert "succeeded       1" in done.stdout
        remote = Sandbox.connect(base_url, "sk_test_cli_one")
        assert sum(c["successful_charges"] for c in remote.ledger()["counts"].values()) == 1
        wrong = run(["bulk-charge", str(charges), "--yes"], env={**env, "PAYSTACK_SECRET_KEY": "sk_test_cli_two"})
        assert wrong.returncode == 3
        assert "Invalid key" in wrong.stderr
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    banner = process.stderr.read() if process.stderr else ""
    assert "only 1 key(s) accepted" in banner
    assert "sk_test_cli_one" not in banner

"""bulk_charge.wait / wait_async against the sandbox: until the batch is complete, the timeout,
and each kind of progress (a callable, tqdm, the stderr line, silence off a terminal)."""

from __future__ import annotations

import asyncio
import sys

import pytest

import paystack_rs
from paystack_rs.sandbox import Sandbox

from .helpers import MODES


def new_batch(client: paystack_rs.Paystack, n: int = 12) -> str:
    items = [{"authorization": Sandbox.AUTH_SUCCESS, "amount": 5000 + i, "reference": f"w-{i}"} for i in range(n)]
    return str(client.bulk_charge.initiate(items).data["batch_code"])


def wait(mode: str, client: paystack_rs.Paystack, code: str, **kwargs) -> paystack_rs.Response:
    if mode == "sync":
        return client.bulk_charge.wait(code, **kwargs)
    return asyncio.run(client.bulk_charge.wait_async(code, **kwargs))


@pytest.mark.parametrize("mode", MODES)
def test_wait_returns_the_complete_batch(mode, client, sb):
    sb.configure(process_interval_ms=20)
    code = new_batch(client)
    seen: list[tuple[int, int]] = []
    final = wait(mode, client, code, poll_interval=0.02, progress=lambda done, total: seen.append((done, total)))
    assert final.status_code == 200
    assert final.data["batch_code"] == code
    assert final.data["status"] == "complete"
    assert final.data["pending_charges"] == 0
    assert seen[-1] == (12, 12)
    assert len(seen) >= 2, "progress was reported while the batch was processed"
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert {total for _, total in seen} == {12}
    fetches = [r for r in sb.requests() if r["path"] == f"/bulkcharge/{code}"]
    assert len(fetches) >= len(seen)  # one fetch per poll; a repeat of the same figures is not reported


@pytest.mark.parametrize("mode", MODES)
def test_a_paused_batch_times_out_with_what_was_processed(mode, client, sb):
    sb.configure(process_interval_ms=1000)
    code = new_batch(client, 3)
    client.bulk_charge.pause(code)
    with pytest.raises(paystack_rs.Timeout) as caught:
        wait(mode, client, code, timeout=0.3, poll_interval=0.05)
    assert isinstance(caught.value, TimeoutError)
    assert code in str(caught.value)
    assert "paused" in str(caught.value)
    assert caught.value.phase == "wait"
    client.bulk_charge.resume(code)


@pytest.mark.parametrize("mode", MODES)
def test_an_unknown_batch_raises_not_found(mode, client):
    with pytest.raises(paystack_rs.NotFoundError):
        wait(mode, client, "BCH_doesnotexist0", poll_interval=0.01)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"timeout": 0}, "timeout"), ({"poll_interval": -1}, "poll_interval"), ({"progress": "loud"}, "progress")],
)
def test_bad_arguments_name_the_field_and_send_nothing(client, sb, kwargs, field):
    sb.clear_requests()
    with pytest.raises(paystack_rs.ValidationError, match=field):
        client.bulk_charge.wait("BCH_x", **kwargs)
    assert sb.requests() == []


def test_progress_true_is_silent_off_a_terminal(client, sb, capsys):
    sb.configure(process_interval_ms=0)
    code = new_batch(client, 3)
    client.bulk_charge.wait(code, poll_interval=0.01, progress=True)
    assert capsys.readouterr().err == ""


def test_progress_always_without_tqdm_writes_a_line_per_change(client, sb, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)  # as if tqdm were not installed
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)
    sb.configure(process_interval_ms=10)
    code = new_batch(client, 5)
    client.bulk_charge.wait(code, poll_interval=0.01, progress="always")
    lines = capsys.readouterr().err.splitlines()
    assert lines[-1] == f"batch {code}: 5/5 charges (100%)"
    assert len(lines) == len(set(lines)), "a line is written only when it changes"


def test_progress_always_with_tqdm_draws_a_bar(client, sb, capsys):
    pytest.importorskip("tqdm")
    sb.configure(process_interval_ms=0)
    code = new_batch(client, 4)
    client.bulk_charge.wait(code, poll_interval=0.01, progress="always")
    err = capsys.readouterr().err
    assert f"batch {code}" in err
    assert "4/4" in err


def test_the_global_class_waits_too(global_client, client, sb):
    sb.configure(process_interval_ms=0)
    code = new_batch(client, 2)
    assert paystack_rs.BulkCharge.wait(code, poll_interval=0.01).data["status"] == "complete"

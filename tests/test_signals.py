"""Signals interrupt sync calls promptly: a call waiting (GIL released) on a slow sandbox answer lets
Python run signal handlers every 50 ms on the main thread, so a real SIGINT raises KeyboardInterrupt
and a SIGALRM handler runs within 0.2 s; the interrupted call then stops (nothing more is sent)."""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from paystack_rs.sandbox import Sandbox

pytestmark = pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="POSIX signals")

REPORT = Path(__file__).resolve().parents[1] / "target" / "interrupt-latency.json"


def record(name: str, seconds: float) -> None:
    REPORT.parent.mkdir(exist_ok=True)
    data = json.loads(REPORT.read_text()) if REPORT.exists() else {}
    data[name] = round(seconds, 4)
    REPORT.write_text(json.dumps(data, indent=2))


@pytest.fixture
def slow(sb: Sandbox) -> Sandbox:
    sb.set_faults([{"kind": "latency", "ms": 5000}])
    return sb


def test_sigint_raises_keyboard_interrupt_within_a_fifth_of_a_second(client, slow):
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    sent: list[float] = []

    def interrupt() -> None:
        time.sleep(0.33)  # off the 50 ms ticks
        sent.append(time.monotonic())
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=interrupt).start()
    try:
        with pytest.raises(KeyboardInterrupt):
            client.transaction.totals()
        latency = time.monotonic() - sent[0]
    finally:
        signal.signal(signal.SIGINT, previous)
    record("sigint", latency)
    assert latency < 0.2, latency
    time.sleep(0.5)
    assert len(slow.requests()) == 1  # the interrupted call sent nothing more


def test_a_sigalrm_handler_runs_and_its_exception_stops_the_call(client, slow, caplog):
    caplog.set_level(logging.WARNING, logger="paystack_rs")
    fired: list[float] = []

    def on_alarm(signum: int, frame: object) -> None:
        fired.append(time.monotonic())
        raise TimeoutError("the alarm rang")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    started = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, 0.33)
    try:
        with pytest.raises(TimeoutError, match="the alarm rang"):
            client.transaction.charge_authorization("success@example.com", 100, Sandbox.AUTH_SUCCESS, reference="al-1")
        interrupted = time.monotonic()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    latency = interrupted - (started + 0.33)
    record("sigalrm", latency)
    assert latency < 0.2, latency
    assert fired
    assert fired[0] - (started + 0.33) < 0.2
    time.sleep(0.5)
    assert [r["path"] for r in slow.requests()] == ["/transaction/charge_authorization"]
    # The charge was on the wire when the handler stopped it: the log says so.
    warnings = [r.getMessage() for r in caplog.records if r.name == "paystack_rs.recovery"]
    assert warnings
    assert "cancelled while its request was on the wire: reference al-1" in warnings[0]


def test_a_handler_that_does_not_raise_lets_the_call_finish(client, sb):
    sb.set_faults([{"kind": "latency", "ms": 700}])
    fired: list[float] = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(time.monotonic()))
    started = time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, 0.2)
    try:
        assert client.transaction.totals().status
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert len(fired) == 1
    assert fired[0] - (started + 0.2) < 0.2  # it ran while the call waited, not after
    assert time.monotonic() - started >= 0.7


def test_calls_on_other_threads_are_not_interrupted(client, sb):
    # Python runs handlers on the main thread only; a worker's call is neither interrupted nor ticked.
    sb.set_faults([{"kind": "latency", "ms": 600}])
    fired: list[float] = []
    results: list[bool] = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(time.monotonic()))
    worker = threading.Thread(target=lambda: results.append(client.transaction.totals().status))
    worker.start()
    signal.setitimer(signal.ITIMER_REAL, 0.2)
    try:
        worker.join()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert results == [True]
    assert len(fired) == 1

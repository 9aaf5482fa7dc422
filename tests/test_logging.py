"""Logs through the standard ``logging`` module (logger ``paystack_rs`` and its children), proved with
real retries and recoveries against the sandbox: one DEBUG line per request, INFO per retry and
recovery step, WARNING for a charge whose outcome is unknown; never a secret, an authorization code
beyond its last four characters, or card data; nothing handed to Python for a disabled level;
``PAYSTACK_LOG=debug`` without code; and ``import paystack_rs`` alone never imports ``logging``."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import textwrap

import pytest

import paystack_rs
from paystack_rs import _logging
from paystack_rs.sandbox import Sandbox

from .helpers import MODES, invoke

CHARGE = "/transaction/charge_authorization"


def ours(caplog: pytest.LogCaptureFixture, name: str | None = None) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith("paystack_rs") and (name is None or r.name == name)]


def assert_no_secrets(records: list[logging.LogRecord], *secrets: str) -> None:
    for record in records:
        text = record.getMessage() + repr(record.__dict__)
        for secret in secrets:
            if secret.isdigit():
                # Card digits (a BIN, a last4) leak as a number of their own; inside a longer run
                # of digits (a backoff of 0.888040811 s, a timestamp) they are not the card's.
                assert not re.search(rf"(?<!\d){secret}(?!\d)", text), record.getMessage()
            else:
                assert secret not in text, record.getMessage()


@pytest.mark.parametrize("mode", MODES)
def test_each_request_and_retry_is_logged(mode, client, sb, caplog):
    caplog.set_level(logging.DEBUG, logger="paystack_rs")
    sb.set_faults([{"kind": "error", "status": 503, "count": 2}])
    invoke(mode, client.transaction, "totals", max_retries=3)
    requests = ours(caplog, "paystack_rs.http")
    assert [r.levelno for r in requests] == [logging.DEBUG] * 3
    assert [r.paystack_status for r in requests] == [503, 503, 200]  # type: ignore[attr-defined]
    assert [r.paystack_attempt for r in requests] == [1, 2, 3]  # type: ignore[attr-defined]
    assert all(r.paystack_method == "GET" and r.paystack_path == "/transaction/totals" for r in requests)  # type: ignore[attr-defined]
    assert all(r.paystack_duration_ms >= 0 for r in requests)  # type: ignore[attr-defined]
    assert requests[0].getMessage().startswith("GET /transaction/totals 503 in ")
    retries = ours(caplog, "paystack_rs.retry")
    assert [r.levelno for r in retries] == [logging.INFO] * 2
    assert "attempt 1 failed (HTTP 503 Service Unavailable); trying again in " in retries[0].getMessage()
    assert retries[0].paystack_reason == "HTTP 503 Service Unavailable"  # type: ignore[attr-defined]
    assert_no_secrets(ours(caplog), sb.secret_key)


@pytest.mark.parametrize("mode", MODES)
def test_recovery_and_an_unknown_outcome_are_logged_without_the_authorization(mode, client, sb, caplog):
    caplog.set_level(logging.INFO, logger="paystack_rs")
    sb.set_faults(
        [{"kind": "drop_after", "route": CHARGE}, {"kind": "error", "status": 503, "route": "/transaction/verify/*"}]
    )
    with pytest.raises(paystack_rs.APIConnectionError):
        invoke(
            mode,
            client.transaction,
            "charge_authorization",
            "success@example.com",
            5000,
            Sandbox.AUTH_SUCCESS,
            reference="logged-1",
            max_retries=0,
            timeout=1.5,
        )
    recovery = ours(caplog, "paystack_rs.recovery")
    assert recovery[0].levelno == logging.INFO
    assert "the answer for reference logged-1 was lost" in recovery[0].getMessage()
    warning = recovery[-1]
    assert warning.levelno == logging.WARNING
    assert warning.getMessage().startswith(
        "transaction.charge_authorization: outcome unknown for reference logged-1 (authorization …s001)"
    )
    assert warning.paystack_reference == "logged-1"  # type: ignore[attr-defined]
    assert ours(caplog, "paystack_rs.http") == []  # DEBUG was not asked for
    assert_no_secrets(ours(caplog), sb.secret_key, Sandbox.AUTH_SUCCESS, "408408", "4081")


def test_a_lost_charge_that_went_through_is_logged_as_found(client, sb, caplog):
    caplog.set_level(logging.INFO, logger="paystack_rs.recovery")
    sb.set_faults([{"kind": "drop_after", "route": CHARGE, "count": 1}])
    r = client.transaction.charge_authorization("success@example.com", 700, Sandbox.AUTH_SUCCESS, reference="found-1")
    assert r.recovered
    messages = [rec.getMessage() for rec in ours(caplog)]
    assert messages[-1] == (
        "transaction.charge_authorization: reference found-1 went through: returning it, not sending again (1 lookup)"
    )


def test_levels_follow_logging_at_once_and_a_disabled_level_costs_no_python_call(client, sb, caplog, monkeypatch):
    emitted: list[tuple[str, int]] = []
    real_emit = _logging.emit

    def counting_emit(area: str, level: int, message: str, extra: dict) -> None:
        emitted.append((area, level))
        real_emit(area, level, message, extra)

    monkeypatch.setattr(_logging, "emit", counting_emit)
    sb.set_faults([{"kind": "error", "status": 503, "count": 1}])
    caplog.set_level(logging.WARNING, logger="paystack_rs")
    client.transaction.totals()
    assert emitted == []  # a retried call, and not one event handed to Python
    assert ours(caplog) == []
    caplog.set_level(logging.DEBUG, logger="paystack_rs.http")  # no restart, no new client
    sb.set_faults([{"kind": "error", "status": 503, "count": 1}])
    client.transaction.totals()
    assert emitted == [("http", logging.DEBUG)] * 2
    assert len(ours(caplog, "paystack_rs.http")) == 2
    logging.disable(logging.CRITICAL)
    try:
        client.transaction.totals()
    finally:
        logging.disable(logging.NOTSET)
    assert len(emitted) == 2


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "PAYSTACK_LOG"} | env
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        check=False,
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
    )


def test_import_does_not_import_logging():
    done = run_python("import sys, paystack_rs; print('logging' in sys.modules)")
    assert done.stdout.strip() == "False", done.stderr


def test_paystack_log_debug_writes_to_stderr_without_code(sandbox):
    code = f"""
        import sys, paystack_rs
        from paystack_rs.sandbox import Sandbox
        sb = Sandbox.connect({sandbox.base_url!r}, "sk_test_paystack_log_env")
        sb.set_faults([{{"kind": "error", "status": 503, "count": 1}}])
        sb.client().transaction.totals()
        print("logging" in sys.modules)
    """
    done = run_python(code, PAYSTACK_LOG="debug")
    assert done.stdout.strip() == "True"
    lines = done.stderr.splitlines()
    assert any("DEBUG paystack_rs.http: GET /transaction/totals 503 in " in line for line in lines), done.stderr
    assert any("INFO paystack_rs.retry: transaction.totals: attempt 1 failed (HTTP 503" in line for line in lines)
    assert "sk_test_paystack_log_env" not in done.stderr
    info = run_python(code, PAYSTACK_LOG="info")
    assert "paystack_rs.retry" in info.stderr
    assert "paystack_rs.http" not in info.stderr


def test_logging_configured_after_the_import_is_followed(sandbox):
    code = f"""
        import paystack_rs, logging
        from paystack_rs.sandbox import Sandbox
        logging.basicConfig(level=logging.DEBUG, format="%(name)s %(message)s")
        sb = Sandbox.connect({sandbox.base_url!r}, "sk_test_logging_after_import")
        sb.client().transaction.totals()
    """
    done = run_python(code)
    assert "paystack_rs.http GET /transaction/totals 200 in " in done.stderr, done.stderr


def test_a_warning_is_shown_even_when_logging_was_never_configured(sandbox):
    code = f"""
        import sys, paystack_rs
        from paystack_rs.sandbox import Sandbox
        sb = Sandbox.connect({sandbox.base_url!r}, "sk_test_unconfigured_warning")
        sb.set_faults([{{"kind": "drop_after", "route": "{CHARGE}"}}, {{"kind": "error", "status": 503,
                        "route": "/transaction/verify/*"}}])
        try:
            sb.client().transaction.charge_authorization("success@example.com", 100, Sandbox.AUTH_SUCCESS,
                                                         reference="w-1", max_retries=0, timeout=1)
        except paystack_rs.APIConnectionError:
            pass
    """
    done = run_python(code)
    assert "outcome unknown for reference w-1 (authorization …s001)" in done.stderr, done.stderr

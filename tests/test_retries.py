"""Retries that never charge twice, proved with the sandbox's faults and ledger."""

from __future__ import annotations

import socket
import time

import pytest

import paystack_rs
from paystack_rs.sandbox import Sandbox

from .helpers import MODES, invoke

CHARGE = "/transaction/charge_authorization"
FAST = {"max_retries": 3}


def charge_args() -> tuple[str, int, str]:
    return ("success@example.com", 5000, Sandbox.AUTH_SUCCESS)


def successful_charges(sb: Sandbox, reference: str) -> int:
    counts = sb.ledger(reference=reference)["counts"]
    return counts.get(reference, {}).get("successful_charges", 0)


def paths(sb: Sandbox) -> list[str]:
    return [f"{r['method']} {r['path']}" for r in sb.requests()]


@pytest.mark.parametrize("mode", MODES)
def test_a_get_is_retried_after_5xx(mode, client, sb):
    sb.set_faults([{"kind": "error", "status": 502, "count": 2}])
    r = invoke(mode, client.transaction, "totals", **FAST)
    assert r.status
    assert r.attempts == 3
    assert [q["fault"] for q in sb.requests()] == ["error:502", "error:502", None]


@pytest.mark.parametrize("mode", MODES)
def test_429_is_retried_after_the_servers_reset(mode, client, sb):
    sb.set_faults([{"kind": "rate_limit", "limit": 2, "window_ms": 700}])
    started = time.monotonic()
    answers = [invoke(mode, client.transaction, "totals", max_retries=5) for _ in range(4)]
    assert all(a.status for a in answers)
    assert sum(a.attempts for a in answers) > 4
    assert time.monotonic() - started >= 0.5  # it waited for the window to reset instead of hammering
    rate_limited = [q for q in sb.requests() if q["fault"] == "rate_limited"]
    assert 1 <= len(rate_limited) <= 3


@pytest.mark.parametrize("mode", MODES)
def test_a_charge_answered_500_is_verified_before_it_is_sent_again(mode, client, sb):
    sb.set_faults([{"kind": "error", "status": 500, "route": CHARGE, "count": 1}])
    r = invoke(mode, client.transaction, "charge_authorization", *charge_args(), reference="r500", **FAST)
    assert r.data["status"] == "success"
    assert r.attempts == 3
    assert r.recovered is False
    assert paths(sb) == [f"POST {CHARGE}", "GET /transaction/verify/r500", f"POST {CHARGE}"]
    assert successful_charges(sb, "r500") == 1


@pytest.mark.parametrize("mode", MODES)
def test_a_charge_whose_answer_was_lost_is_found_not_repeated(mode, client, sb):
    sb.set_faults([{"kind": "drop_after", "route": CHARGE, "count": 1}])
    r = invoke(mode, client.transaction, "charge_authorization", *charge_args(), reference="lost-1", **FAST)
    assert r.recovered is True
    assert r.message == "Verification successful"
    assert r.data["reference"] == "lost-1"
    assert r.data["status"] == "success"
    assert r.attempts == 2
    assert paths(sb) == [f"POST {CHARGE}", "GET /transaction/verify/lost-1"]
    assert successful_charges(sb, "lost-1") == 1


@pytest.mark.parametrize("mode", MODES)
def test_a_charge_dropped_before_processing_is_sent_again_once(mode, client, sb):
    sb.set_faults([{"kind": "drop_before", "route": CHARGE, "count": 1}])
    r = invoke(
        mode,
        client.transaction,
        "partial_debit",
        "success@example.com",
        5000,
        Sandbox.AUTH_SUCCESS,
        "NGN",
        reference="dropped-1",
        **FAST,
    )
    assert r.data["status"] == "success"
    assert successful_charges(sb, "dropped-1") <= 1


@pytest.mark.parametrize("mode", MODES)
def test_a_slow_charge_past_the_timeout_charges_once(mode, client, sb):
    # The first attempt is held 800 ms by the server and then processed; the client gives up on
    # it after 200 ms, verifies (nothing yet), and sends again with the same reference.
    sb.set_faults([{"kind": "latency", "ms": 800, "route": CHARGE, "count": 1}])
    r = invoke(
        mode,
        client.transaction,
        "charge_authorization",
        *charge_args(),
        reference="slow-1",
        timeout=paystack_rs.Timeouts(read=0.2),
        max_retries=3,
    )
    assert r.data["status"] == "success"
    time.sleep(1.0)  # let the held first attempt finish: Paystack refuses its duplicate reference
    assert successful_charges(sb, "slow-1") == 1
    ledger = sb.ledger(reference="slow-1")["entries"]
    assert [e["outcome"] for e in ledger].count("success") == 1


@pytest.mark.parametrize("mode", MODES)
def test_when_the_outcome_stays_unknown_the_error_names_the_reference(mode, client, sb):
    sb.set_faults(
        [{"kind": "drop_after", "route": CHARGE}, {"kind": "error", "status": 503, "route": "/transaction/verify/*"}]
    )
    with pytest.raises(paystack_rs.APIConnectionError) as caught:
        invoke(
            mode,
            client.transaction,
            "charge_authorization",
            *charge_args(),
            reference="unknown-1",
            max_retries=1,
            timeout=3,
        )
    error = caught.value
    assert error.outcome_unknown_reference == "unknown-1"
    assert "verify reference 'unknown-1'" in str(error) or 'verify reference "unknown-1"' in str(error)
    assert successful_charges(sb, "unknown-1") == 1  # it did go through: the caller must verify later
    sb.clear_faults()
    assert client.transaction.verify("unknown-1").data["status"] == "success"


@pytest.mark.parametrize("mode", MODES)
def test_a_bulk_initiation_whose_answer_was_lost_finds_its_batch(mode, client, sb):
    sb.set_faults([{"kind": "drop_after", "method": "POST", "route": "/bulkcharge", "count": 1}])
    items = [{"authorization": Sandbox.AUTH_SUCCESS, "amount": 100 + i, "reference": f"lb-{i}"} for i in range(3)]
    r = invoke(mode, client.bulk_charge, "initiate", items, **FAST)
    assert r.recovered is True
    assert r.message == "Bulk charge retrieved"
    assert r.data["total_charges"] == 3
    assert r.references == ["lb-0", "lb-1", "lb-2"]
    batches = client.bulk_charge.list().data
    assert len(batches) == 1
    assert [q for q in paths(sb) if q.startswith("POST")] == ["POST /bulkcharge"]


@pytest.mark.parametrize("mode", MODES)
def test_a_bulk_initiation_refused_with_500_is_sent_again_once(mode, client, sb):
    sb.set_faults([{"kind": "error", "status": 500, "method": "POST", "route": "/bulkcharge", "count": 1}])
    r = invoke(mode, client.bulk_charge, "initiate", [{"authorization": Sandbox.AUTH_SUCCESS, "amount": 100}], **FAST)
    assert r.message == "Charges have been queued"
    assert len(client.bulk_charge.list().data) == 1


@pytest.mark.parametrize("mode", MODES)
def test_initialize_with_a_lost_answer(mode, client, sb):
    # A generated reference: the orphaned (unpaid) transaction is left, a new one is made.
    sb.set_faults([{"kind": "drop_after", "route": "/transaction/initialize", "count": 1}])
    r = invoke(mode, client.transaction, "initialize", "ada@example.com", 5000, **FAST)
    assert "authorization_url" in r.data
    assert r.reference == r.data["reference"]
    # The caller's own reference: never silently replaced; the error says what happened.
    sb.set_faults([{"kind": "drop_after", "route": "/transaction/initialize", "count": 1}])
    with pytest.raises(paystack_rs.InvalidRequestError) as caught:
        invoke(mode, client.transaction, "initialize", "ada@example.com", 5000, reference="order-77", **FAST)
    assert caught.value.code == "duplicate_reference"
    assert "order-77" in caught.value.next_step
    assert sb.ledger()["entries"] == [] or all(e["outcome"] != "success" for e in sb.ledger()["entries"])


@pytest.mark.parametrize("mode", MODES)
def test_a_refused_connection_is_retried_even_for_a_charge(mode, sb):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = paystack_rs.Paystack(sb.secret_key, base_url=f"http://127.0.0.1:{port}", max_retries=2)
    started = time.monotonic()
    with pytest.raises(paystack_rs.APIConnectionError) as caught:
        invoke(mode, client.transaction, "charge_authorization", *charge_args())
    assert caught.value.attempts == 3
    assert caught.value.outcome_unknown_reference is None  # nothing was sent, so nothing is unknown
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("mode", MODES)
def test_the_overall_deadline_bounds_every_retry(mode, client, sb):
    sb.set_faults([{"kind": "error", "status": 503}])
    started = time.monotonic()
    with pytest.raises(paystack_rs.ServerError) as caught:
        invoke(mode, client.transaction, "totals", max_retries=50, timeout=1.0)
    assert time.monotonic() - started < 2.5
    assert 1 < caught.value.attempts < 51


@pytest.mark.parametrize("mode", MODES)
def test_max_retries_zero_sends_once(mode, client, sb):
    sb.set_faults([{"kind": "error", "status": 503, "count": 1}])
    with pytest.raises(paystack_rs.ServerError) as caught:
        invoke(mode, client.transaction, "totals", max_retries=0)
    assert caught.value.attempts == 1
    assert len(sb.requests()) == 1


def test_client_side_rate_limit_keeps_under_the_sandboxs_quota(sb):
    # The sandbox allows 5 requests per 600 ms; the client is told the same quota and never
    # exceeds it, so no request is refused.
    sb.set_faults([{"kind": "rate_limit", "limit": 5, "window_ms": 600}])
    client = sb.client(rate_limit=(5, 0.6), max_retries=0)
    started = time.monotonic()
    for _ in range(12):
        assert client.transaction.totals().status
    assert time.monotonic() - started >= 1.1  # two full windows had to pass
    assert [q["fault"] for q in sb.requests()] == [None] * 12


def test_client_side_rate_limit_presets(sb):
    sb.set_faults([{"kind": "rate_limit", "preset": "paystack-test"}])
    client = sb.client(rate_limit="paystack-test", max_retries=0)
    for _ in range(100):
        client.transaction.totals()
    # The 101st would need the window to pass: with a short deadline the limiter says so at once.
    with pytest.raises(paystack_rs.Timeout) as caught:
        client.transaction.totals(timeout=0.5)
    assert caught.value.phase == "total"
    assert caught.value.attempts == 0
    assert len(sb.requests()) == 100
    assert all(q["fault"] is None for q in sb.requests())

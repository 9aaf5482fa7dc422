"""Each error class, produced by a real answer (or a real network failure) from the sandbox."""

from __future__ import annotations

import socket

import pytest

import paystack_rs
from paystack_rs.sandbox import Sandbox

from .helpers import MODES, invoke

pytestmark = pytest.mark.parametrize("mode", MODES)


def test_invalid_key_is_an_authentication_error(mode, sb):
    client = paystack_rs.Paystack("sk_nope_123", base_url=sb.base_url)
    with pytest.raises(paystack_rs.AuthenticationError) as caught:
        invoke(mode, client.transaction, "verify", "re4lyvq3s3")
    assert caught.value.status_code == 401
    assert caught.value.paystack_message == "Invalid key"
    assert isinstance(caught.value, paystack_rs.APIError)


def test_missing_key_is_refused_before_sending(mode, sb, monkeypatch):
    monkeypatch.delenv("PAYSTACK_SECRET_KEY", raising=False)
    monkeypatch.setattr(paystack_rs, "api_key", None)
    monkeypatch.setattr(paystack_rs, "base_url", sb.base_url)
    with pytest.raises(paystack_rs.AuthenticationError, match="No Paystack secret key"):
        invoke(mode, paystack_rs.Transaction, "verify", "x")
    with pytest.raises(paystack_rs.AuthenticationError):
        paystack_rs.Paystack(base_url=sb.base_url)


def test_a_refusal_carries_the_reason_the_client_recognised(mode, client, sb):
    """``APIError.reason`` comes from the core's classification of Paystack's refusals."""
    charge = ("success@example.com", 500, Sandbox.AUTH_SUCCESS)
    reference = invoke(mode, client.transaction, "charge_authorization", *charge).data["reference"]
    with pytest.raises(paystack_rs.InvalidRequestError) as duplicate:
        invoke(mode, client.transaction, "charge_authorization", *charge, reference=reference)
    assert duplicate.value.paystack_message == "Duplicate Transaction Reference"
    assert duplicate.value.reason == "duplicate_reference"
    with pytest.raises(paystack_rs.APIError) as unknown:
        invoke(mode, client.transaction, "verify", "no-such-reference-here")
    assert unknown.value.paystack_message == "Transaction reference not found."
    assert unknown.value.reason == "not_found"
    with pytest.raises(paystack_rs.NotFoundError) as no_batch:
        invoke(mode, client.bulk_charge, "fetch", "BCH_nosuchbatch")
    assert no_batch.value.reason == "not_found"
    # An authorization Paystack does not know: a refusal that is none of the recognised ones.
    with pytest.raises(paystack_rs.InvalidRequestError) as other:
        invoke(mode, client.transaction, "charge_authorization", "success@example.com", 500, "AUTH_nosuchcode")
    assert other.value.reason is None
    with pytest.raises(paystack_rs.AuthenticationError) as bad_key:
        invoke(mode, paystack_rs.Paystack("sk_nope_123", base_url=sb.base_url).transaction, "totals")
    assert bad_key.value.reason == "invalid_key"


def test_rate_limit_error_carries_retry_after(mode, client, sb):
    sb.set_faults([{"kind": "rate_limit", "limit": 1, "window_ms": 60_000}])
    invoke(mode, client.transaction, "totals")
    with pytest.raises(paystack_rs.RateLimitError) as caught:
        invoke(mode, client.transaction, "totals", max_retries=0)
    error = caught.value
    assert error.status_code == 429
    assert error.paystack_message == "Rate limit exceeded!"
    assert error.code == "rate_limited"
    assert error.reason == "rate_limited"
    assert error.type == "api_error"
    assert error.next_step == "Wait a few minutes and try the API call again"
    assert 0 < error.retry_after <= 60
    assert error.response.headers["x-ratelimit-limit"] == "1"


def test_server_error_after_retries(mode, client, sb):
    sb.set_faults([{"kind": "error", "status": 503, "route": "/transaction/totals"}])
    with pytest.raises(paystack_rs.ServerError) as caught:
        invoke(mode, client.transaction, "totals", max_retries=2)
    assert caught.value.status_code == 503
    assert caught.value.attempts == 3
    assert "after 3 attempts" in str(caught.value)
    assert len(sb.requests(path="/transaction/totals")) == 3


def test_connection_refused_is_an_api_connection_error(mode):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = paystack_rs.Paystack("sk_test_x", base_url=f"http://127.0.0.1:{port}", max_retries=1)
    with pytest.raises(paystack_rs.APIConnectionError) as caught:
        invoke(mode, client.transaction, "verify", "ref")
    assert not isinstance(caught.value, paystack_rs.Timeout)
    assert caught.value.attempts == 2
    assert "transaction.verify" in str(caught.value)


def test_timeout_is_a_timeout_error_naming_the_endpoint(mode, client, sb):
    sb.set_faults([{"kind": "latency", "ms": 1500, "route": "/transaction/totals"}])
    with pytest.raises(paystack_rs.Timeout) as caught:
        invoke(mode, client.transaction, "totals", timeout=0.3, max_retries=0)
    error = caught.value
    assert isinstance(error, TimeoutError)
    assert isinstance(error, paystack_rs.APIConnectionError)
    assert error.phase in {"read", "total"}
    assert "transaction.totals (GET /transaction/totals)" in str(error)


def test_read_timeout_per_client(mode, sb):
    sb.set_faults([{"kind": "latency", "ms": 1500, "route": "/transaction/totals"}])
    client = sb.client(read_timeout=0.2, max_retries=1)
    with pytest.raises(paystack_rs.Timeout) as caught:
        invoke(mode, client.transaction, "totals")
    assert caught.value.phase == "read"
    assert caught.value.attempts == 2


def test_a_truncated_answer_is_a_connection_error_retried_for_reads(mode, client, sb):
    sb.set_faults([{"kind": "truncate", "route": "/transaction/totals"}])
    with pytest.raises(paystack_rs.APIConnectionError) as caught:
        invoke(mode, client.transaction, "totals", max_retries=1)
    assert "the answer broke off" in str(caught.value)
    assert caught.value.attempts == 2
    assert len(sb.requests(path="/transaction/totals")) == 2


def test_configuration_errors(mode, sb):
    for url in ("http://api.paystack.co", "ftp://127.0.0.1", "not a url", "https://user:pw@api.paystack.co"):
        with pytest.raises(paystack_rs.ConfigurationError):
            paystack_rs.Paystack("sk_test_x", base_url=url)
    with pytest.raises(paystack_rs.ConfigurationError):
        paystack_rs.Paystack("sk_test_x", base_url=sb.base_url, timeout=-1)
    with pytest.raises(paystack_rs.ConfigurationError):
        paystack_rs.Paystack("sk_test_x", base_url=sb.base_url, rate_limit="unlimited")
    with pytest.raises(paystack_rs.ConfigurationError):
        paystack_rs.Paystack("sk_test_x", base_url=sb.base_url, ca_bundle="/nonexistent.pem")


def test_errors_can_be_caught_by_their_bases(mode, client):
    with pytest.raises(paystack_rs.PaystackError):
        invoke(mode, client.bulk_charge, "fetch", "BCH_missing")
    with pytest.raises(paystack_rs.APIError):
        invoke(mode, client.bulk_charge, "fetch", "BCH_missing")


def test_sandbox_keys_are_separate_integrations(mode, sandbox):
    a = Sandbox.connect(sandbox.base_url, "sk_test_integration_a")
    b = Sandbox.connect(sandbox.base_url, "sk_live_integration_b")
    a.reset()
    b.reset()
    ref = invoke(
        mode, a.client().transaction, "charge_authorization", "success@example.com", 100, Sandbox.AUTH_SUCCESS
    ).reference
    assert invoke(mode, a.client().transaction, "verify", ref).data["domain"] == "test"
    with pytest.raises(paystack_rs.InvalidRequestError):
        invoke(mode, b.client().transaction, "verify", ref)
    assert b.client().mode == "live"

"""paystack_rs.compat.pypaystack2 against the sandbox: every shim method (sync and async) with
what reached the wire, the answer's shape (attribute access, snake_case names, datetimes, raw),
and pypaystack2's way with errors (every HTTP answer is a Response; network failures raise)."""

from __future__ import annotations

import asyncio
import datetime
import socket
from http import HTTPStatus
from typing import Any

import pytest

from paystack_rs import webhooks
from paystack_rs.compat import pypaystack2 as py2
from paystack_rs.sandbox import Sandbox

from .helpers import MODES, wait_for_batch

each_mode = pytest.mark.parametrize("mode", MODES)


@pytest.fixture
def env(sb: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    monkeypatch.setenv("PAYSTACK_SECRET_KEY", sb.secret_key)
    monkeypatch.setenv("PAYSTACK_BASE_URL", sb.base_url)
    return sb


def call(mode: str, resource: str, method: str, *args: Any, **kwargs: Any) -> py2.Response[Any]:
    """``PaystackClient().<resource>.<method>(...)``, or the same awaited on an AsyncPaystackClient."""
    if mode == "sync":
        return getattr(getattr(py2.PaystackClient(), resource), method)(*args, **kwargs)

    async def run() -> py2.Response[Any]:
        result: py2.Response[Any] = await getattr(getattr(py2.AsyncPaystackClient(), resource), method)(*args, **kwargs)
        return result

    return asyncio.run(run())


def wire(sb: Sandbox) -> dict[str, Any]:
    return sb.requests()[-1]


@each_mode
def test_charge_and_the_shape_of_the_answer(mode, env):
    r = call(mode, "transactions", "charge", 5000, "success@example.com", Sandbox.AUTH_SUCCESS, reference="py2-c1")
    assert isinstance(r, py2.Response)
    assert (r.status_code, r.status, r.message) == (HTTPStatus.OK, True, "Charge attempted")
    assert r.status_code == 200
    # Attribute access, as pypaystack2's models give it, nested too; the dict is there as well.
    assert (r.data.reference, r.data.amount, r.data.status) == ("py2-c1", 5000, "success")
    assert r.data.authorization.authorization_code == Sandbox.AUTH_SUCCESS
    assert r.data.customer.email == "success@example.com"
    assert r.data["customer"]["email"] == "success@example.com"
    assert r.raw == {"status": True, "message": "Charge attempted", "data": r.raw["data"]}
    assert r.raw["data"]["reference"] == "py2-c1"
    with pytest.raises(AttributeError, match="no field 'amont'"):
        r.data.amont  # noqa: B018
    # pypaystack2 sends queue=false unless told otherwise.
    assert wire(env)["body"] == {
        "email": "success@example.com",
        "amount": 5000,
        "authorization_code": Sandbox.AUTH_SUCCESS,
        "reference": "py2-c1",
        "queue": False,
    }

    verified = call(mode, "transactions", "verify", reference="py2-c1")
    assert verified.message == "Verification successful"
    assert isinstance(verified.data.paid_at, datetime.datetime)
    assert verified.data.paid_at.tzinfo is not None
    assert verified.data.paid_at == datetime.datetime.fromisoformat(
        verified.raw["data"]["paid_at"].replace("Z", "+00:00")
    )
    assert verified.data.model_dump()["reference"] == "py2-c1"
    assert '"reference":"py2-c1"' in verified.data.model_dump_json()  # pydantic's compact JSON


@each_mode
def test_initialize_sends_only_what_is_given(mode, env):
    r = call(mode, "transactions", "initialize", 20000, "ada@example.com", reference="py2-i1", channels=["card"])
    assert (r.message, r.data.reference) == ("Authorization URL created", "py2-i1")
    assert r.data.authorization_url.endswith(r.data.access_code)
    assert wire(env)["body"] == {
        "email": "ada@example.com",
        "amount": 20000,
        "reference": "py2-i1",
        "channels": ["card"],
    }
    with pytest.warns(UserWarning, match="transfer_charge"):
        call(mode, "transactions", "initialize", 100, "ada@example.com", transfer_charge=10)
    assert "transfer_charge" not in wire(env)["body"]
    with pytest.raises(ValueError, match="Email is required"):
        call(mode, "transactions", "initialize", 100, "")


@each_mode
def test_partial_debit(mode, env):
    r = call(mode, "transactions", "partial_debit", Sandbox.AUTH_LOW_BALANCE, "NGN", 800_000, "lowbalance@example.com")
    assert (r.data.amount, r.data.requested_amount) == (500_000, 800_000)
    with pytest.raises(ValueError, match="Auth code is required"):
        call(mode, "transactions", "partial_debit", "", "NGN", 100, "a@example.com")


@each_mode
def test_transactions_fetch_list_timeline_totals_export(mode, env):
    tx = env.client().transaction.charge_authorization("success@example.com", 7000, Sandbox.AUTH_SUCCESS).data
    fetched = call(mode, "transactions", "get_transaction", tx["id"])
    assert (fetched.message, fetched.data.id) == ("Transaction retrieved", tx["id"])
    assert wire(env)["path"] == f"/transaction/{tx['id']}"

    listed = call(
        mode, "transactions", "get_transactions", status="success", start_date="2020-01-01", customer="100001"
    )
    assert listed.message == "Transactions retrieved"
    assert [t.id for t in listed.data] == [tx["id"]]
    assert listed.meta["total"] == 1
    assert wire(env)["query_params"] == {
        "perPage": "50",
        "from": "2020-01-01",
        "status": "success",
        "customer": "100001",
    }

    timeline = call(mode, "transactions", "get_timeline", tx["reference"])
    assert timeline.message == "Timeline retrieved"
    assert isinstance(timeline.data.history, list)

    totals = call(mode, "transactions", "totals", pagination=20)
    assert (totals.message, totals.data.total_volume) == ("Transaction totals", 7000)
    assert totals.data.total_volume_by_currency[0].currency == "NGN"
    assert wire(env)["query_params"] == {"perPage": "20"}

    exported = call(mode, "transactions", "export", status="success", settled=False, settlement="12")
    assert exported.message == "Export successful"
    # expiresAt is expires_at, as pypaystack2 names it.
    assert exported.data.expires_at == exported.raw["data"]["expiresAt"]
    assert wire(env)["query_params"] == {"perPage": "50", "status": "success", "settled": "false", "settlement": "12"}


@each_mode
def test_all_six_bulk_charge_methods(mode, env):
    body = [
        py2.BulkChargeInstruction(authorization=Sandbox.AUTH_SUCCESS, amount=1000, reference="py2-b1"),
        {"authorization": Sandbox.AUTH_DECLINED, "amount": 1000, "reference": "py2-b2"},
    ]
    queued = call(mode, "bulk_charges", "initiate", body)
    assert (queued.message, queued.data.total_charges) == ("Charges have been queued", 2)
    assert isinstance(queued.data.created_at, datetime.datetime)
    code = queued.data.batch_code
    wait_for_batch(env.client(), code)

    batch = call(mode, "bulk_charges", "get_batch", code)
    assert (batch.message, batch.data.status, batch.data.pending_charges) == ("Bulk charge retrieved", "complete", 0)
    batches = call(mode, "bulk_charges", "get_batches")
    assert [b.batch_code for b in batches.data] == [code]
    assert wire(env)["query_params"] == {"perPage": "50", "page": "1"}
    failed = call(mode, "bulk_charges", "get_charges_in_batch", code, "failed")
    assert failed.message == "Bulk charge items retrieved"
    assert [c.authorization.authorization_code for c in failed.data] == [Sandbox.AUTH_DECLINED]
    assert wire(env)["query_params"] == {"perPage": "50", "status": "failed", "page": "1"}

    env.configure(process_interval_ms=60_000)
    running = call(
        mode, "bulk_charges", "initiate", [{"authorization": Sandbox.AUTH_SUCCESS, "amount": 1, "reference": "r1"}]
    )
    paused = call(mode, "bulk_charges", "pause_batch", running.data.batch_code)
    assert (paused.status, paused.message, paused.data) == (True, "Bulk charge batch has been paused", None)
    resumed = call(mode, "bulk_charges", "resume_batch", running.data.batch_code)
    assert (resumed.status, resumed.message) == (True, "Bulk charge batch has been resumed")


@each_mode
def test_every_answer_is_a_response_refusals_and_server_errors_too(mode, env, monkeypatch):
    unknown = call(mode, "bulk_charges", "get_batch", "BCH_doesnotexist1")
    assert (unknown.status_code, unknown.status, unknown.message) == (
        HTTPStatus.NOT_FOUND,
        False,
        "Bulk charge code not found",
    )
    assert (unknown.type, unknown.code, unknown.data) == ("validation_error", "not_found", None)
    assert unknown.meta == {"nextStep": unknown.raw["meta"]["nextStep"]}
    env.set_faults([{"kind": "error", "status": 503, "route": "/transaction/totals"}])
    failing = call(mode, "transactions", "totals")
    assert (failing.status_code, failing.status) == (HTTPStatus.SERVICE_UNAVAILABLE, False)
    monkeypatch.setenv("PAYSTACK_SECRET_KEY", "sk_nope_123")
    bad_key = call(mode, "transactions", "verify", "x")
    assert (bad_key.status_code, bad_key.message) == (HTTPStatus.UNAUTHORIZED, "Invalid key")


@each_mode
def test_network_failures_raise_client_network_error(mode, monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("PAYSTACK_SECRET_KEY", "sk_test_x")
    monkeypatch.setenv("PAYSTACK_BASE_URL", f"http://127.0.0.1:{port}")
    with pytest.raises(py2.ClientNetworkError):
        call(mode, "transactions", "verify", "ref")


@each_mode
def test_a_missing_key_raises(mode, monkeypatch):
    monkeypatch.delenv("PAYSTACK_SECRET_KEY", raising=False)
    with pytest.raises(py2.MissingSecretKeyException, match="PAYSTACK_SECRET_KEY"):
        py2.PaystackClient() if mode == "sync" else py2.AsyncPaystackClient()


def test_alternate_model_class_and_webhooks(env):
    pydantic = pytest.importorskip("pydantic")

    class Mine(pydantic.BaseModel):
        reference: str
        amount: int

    class Wrong(pydantic.BaseModel):
        no_such_field: int

    client = py2.PaystackClient()
    client.transactions.charge(100, "success@example.com", Sandbox.AUTH_SUCCESS, reference="py2-m1")
    mine = client.transactions.verify("py2-m1", alternate_model_class=Mine)
    assert mine.data == Mine(reference="py2-m1", amount=100)
    # A model that does not fit gives None, as pypaystack2 does (the answer is still in raw).
    assert client.transactions.verify("py2-m1", alternate_model_class=Wrong).data is None
    payload = b'{"event": "charge.success"}'
    signed = webhooks.sign(payload, env.secret_key)  # as Paystack signs with this key
    assert client.is_verified_webhook_payload(payload, signed)
    assert client.transactions.is_verified_webhook_payload(payload, signed)
    assert not client.is_verified_webhook_payload(payload, "0" * 128)
    with pytest.raises(AttributeError, match="keep pypaystack2 for 'customers'"):
        client.customers  # noqa: B018

"""Every Transaction method, sync and async, against the sandbox over HTTP: the answers' shapes,
and the exact query and body that reached the wire."""

from __future__ import annotations

import datetime
import urllib.request

import pytest

import paystack_rs
from paystack_rs.sandbox import Sandbox

from .helpers import MODES, charge, invoke

pytestmark = pytest.mark.parametrize("mode", MODES)

TX_KEYS = {"id", "domain", "status", "reference", "amount", "gateway_response", "currency", "authorization", "customer"}


def last_request(sb: Sandbox) -> dict:
    requests = sb.requests()
    assert requests, "nothing reached the sandbox"
    return requests[-1]


def test_initialize_creates_an_abandoned_transaction_with_a_checkout_url(mode, client, sb):
    r = invoke(
        mode,
        client.transaction,
        "initialize",
        "ada@example.com",
        20000,
        currency="NGN",
        callback_url="https://example.com/done",
        metadata={"order": 42},
        channels=["card", "bank"],
    )
    assert r.status_code == 200
    assert r.status is True
    assert r.message == "Authorization URL created"
    assert set(r.data) == {"authorization_url", "access_code", "reference"}
    assert r.data["authorization_url"].endswith(r.data["access_code"])
    # No reference given: one was generated, sent, and returned.
    assert r.reference == r.data["reference"]
    assert r.reference.startswith("psrs-")
    wire = last_request(sb)
    assert (wire["method"], wire["path"]) == ("POST", "/transaction/initialize")
    assert wire["body"] == {
        "email": "ada@example.com",
        "amount": 20000,
        "currency": "NGN",
        "reference": r.reference,
        "callback_url": "https://example.com/done",
        "metadata": {"order": 42},
        "channels": ["card", "bank"],
    }
    assert wire["headers"]["content-type"] == "application/json"

    verified = invoke(mode, client.transaction, "verify", r.reference)
    assert verified.data["status"] == "abandoned"
    sb.complete_transaction(r.reference, "success")
    verified = invoke(mode, client.transaction, "verify", r.reference)
    assert verified.message == "Verification successful"
    assert verified.data["status"] == "success"
    assert verified.data["amount"] == 20000
    assert verified.data["metadata"] == {"order": 42}


def test_initialize_sends_every_seed_parameter_by_its_wire_name(mode, client, sb):
    invoke(
        mode,
        client.transaction,
        "initialize",
        "ada@example.com",
        "5000",
        currency="ghs",
        reference="order-1.2=3",
        callback_url="https://e.com",
        plan="PLN_x",
        invoice_limit=3,
        metadata='{"a": 1}',
        channels=["card"],
        split_code="SPL_x",
        subaccount="ACCT_x",
        transaction_charge=100,
        bearer="subaccount",
        split={"type": "flat"},
        label="Shop",
    )
    assert last_request(sb)["body"] == {
        "email": "ada@example.com",
        "amount": 5000,
        "currency": "GHS",
        "reference": "order-1.2=3",
        "callback_url": "https://e.com",
        "plan": "PLN_x",
        "invoice_limit": 3,
        "metadata": '{"a": 1}',
        "channels": ["card"],
        "split_code": "SPL_x",
        "subaccount": "ACCT_x",
        "transaction_charge": 100,
        "bearer": "subaccount",
        "split": {"type": "flat"},
        "label": "Shop",
    }


def test_charge_authorization_success_and_decline(mode, client, sb):
    ok = invoke(
        mode,
        client.transaction,
        "charge_authorization",
        "success@example.com",
        35000,
        Sandbox.AUTH_SUCCESS,
        reference="ch-ok-1",
        currency="NGN",
        metadata={"invoice": "A1"},
        queue=True,
    )
    assert ok.message == "Charge attempted"
    assert TX_KEYS - {"id"} <= set(ok.data)
    assert ok.data["status"] == "success"
    assert ok.data["reference"] == ok.reference == "ch-ok-1"
    assert ok.data["authorization"]["authorization_code"] == Sandbox.AUTH_SUCCESS
    assert last_request(sb)["body"] == {
        "email": "success@example.com",
        "amount": 35000,
        "authorization_code": Sandbox.AUTH_SUCCESS,
        "reference": "ch-ok-1",
        "currency": "NGN",
        "metadata": {"invoice": "A1"},
        "queue": True,
    }
    # A decline is an answer, not an exception: HTTP 200 with data.status "failed".
    declined = invoke(
        mode, client.transaction, "charge_authorization", "declined@example.com", 1000, Sandbox.AUTH_DECLINED
    )
    assert declined.status_code == 200
    assert declined.data["status"] == "failed"
    assert declined.reference.startswith("psrs-")
    ledger = sb.ledger()
    assert ledger["counts"]["ch-ok-1"]["successful_charges"] == 1
    assert ledger["counts"][declined.reference]["successful_charges"] == 0


def test_check_authorization(mode, client, sb):
    r = invoke(
        mode,
        client.transaction,
        "check_authorization",
        "success@example.com",
        10000,
        authorization_code=Sandbox.AUTH_SUCCESS,
        currency="NGN",
    )
    assert r.message == "Authorization is valid for this amount"
    assert r.data == {"amount": 10000, "currency": "NGN"}
    assert last_request(sb)["body"] == {
        "email": "success@example.com",
        "amount": 10000,
        "authorization_code": Sandbox.AUTH_SUCCESS,
        "currency": "NGN",
    }
    assert sb.ledger()["entries"] == []  # checking charges nothing


def test_partial_debit_takes_what_the_card_holds(mode, client, sb):
    r = invoke(
        mode,
        client.transaction,
        "partial_debit",
        "lowbalance@example.com",
        800_000,
        Sandbox.AUTH_LOW_BALANCE,
        "NGN",
        at_least=100_000,
    )
    assert r.message == "Charge attempted"
    assert r.data["status"] == "success"
    assert r.data["amount"] == 500_000
    assert r.data["requested_amount"] == 800_000
    assert last_request(sb)["body"] == {
        "email": "lowbalance@example.com",
        "amount": 800_000,
        "authorization_code": Sandbox.AUTH_LOW_BALANCE,
        "currency": "NGN",
        "reference": r.reference,
        "at_least": 100_000,
    }


def test_fetch_event_session_and_timeline(mode, client, sb):
    tx = charge(client, 7000, reference="tl-1").data
    fetched = invoke(mode, client.transaction, "fetch", tx["id"])
    assert fetched.message == "Transaction retrieved"
    assert fetched.data["id"] == tx["id"]
    assert fetched.data["reference"] == "tl-1"
    assert last_request(sb)["path"] == f"/transaction/{tx['id']}"
    # A numeric string is as good as an int.
    assert invoke(mode, client.transaction, "fetch", str(tx["id"])).data["id"] == tx["id"]

    event = invoke(mode, client.transaction, "event", tx["id"])
    assert event.status is True
    assert last_request(sb)["path"] == f"/transaction/{tx['id']}/event"
    session = invoke(mode, client.transaction, "session", tx["id"])
    assert session.data["reference"] == "tl-1"
    assert last_request(sb)["path"] == f"/transaction/{tx['id']}/session"

    for key in (tx["id"], "tl-1"):
        timeline = invoke(mode, client.transaction, "timeline", key)
        assert timeline.message == "Timeline retrieved"
        assert {"start_time", "time_spent", "attempts", "errors", "success", "history"} <= set(timeline.data)
    assert last_request(sb)["path"] == "/transaction/timeline/tl-1"


def test_list_filters_reach_the_wire_with_paystack_names(mode, client, sb):
    for i in range(3):
        charge(client, 1000 * (i + 1), reference=f"ls-{i}")
    r = invoke(mode, client.transaction, "list", per_page=2, page=1)
    assert r.message == "Transactions retrieved"
    assert [t["reference"] for t in r.data] == ["ls-2", "ls-1"]  # newest first
    assert r.meta == {"total": 3, "skipped": 0, "perPage": 2, "page": 1, "pageCount": 2, "total_volume": 5000}
    assert last_request(sb)["query"] == "perPage=2&page=1"

    customer = r.data[0]["customer"]["id"]
    invoke(
        mode,
        client.transaction,
        "list",
        50,
        2,
        datetime.date(2024, 1, 1),
        datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
        status="success",
        customer=customer,
        amount=2000,
        terminalid="T1",
    )
    assert last_request(sb)["query_params"] == {
        "perPage": "50",
        "page": "2",
        "from": "2024-01-01",
        "to": "2030-01-02T03:04:05+00:00",
        "status": "success",
        "customer": str(customer),
        "amount": "2000",
        "terminalid": "T1",
    }
    filtered = invoke(mode, client.transaction, "list", status="success", amount=2000)
    assert [t["reference"] for t in filtered.data] == ["ls-1"]


def test_list_cursor_pagination(mode, client, sb):
    for i in range(5):
        charge(client, 1000, reference=f"cur-{i}")
    seen, cursor = [], None
    for _ in range(10):
        page = invoke(mode, client.transaction, "list", per_page=2, use_cursor=True, next=cursor)
        assert set(page.meta) >= {"next", "previous", "perPage"}
        seen += [t["reference"] for t in page.data]
        cursor = page.meta["next"]
        if cursor is None:
            break
    assert seen == [f"cur-{i}" for i in reversed(range(5))]
    assert "use_cursor=true" in last_request(sb)["query"]


def test_totals(mode, client, sb):
    charge(client, 3000)
    charge(client, 4000)
    r = invoke(mode, client.transaction, "totals", per_page=10, page=1, _from="2020-01-01")
    assert r.message == "Transaction totals"
    assert r.data["total_transactions"] == 2
    assert r.data["total_volume"] == 7000
    assert r.data["total_volume_by_currency"] == [{"currency": "NGN", "amount": 7000}]
    assert last_request(sb)["query"] == "perPage=10&page=1&from=2020-01-01"


def test_download_exports_a_csv_the_sandbox_serves(mode, client, sb):
    charge(client, 3000, reference="ex-1")
    declined = charge(client, 3000, authorization=Sandbox.AUTH_DECLINED, email="declined@example.com")
    r = invoke(mode, client.transaction, "download", status="success", currency="NGN", settled=False)
    assert r.message == "Export successful"
    assert set(r.data) == {"path", "expiresAt"}
    assert last_request(sb)["query"] == "status=success&currency=NGN&settled=false"
    with urllib.request.urlopen(r.data["path"], timeout=10) as answer:
        csv_text = answer.read().decode()
    assert "ex-1" in csv_text
    assert declined.reference not in csv_text


def test_verify_unknown_reference_raises_paystacks_400(mode, client):
    with pytest.raises(paystack_rs.InvalidRequestError) as caught:
        invoke(mode, client.transaction, "verify", "no-such-reference")
    error = caught.value
    assert error.status_code == 400
    assert error.paystack_message == "Transaction reference not found."
    assert error.response.status_code == 400
    assert error.response["status"] is False


def test_duplicate_reference_is_refused_and_charges_once(mode, client, sb):
    charge(client, 5000, reference="dup-1")
    with pytest.raises(paystack_rs.InvalidRequestError) as caught:
        invoke(
            mode,
            client.transaction,
            "charge_authorization",
            "success@example.com",
            5000,
            Sandbox.AUTH_SUCCESS,
            reference="dup-1",
        )
    assert caught.value.code == "duplicate_reference"
    assert caught.value.type == "validation_error"
    assert caught.value.next_step
    assert sb.ledger(reference="dup-1")["counts"]["dup-1"]["successful_charges"] == 1

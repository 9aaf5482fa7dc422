"""paystack_rs.compat.paystackease against the sandbox: the example of paystackease's documented
interface (tests/data/interfaces/paystackease-bulk-charges.md) with only its import
line changed, every shim method (sync and async) with what reached the wire, and paystackease's
way with errors (refusals answered with status=False; server and network failures raised)."""

from __future__ import annotations

import asyncio
import datetime
import re
import socket
from typing import Any

import pytest

import paystack_rs
from paystack_rs.compat import paystackease as ease
from paystack_rs.sandbox import Sandbox

from .conftest import DATA
from .helpers import MODES, wait_for_batch

each_mode = pytest.mark.parametrize("mode", MODES)


@pytest.fixture
def env(sb: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    """paystackease reads its key from the environment; the sandbox's URL goes there too."""
    monkeypatch.setenv("PAYSTACK_SECRET_KEY", sb.secret_key)
    monkeypatch.setenv("PAYSTACK_BASE_URL", sb.base_url)
    return sb


def call(mode: str, resource: str, method: str, *args: Any, **kwargs: Any) -> ease.PayStackResponse:
    """``PayStackBase().<resource>.<method>(...)``, or the same awaited on an AsyncPayStackBase."""
    if mode == "sync":
        return getattr(getattr(ease.PayStackBase(), resource), method)(*args, **kwargs)

    async def run() -> ease.PayStackResponse:
        async with ease.AsyncPayStackBase() as client:
            result: ease.PayStackResponse = await getattr(getattr(client, resource), method)(*args, **kwargs)
            return result

    return asyncio.run(run())


def wire(sb: Sandbox) -> dict[str, Any]:
    return sb.requests()[-1]


# -- the example of tests/data/interfaces/paystackease-bulk-charges.md ---------------------------


def documented_example() -> str:
    """The ``async with AsyncPayStackBase() as client`` example of the interface document, as
    code: its ``>>>`` prompts dropped and the indentation the document lost put back."""
    text = (DATA / "interfaces" / "paystackease-bulk-charges.md").read_text()
    start = text.index(">>> import asyncio")
    end = text.index("asyncio.run(paystack_client())", start) + len("asyncio.run(paystack_client())")
    lines, depth, out = text[start:end].replace(">>> ", "").splitlines(), 0, []
    for raw in lines:
        line = raw.strip()
        if line.startswith("asyncio.run("):
            depth = 0
        out.append("    " * depth + line)
        if line.endswith(":") and line.startswith(("async def", "async with")):
            depth += 1
    return "\n".join(out) + "\n"


def test_the_documented_example_runs_with_only_its_import_line_changed(env, capsys):
    original = documented_example()
    assert "async with AsyncPayStackBase() as client:" in original
    code = original.replace("from paystackease import", "from paystack_rs.compat.paystackease import")
    changed = [(a, b) for a, b in zip(original.splitlines(), code.splitlines(), strict=True) if a != b]
    assert changed == [
        (
            "from paystackease import AsyncPayStackBase, BulkChargeListObject, BulkChargeItem",
            "from paystack_rs.compat.paystackease import AsyncPayStackBase, BulkChargeListObject, BulkChargeItem",
        )
    ]
    # The example's authorizations exist on this sandbox integration.
    for n, code_ in enumerate(re.findall(r'"authorization": "(AUTH_\w+)"', original)):
        env.add_customer(f"example{n}@example.com", authorization_code=code_)
    exec(compile(code, "<paystackease-bulk-charges.md example>", "exec"), {})
    printed = capsys.readouterr().out
    assert printed.startswith("PayStackResponse(status_code=200, status=True, message='Charges have been queued'")
    assert "'total_charges': 2" in printed
    sent = wire(env)
    assert (sent["method"], sent["path"]) == ("POST", "/bulkcharge")
    assert sent["body"] == [
        {"authorization": "AUTH_test1234", "amount": 10000, "reference": "test1234"},
        {"authorization": "AUTH_tester4176", "amount": 2000, "reference": "tester1234"},
    ]


# -- Bulk Charges ----------------------------------------------------------------------------


@each_mode
def test_all_six_bulk_charge_methods(mode, env):
    items = ease.BulkChargeListObject(
        charges=[
            ease.BulkChargeItem(authorization=Sandbox.AUTH_SUCCESS, amount=10000, reference="ease-1"),
            ease.BulkChargeItem(authorization=Sandbox.AUTH_DECLINED, amount=2000, reference="ease-2"),
        ]
    )
    assert items.use_as_list == [
        {"authorization": Sandbox.AUTH_SUCCESS, "amount": 10000, "reference": "ease-1"},
        {"authorization": Sandbox.AUTH_DECLINED, "amount": 2000, "reference": "ease-2"},
    ]
    queued = call(mode, "bulk_charges", "initiate_bulk_charge", objects=items)
    assert isinstance(queued, ease.PayStackResponse)
    assert (queued.status_code, queued.status, queued.message) == (200, True, "Charges have been queued")
    code = queued.data["batch_code"]
    assert wire(env)["body"] == items.use_as_list
    wait_for_batch(env.client(), code)

    fetched = call(mode, "bulk_charges", "fetch_bulk_charge_batch", id_or_code=code)
    assert (fetched.message, fetched.data["status"], fetched.data["pending_charges"]) == (
        "Bulk charge retrieved",
        "complete",
        0,
    )
    assert fetched.meta is None

    listed = call(mode, "bulk_charges", "list_bulk_charge_batches", from_date=datetime.date(2020, 1, 1))
    assert listed.message == "Bulk charges retrieved"
    assert [b["batch_code"] for b in listed.data] == [code]
    assert listed.meta is not None
    assert listed.meta["total"] == 1
    # paystackease's defaults are sent: perPage=50, page=1.
    assert wire(env)["query_params"] == {"perPage": "50", "page": "1", "from": "2020-01-01"}

    failed = call(mode, "bulk_charges", "fetch_charge_bulk_batch", code, status=ease.STATUS.FAILED)
    assert failed.message == "Bulk charge items retrieved"
    assert [c["authorization"]["authorization_code"] for c in failed.data] == [Sandbox.AUTH_DECLINED]
    assert wire(env)["query_params"] == {"status": "failed", "perPage": "50", "page": "1"}
    by_value = call(mode, "bulk_charges", "fetch_charge_bulk_batch", code, ease.STATUS.SUCCESS.value, 10, 1)
    assert [c["status"] for c in by_value.data] == ["success"]
    assert wire(env)["query_params"] == {"status": "success", "perPage": "10", "page": "1"}

    env.configure(process_interval_ms=60_000)
    running = call(
        mode,
        "bulk_charges",
        "initiate_bulk_charge",
        ease.BulkChargeListObject(charges=[{"authorization": Sandbox.AUTH_SUCCESS, "amount": 100, "reference": "r-1"}]),
    )
    paused = call(mode, "bulk_charges", "pause_bulk_charge_batch", batch_code=running.data["batch_code"])
    assert (paused.status, paused.message, paused.data) == (True, "Bulk charge batch has been paused", None)
    resumed = call(mode, "bulk_charges", "resume_bulk_charge_batch", running.data["batch_code"])
    assert (resumed.status, resumed.message) == (True, "Bulk charge batch has been resumed")
    assert wire(env)["path"] == f"/bulkcharge/resume/{running.data['batch_code']}"


@each_mode
def test_a_plain_list_of_charges_is_taken_too(mode, env):
    queued = call(
        mode, "bulk_charges", "initiate_bulk_charge", [{"authorization": Sandbox.AUTH_SUCCESS, "amount": 500}]
    )
    assert queued.status is True
    assert queued.data["total_charges"] == 1


# -- Transactions ----------------------------------------------------------------------------


@each_mode
def test_initialize_sends_paystackeases_defaults(mode, env):
    r = call(mode, "transactions", "initialize", "ada@example.com", ease.convert_to_subunit(200), reference="ease-i1")
    assert (r.status, r.message) == (True, "Authorization URL created")
    assert r.checkout_url == r.data["authorization_url"]
    # paystackease sends currency NGN and bearer account unless told otherwise.
    assert wire(env)["body"] == {
        "email": "ada@example.com",
        "amount": 20000,
        "currency": "NGN",
        "reference": "ease-i1",
        "bearer": "account",
    }
    env.complete_transaction("ease-i1", "success")
    verified = call(mode, "transactions", "verify_transaction", reference="ease-i1")
    assert (verified.message, verified.data["status"], verified.data["amount"]) == (
        "Verification successful",
        "success",
        20000,
    )
    enums = call(
        mode,
        "transactions",
        "initialize",
        "ada@example.com",
        5000,
        currency=ease.Currency.GHS,
        channels=[ease.Channels.CARD, ease.Channels.BANK],
        bearer=ease.Bearer.SUB_ACCOUNT,
        metadata={"order": 1},
    )
    assert enums.status is True
    body = wire(env)["body"]
    assert (body["currency"], body["channels"], body["bearer"], body["metadata"]) == (
        "GHS",
        ["card", "bank"],
        "subaccount",
        {"order": 1},
    )


@each_mode
def test_charge_authorization_is_queued_as_paystackease_sends_it(mode, env):
    r = call(mode, "transactions", "charge_authorization", "success@example.com", 5000, Sandbox.AUTH_SUCCESS, "ease-c1")
    assert (r.message, r.data["status"], r.data["reference"]) == ("Charge attempted", "success", "ease-c1")
    assert wire(env)["body"] == {
        "email": "success@example.com",
        "amount": 5000,
        "authorization_code": Sandbox.AUTH_SUCCESS,
        "reference": "ease-c1",
        "bearer": "account",
        "queue": True,
    }
    with pytest.warns(UserWarning, match="channels"):
        call(
            mode,
            "transactions",
            "charge_authorization",
            "success@example.com",
            100,
            Sandbox.AUTH_SUCCESS,
            channels=["card"],
        )
    assert "channels" not in wire(env)["body"]


@each_mode
def test_partial_debit(mode, env):
    r = call(
        mode,
        "transactions",
        "partial_debit",
        "lowbalance@example.com",
        Sandbox.AUTH_LOW_BALANCE,
        800_000,
        ease.Currency.NGN,
        at_least=100_000,
    )
    assert (r.message, r.data["amount"], r.data["requested_amount"]) == ("Charge attempted", 500_000, 800_000)
    assert wire(env)["body"]["at_least"] == 100_000


@each_mode
def test_list_fetch_timeline_totals_and_export(mode, env):
    tx = env.client().transaction.charge_authorization("success@example.com", 7000, Sandbox.AUTH_SUCCESS).data
    listed = call(mode, "transactions", "list_transactions", status=ease.TransactionStatus.SUCCESS, amount=7000)
    assert (listed.message, [t["id"] for t in listed.data]) == ("Transactions retrieved", [tx["id"]])
    assert listed.meta is not None
    assert listed.meta["total"] == 1
    assert wire(env)["query_params"] == {"perPage": "50", "page": "1", "status": "success", "amount": "7000"}
    call(
        mode, "transactions", "list_transactions", customer=100001, terminal_id="T1", to_date=datetime.date(2030, 1, 1)
    )
    assert wire(env)["query_params"] == {
        "perPage": "50",
        "page": "1",
        "to": "2030-01-01",
        "customer": "100001",
        "terminalid": "T1",
    }

    fetched = call(mode, "transactions", "fetch_transaction", transaction_id=tx["id"])
    assert (fetched.message, fetched.data["reference"]) == ("Transaction retrieved", tx["reference"])
    timeline = call(mode, "transactions", "transaction_timeline", id_or_reference=tx["reference"])
    assert timeline.message == "Timeline retrieved"
    assert "history" in timeline.data
    totals = call(mode, "transactions", "transaction_totals")
    assert (totals.message, totals.data["total_volume"]) == ("Transaction totals", 7000)
    assert wire(env)["query_params"] == {"perPage": "50", "page": "1"}
    exported = call(mode, "transactions", "export_transactions", currency="NGN")
    assert exported.message == "Export successful"
    assert exported.data["path"].startswith("http")
    # paystackease sends settled=true unless told otherwise.
    assert wire(env)["query_params"] == {"perPage": "50", "page": "1", "currency": "NGN", "settled": "true"}


# -- errors: answered or raised as paystackease does -----------------------------------------


@each_mode
def test_refusals_are_answered_with_status_false(mode, env, monkeypatch):
    unknown = call(mode, "bulk_charges", "fetch_bulk_charge_batch", "BCH_doesnotexist1")
    assert (unknown.status_code, unknown.status, unknown.message, unknown.data) == (
        404,
        False,
        "Bulk charge code not found",
        None,
    )
    missing = call(mode, "transactions", "verify_transaction", "no-such-reference")
    assert (missing.status_code, missing.status, missing.message) == (400, False, "Transaction reference not found.")
    call(mode, "transactions", "charge_authorization", "success@example.com", 100, Sandbox.AUTH_SUCCESS, "dup-1")
    again = call(
        mode, "transactions", "charge_authorization", "success@example.com", 100, Sandbox.AUTH_SUCCESS, "dup-1"
    )
    assert (again.status_code, again.status) == (400, False)
    assert "Duplicate" in again.message
    monkeypatch.setenv("PAYSTACK_SECRET_KEY", "sk_nope_123")
    bad_key = call(mode, "transactions", "transaction_totals")
    assert (bad_key.status_code, bad_key.status, bad_key.message) == (401, False, "Invalid key")


@each_mode
def test_rate_limits_are_answered_too(mode, env):
    env.set_faults([{"kind": "rate_limit", "limit": 1, "window_ms": 60_000}])
    assert call(mode, "transactions", "transaction_totals").status is True
    # paystack-rs waits and retries a 429 (max_retries) before answering it.
    client = ease.PayStackBase(timeout=paystack_rs.Timeouts(total=2.0))
    limited = client.transactions.transaction_totals()
    assert (limited.status_code, limited.status, limited.message) == (429, False, "Rate limit exceeded!")


@each_mode
def test_server_errors_raise_paystackeases_server_error(mode, env):
    env.set_faults([{"kind": "error", "status": 503, "route": "/transaction/totals"}])
    with pytest.raises(ease.PayStackServerError) as caught:
        call(mode, "transactions", "transaction_totals")
    assert caught.value.status_code == 503
    assert isinstance(caught.value, ease.PayStackError)


@each_mode
def test_network_failures_raise_api_connection_error(mode, monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("PAYSTACK_SECRET_KEY", "sk_test_x")
    monkeypatch.setenv("PAYSTACK_BASE_URL", f"http://127.0.0.1:{port}")
    with pytest.raises(ease.APIConnectionError):
        call(mode, "transactions", "verify_transaction", "ref")


@each_mode
def test_invalid_input_raises_before_anything_is_sent(mode, env):
    with pytest.raises(ease.TypeValueError) as caught:
        call(mode, "transactions", "initialize", "not-an-email", 100)
    assert isinstance(caught.value, ValueError)
    assert "email" in str(caught.value)
    with pytest.raises(ValueError, match="amount"):
        ease.BulkChargeListObject(charges=[{"authorization": Sandbox.AUTH_SUCCESS, "amount": 0, "reference": "z"}])
    assert env.requests() == []


@each_mode
def test_a_missing_key_raises_secret_key_error(mode, monkeypatch):
    monkeypatch.delenv("PAYSTACK_SECRET_KEY", raising=False)
    with pytest.raises(ease.SecretKeyError, match="PAYSTACK_SECRET_KEY"):
        ease.PayStackBase() if mode == "sync" else ease.AsyncPayStackBase()


# -- the rest of paystackease's names ---------------------------------------------------------


@each_mode
def test_helpers_and_names(mode, env):
    assert ease.convert_to_subunit(150) == 15000
    assert ease.convert_to_subunit(3, ease.Currency.USD) == 300
    assert ease.convert_to_subunit(3, "KES") == 300
    with pytest.raises(ValueError, match="Invalid currency"):
        ease.convert_to_subunit(3, "XOF")
    assert ease.STATUS.PENDING.value == "pending"
    assert ease.STATUS is paystack_rs.STATUS
    base = ease.PayStackBase() if mode == "sync" else ease.AsyncPayStackBase()
    with pytest.raises(AttributeError, match="keep paystackease for 'customers'"):
        base.customers  # noqa: B018
    response = ease.PayStackResponse(200, True, "ok", {"authorization_url": "u", "url": "c"})
    assert (response.checkout_url, response.charge_url, response.meta) == ("u", "c", None)
    status_code, status, message, data, meta = response
    assert (status_code, status, message, data["url"], meta) == (200, True, "ok", "c", None)

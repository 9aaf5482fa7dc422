"""The SDKs people use today, unmodified, against the sandbox: every Bulk Charge and Transaction call
of pypaystack2, paystackease and paystackapi (each pointed at the sandbox the way the library allows:
a class attribute or module constant for the base URL), and pypaystack2's own response models
parsing the answers wherever they parse Paystack's own samples.

paystackease and paystackapi have no response models (they return the JSON); pypaystack2 validates
`data` with pydantic and sets it to None when that fails. Where its model refuses Paystack's own
sample too, the sandbox's answer is refused for the same reason: those are listed in
`MODELS_THAT_REFUSE_PAYSTACK_SAMPLES` with the reason, and the test checks that they still do.
"""

from __future__ import annotations

import asyncio
import datetime
import json
from typing import Any

import pytest

from paystack_rs.sandbox import Sandbox

from .conftest import DATA

SAMPLES = DATA / "paystack" / "samples" / "api"

#: pypaystack2 models that refuse Paystack's own sample for the endpoint, and why.
MODELS_THAT_REFUSE_PAYSTACK_SAMPLES = {
    "bulk_charges.get_charges_in_batch": "BulkChargeUnitCharge.id is typed str; the sample's id is a number (15)",
    "transactions.partial_debit": "Transaction.plan is a Plan, a dict or None; the sample's plan is 0",
}


def sample(path: str) -> Any:
    """`data` of Paystack's 200 sample for an endpoint (docs/paystack-api.md §7)."""
    return json.loads((SAMPLES / path / "response.json").read_text())["200"]["data"]["data"]


def lowercase_ref(name: str) -> str:
    return name.replace("_", "-")


# -- pypaystack2 ------------------------------------------------------------------------------


@pytest.fixture
def pypaystack2(sb: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Any:
    from pypaystack2 import PaystackClient
    from pypaystack2.base_clients import AbstractAPIClient

    # The library has no base-URL setting; its documented constant is the class attribute.
    monkeypatch.setattr(AbstractAPIClient, "_BASE_URL", sb.base_url)
    return PaystackClient(secret_key=sb.secret_key)


def model_error(client: Any, model: type, data: Any) -> str | None:
    """What pypaystack2's `model` says of `data` (after the library's own camelCase -> snake_case)."""
    from pydantic import ValidationError

    normalized = client.transactions._normalize_data(data)
    try:
        for item in normalized if isinstance(normalized, list) else [normalized]:
            model.model_validate(item)
    except ValidationError as error:
        return str(error).splitlines()[0]
    return None


def parsed_as_paystack(client: Any, call: str, response: Any, model: type, sample_path: str) -> None:
    """The call succeeded, and the library's model takes the sandbox's answer wherever it takes
    Paystack's sample; where it refuses the sample, it is a known disagreement and refuses both."""
    assert response.status_code == 200, (call, response.message, response.raw)
    assert response.status is True
    sample_error = model_error(client, model, sample(sample_path))
    sandbox_error = model_error(client, model, response.raw["data"])
    if sample_error is None:
        assert sandbox_error is None, (
            f"{call}: the model takes Paystack's sample but not the sandbox's: {sandbox_error}"
        )
        assert response.data is not None
    else:
        assert call in MODELS_THAT_REFUSE_PAYSTACK_SAMPLES, (
            f"{call}: the model refuses Paystack's sample: {sample_error}"
        )
        assert sandbox_error is not None, f"{call}: listed as refusing Paystack's sample, but takes the sandbox's"


def test_pypaystack2_transactions(pypaystack2: Any, sb: Sandbox) -> None:
    from pypaystack2.enums import Currency
    from pypaystack2.models.response_models import (
        InitTransaction,
        Transaction,
        TransactionExport,
        TransactionLog,
        TransactionTotal,
    )

    client = pypaystack2.transactions
    init = client.initialize(amount=25000, email="pp2@example.com", reference="pp2-init-1")
    parsed_as_paystack(pypaystack2, "transactions.initialize", init, InitTransaction, "transactions/initialize")
    assert init.data.reference == "pp2-init-1"
    sb.complete_transaction("pp2-init-1")

    verify = client.verify("pp2-init-1")
    parsed_as_paystack(pypaystack2, "transactions.verify", verify, Transaction, "transactions/verify")
    assert verify.data.status == "success"
    assert verify.data.amount == 25000

    charge = client.charge(
        amount=5000, email="success@example.com", auth_code=Sandbox.AUTH_SUCCESS, reference="pp2-charge-1"
    )
    parsed_as_paystack(pypaystack2, "transactions.charge", charge, Transaction, "transactions/charge_authorization")
    assert charge.data.status == "success"

    # GET /transaction/?perPage=10&from=... (a trailing slash, values written into the URL as text)
    listed = client.get_transactions(pagination=10, start_date="2020-01-01", status="success")
    parsed_as_paystack(pypaystack2, "transactions.get_transactions", listed, Transaction, "transactions/list")
    assert {t.reference for t in listed.data} == {"pp2-init-1", "pp2-charge-1"}

    fetched = client.get_transaction(verify.data.id)  # GET /transaction/{id}/
    parsed_as_paystack(pypaystack2, "transactions.get_transaction", fetched, Transaction, "transactions/fetch")
    assert fetched.data.reference == "pp2-init-1"

    timeline = client.get_timeline("pp2-init-1")
    parsed_as_paystack(pypaystack2, "transactions.get_timeline", timeline, TransactionLog, "transactions/view_timeline")
    assert timeline.data.success is True

    totals = client.totals(start_date="2020-01-01")  # GET /transaction/totals/?perPage=50
    parsed_as_paystack(pypaystack2, "transactions.totals", totals, TransactionTotal, "transactions/totals")
    assert totals.data.total_transactions == 2
    assert totals.data.total_volume == 30000

    export = client.export(status="success")  # GET /transaction/export/?perPage=50
    parsed_as_paystack(pypaystack2, "transactions.export", export, TransactionExport, "transactions/export")
    assert export.data.path.startswith(sb.base_url + "/_sandbox/exports/")

    partial = client.partial_debit(
        auth_code=Sandbox.AUTH_LOW_BALANCE,
        currency=Currency.NGN,
        amount=600_000,
        email="lowbalance@example.com",
        reference="pp2-partial-1",
        at_least=100_000,
    )
    parsed_as_paystack(pypaystack2, "transactions.partial_debit", partial, Transaction, "transactions/partial_debit")
    assert partial.raw["data"]["amount"] == 500_000
    assert partial.raw["data"]["requested_amount"] == 600_000


def test_pypaystack2_bulk_charges(pypaystack2: Any, sb: Sandbox) -> None:
    from pypaystack2.models.payload_models import BulkChargeInstruction
    from pypaystack2.models.response_models import BulkCharge, BulkChargeUnitCharge

    sb.configure(process_interval_ms=60_000)  # the batch stays active until resumed
    client = pypaystack2.bulk_charges
    items = [
        BulkChargeInstruction(authorization=Sandbox.AUTH_SUCCESS, amount=1000, reference="pp2-bulk-1"),
        BulkChargeInstruction(authorization=Sandbox.AUTH_SUCCESS_FULL, amount=2000, reference="pp2-bulk-2"),
    ]
    created = client.initiate(items)
    parsed_as_paystack(pypaystack2, "bulk_charges.initiate", created, BulkCharge, "bulk-charges/initiate")
    code = created.data.batch_code

    batches = client.get_batches(start_date="2020-01-01")
    parsed_as_paystack(pypaystack2, "bulk_charges.get_batches", batches, BulkCharge, "bulk-charges/list")
    assert [b.batch_code for b in batches.data] == [code]

    batch = client.get_batch(code)
    parsed_as_paystack(pypaystack2, "bulk_charges.get_batch", batch, BulkCharge, "bulk-charges/fetch-batch")
    assert batch.data.total_charges == 2

    pause = client.pause_batch(code)
    assert (pause.status_code, pause.status, pause.message) == (200, True, "Bulk charge batch has been paused")
    assert client.get_batch(code).data.status == "paused"
    charges = client.get_charges_in_batch(code, status="pending")
    parsed_as_paystack(
        pypaystack2, "bulk_charges.get_charges_in_batch", charges, BulkChargeUnitCharge, "bulk-charges/fetch-charge"
    )
    assert [c["transaction"]["reference"] for c in charges.raw["data"]] == ["pp2-bulk-1", "pp2-bulk-2"]
    sb.configure(process_interval_ms=1)
    resume = client.resume_batch(code)
    assert (resume.status_code, resume.message) == (200, "Bulk charge batch has been resumed")


def test_pypaystack2_async_and_a_revoked_key(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    from pypaystack2 import AsyncPaystackClient
    from pypaystack2.base_clients import AbstractAPIClient

    with Sandbox(keys=["sk_test_the_only_key"]) as sb:
        monkeypatch.setattr(AbstractAPIClient, "_BASE_URL", sb.base_url)

        async def calls() -> tuple[Any, Any, Any]:
            good = AsyncPaystackClient(secret_key="sk_test_the_only_key")
            charged = await good.transactions.charge(
                amount=700, email="success@example.com", auth_code=Sandbox.AUTH_SUCCESS, reference="pp2-async-1"
            )
            verified = await good.transactions.verify("pp2-async-1")
            revoked = await AsyncPaystackClient(secret_key="sk_test_revoked").transactions.verify("pp2-async-1")
            return charged, verified, revoked

        charged, verified, revoked = asyncio.run(calls())
    assert charged.status_code == 200
    assert verified.data.amount == 700
    assert (revoked.status_code, revoked.status, revoked.message) == (401, False, "Invalid key")


# -- paystackease -----------------------------------------------------------------------------


@pytest.fixture
def paystackease(sb: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Any:
    from paystackease import PayStackBase
    from paystackease.core._api_base import BaseAPI

    # The key comes only from the environment; the base URL is the class attribute it joins paths to.
    monkeypatch.setenv("PAYSTACK_SECRET_KEY", sb.secret_key)
    monkeypatch.setattr(BaseAPI, "_PAYSTACK_API_URL", sb.base_url + "/")
    return PayStackBase()


def ok(response: Any, message: str) -> Any:
    assert (response.status_code, response.status, response.message) == (200, True, message), response
    return response.data


def test_paystackease_transactions(paystackease: Any, sb: Sandbox) -> None:
    client = paystackease.transactions
    today = datetime.date.today()
    init = ok(
        client.initialize(email="pe@example.com", amount=30000, reference="pe-init-1"), "Authorization URL created"
    )
    assert init["authorization_url"].startswith(sb.base_url)
    sb.complete_transaction("pe-init-1")
    verified = ok(client.verify_transaction("pe-init-1"), "Verification successful")
    assert verified["status"] == "success"
    charged = ok(
        client.charge_authorization(
            email="success@example.com", amount=4000, authorization_code=Sandbox.AUTH_SUCCESS, reference="pe-charge-1"
        ),
        "Charge attempted",
    )
    assert charged["status"] == "success"
    partial = ok(
        client.partial_debit(
            email="lowbalance@example.com",
            authorization_code=Sandbox.AUTH_LOW_BALANCE,
            amount=600_000,
            currency="NGN",
            at_least=1000,
            reference="pe-partial-1",
        ),
        "Charge attempted",
    )
    assert partial["amount"] == 500_000
    listed = ok(client.list_transactions(per_page=10, from_date=today, to_date=today), "Transactions retrieved")
    assert {t["reference"] for t in listed} == {"pe-init-1", "pe-charge-1", "pe-partial-1"}
    assert ok(client.fetch_transaction(verified["id"]), "Transaction retrieved")["reference"] == "pe-init-1"
    assert ok(client.transaction_timeline("pe-init-1"), "Timeline retrieved")["success"] is True
    totals = ok(client.transaction_totals(from_date=today), "Transaction totals")
    assert totals["total_transactions"] == 3
    export = ok(client.export_transactions(settled=False, status="success"), "Export successful")
    assert export["path"].startswith(sb.base_url)


def test_paystackease_bulk_charges(paystackease: Any, sb: Sandbox) -> None:
    from paystackease import BulkChargeListObject

    sb.configure(process_interval_ms=60_000)
    client = paystackease.bulk_charges
    charges = [
        {"authorization": Sandbox.AUTH_SUCCESS, "amount": 1500, "reference": "pe-bulk-1"},
        {"authorization": Sandbox.AUTH_DECLINED, "amount": 2500, "reference": "pe-bulk-2"},
    ]
    created = ok(client.initiate_bulk_charge(BulkChargeListObject(charges=charges)), "Charges have been queued")
    code = created["batch_code"]
    today = datetime.date.today()
    listed = ok(client.list_bulk_charge_batches(per_page=5, from_date=today, to_date=today), "Bulk charges retrieved")
    assert [b["batch_code"] for b in listed] == [code]
    assert ok(client.fetch_bulk_charge_batch(code), "Bulk charge retrieved")["total_charges"] == 2
    ok(client.pause_bulk_charge_batch(code), "Bulk charge batch has been paused")
    items = ok(client.fetch_charge_bulk_batch(code, per_page=10, from_date=today), "Bulk charge items retrieved")
    assert [i["transaction"]["reference"] for i in items] == ["pe-bulk-1", "pe-bulk-2"]
    sb.configure(process_interval_ms=1)
    ok(client.resume_bulk_charge_batch(code), "Bulk charge batch has been resumed")


def test_paystackease_async(sb: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    from paystackease import AsyncPayStackBase
    from paystackease.core._api_base import BaseAPI

    monkeypatch.setenv("PAYSTACK_SECRET_KEY", sb.secret_key)
    monkeypatch.setattr(BaseAPI, "_PAYSTACK_API_URL", sb.base_url + "/")

    async def calls() -> tuple[Any, Any]:
        async with AsyncPayStackBase() as client:
            charged = await client.transactions.charge_authorization(
                email="success@example.com", amount=900, authorization_code=Sandbox.AUTH_SUCCESS, reference="pe-async-1"
            )
            listed = await client.transactions.list_transactions(per_page=5)
            return charged, listed

    charged, listed = asyncio.run(calls())
    assert ok(charged, "Charge attempted")["reference"] == "pe-async-1"
    assert [t["reference"] for t in ok(listed, "Transactions retrieved")] == ["pe-async-1"]


# -- paystackapi ------------------------------------------------------------------------------


@pytest.fixture
def paystackapi(sb: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Any:
    import paystackapi
    from paystackapi.base import PayStackBase
    from paystackapi.paystack import Paystack

    # The module constant is read once, into state every instance shares (a Borg): start it afresh.
    monkeypatch.setattr(paystackapi, "API_URL", sb.base_url + "/")
    monkeypatch.setattr(PayStackBase, "_shared_state", {})
    return Paystack(secret_key=sb.secret_key)


def answered(body: dict[str, Any], message: str) -> Any:
    assert (body["status"], body["message"]) == (True, message), body
    return body.get("data")


def test_paystackapi_transactions(paystackapi: Any, sb: Sandbox) -> None:
    tx = paystackapi.transaction
    init = answered(
        tx.initialize(email="pa@example.com", amount="12000", reference="pa-init-1"), "Authorization URL created"
    )
    assert init["reference"] == "pa-init-1"
    sb.complete_transaction("pa-init-1")
    verified = answered(tx.verify("pa-init-1"), "Verification successful")
    assert verified["amount"] == 12000
    charged = answered(
        tx.charge(
            email="success@example.com", amount=3000, authorization_code=Sandbox.AUTH_SUCCESS, reference="pa-c-1"
        ),
        "Charge attempted",
    )
    assert charged["status"] == "success"
    assert answered(tx.get(verified["id"]), "Transaction retrieved")["reference"] == "pa-init-1"
    listed = answered(tx.list(perPage=1, page=2, status="success"), "Transactions retrieved")
    assert [t["reference"] for t in listed] == ["pa-init-1"]
    assert answered(tx.totals(), "Transaction totals")["total_volume"] == 15000


def test_paystackapi_bulk_charges(paystackapi: Any, sb: Sandbox) -> None:
    sb.configure(process_interval_ms=60_000)
    bulk = paystackapi.bulkcharge
    created = answered(
        bulk.initiate_bulk_charge([{"authorization": Sandbox.AUTH_SUCCESS, "amount": 100, "reference": "pa-bulk-1"}]),
        "Charges have been queued",
    )
    code = created["batch_code"]
    assert [b["batch_code"] for b in answered(bulk.list(perPage=3, page=1), "Bulk charges retrieved")] == [code]
    assert answered(bulk.fetch_bulk_batch(code), "Bulk charge retrieved")["status"] == "active"
    answered(bulk.pause_bulk_batch(code), "Bulk charge batch has been paused")
    items = answered(bulk.fetch_charges_batch(code, status="pending", perPage=5), "Bulk charge items retrieved")
    assert [i["transaction"]["reference"] for i in items] == ["pa-bulk-1"]
    sb.configure(process_interval_ms=1)
    answered(bulk.resume_bulk_charge(code), "Bulk charge batch has been resumed")


def test_the_libraries_requests_reached_the_sandbox_as_sent(paystackapi: Any, sb: Sandbox) -> None:
    """What the sandbox logged is what the library sent: path, query and JSON body, unmodified."""
    paystackapi.transaction.list(perPage=7, page=1)
    paystackapi.bulkcharge.initiate_bulk_charge([{"authorization": Sandbox.AUTH_SUCCESS, "amount": 100}])
    listed, initiated = sb.requests()
    assert (listed["method"], listed["path"], listed["query_params"]) == (
        "GET",
        "/transaction",
        {"perPage": "7", "page": "1"},
    )
    assert (initiated["method"], initiated["path"]) == ("POST", "/bulkcharge")
    assert initiated["body"] == [{"authorization": Sandbox.AUTH_SUCCESS, "amount": 100}]

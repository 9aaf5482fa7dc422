"""Every Bulk Charge method, sync and async, against the sandbox: a batch's whole life, the
models, and what reaches the wire."""

from __future__ import annotations

import collections
import json

import pytest

import paystack_rs
from paystack_rs.sandbox import Sandbox

from .helpers import MODES, invoke, wait_for_batch

BATCH_KEYS = {
    "batch_code",
    "reference",
    "id",
    "integration",
    "domain",
    "status",
    "total_charges",
    "pending_charges",
    "createdAt",
    "updatedAt",
}


@pytest.mark.parametrize("mode", MODES)
def test_a_batch_from_initiate_to_complete(mode, client, sb):
    items = [
        {"authorization": Sandbox.AUTH_SUCCESS, "amount": 10000, "reference": "bc-ok-1"},
        {"authorization": Sandbox.AUTH_DECLINED, "amount": 2000, "reference": "bc-no-1"},
        paystack_rs.BulkChargeItem(authorization=Sandbox.AUTH_FLAKY_3, amount=3000),
    ]
    r = invoke(mode, client.bulk_charge, "initiate", items)
    assert r.message == "Charges have been queued"
    assert set(r.data) >= BATCH_KEYS
    assert r.data["status"] == "active"
    assert r.data["total_charges"] == 3
    assert r.data["batch_code"].startswith("BCH_")
    # References: the two given, and one generated for the item without.
    assert r.references[:2] == ["bc-ok-1", "bc-no-1"]
    assert r.references[2].startswith("psrs-")
    wire = sb.requests(method="POST", path="/bulkcharge")[-1]
    assert wire["body"] == [
        {"authorization": Sandbox.AUTH_SUCCESS, "amount": 10000, "reference": "bc-ok-1"},
        {"authorization": Sandbox.AUTH_DECLINED, "amount": 2000, "reference": "bc-no-1"},
        {"authorization": Sandbox.AUTH_FLAKY_3, "amount": 3000, "reference": r.references[2]},
    ]

    code = r.data["batch_code"]
    batch = wait_for_batch(client, code)
    assert batch["pending_charges"] == 0

    fetched = invoke(mode, client.bulk_charge, "fetch", code)
    assert fetched.message == "Bulk charge retrieved"
    assert fetched.data["batch_code"] == code
    # By numeric id too.
    assert invoke(mode, client.bulk_charge, "fetch", fetched.data["id"]).data["batch_code"] == code

    charges = invoke(mode, client.bulk_charge, "charges", code)
    assert charges.message == "Bulk charge items retrieved"
    by_reference = {c["transaction"]["reference"]: c for c in charges.data}
    assert by_reference["bc-ok-1"]["status"] == "success"
    assert by_reference["bc-no-1"]["status"] == "failed"
    assert by_reference[r.references[2]]["status"] == "success"  # succeeded on its 4th attempt
    assert charges.meta["total"] == 3

    failed = invoke(mode, client.bulk_charge, "charges", code, status=paystack_rs.STATUS.FAILED, per_page=10, page=1)
    assert [c["transaction"]["reference"] for c in failed.data] == ["bc-no-1"]
    assert sb.requests()[-1]["query"] == "status=failed&perPage=10&page=1"

    # Each processed charge is a verifiable transaction carrying the bulk-charge custom fields.
    tx = invoke(mode, client.transaction, "verify", "bc-ok-1").data
    fields = {f["variable_name"]: f["value"] for f in tx["metadata"]["custom_fields"]}
    assert fields == {
        "bulkcharge_id": str(fetched.data["id"]),
        "bulkcharge_batch_code": code,
        "charged_via": "Bulkcharge",
    }


@pytest.mark.parametrize("mode", MODES)
def test_pause_stops_processing_and_resume_continues(mode, client, sb):
    sb.configure(process_interval_ms=40)
    items = [{"authorization": Sandbox.AUTH_SUCCESS, "amount": 1000 + i, "reference": f"pr-{i}"} for i in range(20)]
    code = client.bulk_charge.initiate(items).data["batch_code"]
    paused = invoke(mode, client.bulk_charge, "pause", code)
    assert paused.message == "Bulk charge batch has been paused"
    assert "data" not in paused
    assert sb.requests()[-1]["path"] == f"/bulkcharge/pause/{code}"
    batch = client.bulk_charge.fetch(code).data
    assert batch["status"] == "paused"
    pending = batch["pending_charges"]
    assert pending > 0
    import time

    time.sleep(0.3)
    assert client.bulk_charge.fetch(code).data["pending_charges"] == pending  # nothing moved while paused
    resumed = invoke(mode, client.bulk_charge, "resume", code)
    assert resumed.message == "Bulk charge batch has been resumed"
    sb.configure(process_interval_ms=1)
    assert wait_for_batch(client, code)["pending_charges"] == 0


@pytest.mark.parametrize("mode", MODES)
def test_list_batches_with_filters(mode, client, sb):
    codes = [
        client.bulk_charge.initiate([{"authorization": Sandbox.AUTH_SUCCESS, "amount": 100 * (i + 1)}]).data[
            "batch_code"
        ]
        for i in range(3)
    ]
    r = invoke(mode, client.bulk_charge, "list", per_page=2, page=1)
    assert r.message == "Bulk charges retrieved"
    assert [b["batch_code"] for b in r.data] == codes[::-1][:2]
    assert r.meta == {"total": 3, "skipped": 0, "perPage": 2, "page": 1, "pageCount": 2}
    invoke(mode, client.bulk_charge, "list", 10, 1, "2024-01-01", "2099-12-31", status="active")
    assert sb.requests()[-1]["query_params"] == {
        "perPage": "10",
        "page": "1",
        "from": "2024-01-01",
        "to": "2099-12-31",
        "status": "active",
    }


@pytest.mark.parametrize("mode", MODES)
def test_unknown_batch_is_a_typed_404(mode, client):
    for method in ("fetch", "charges", "pause", "resume"):
        with pytest.raises(paystack_rs.NotFoundError) as caught:
            invoke(mode, client.bulk_charge, method, "BCH_doesnotexist00")
        assert caught.value.status_code == 404
        assert caught.value.paystack_message == "Bulk charge code not found"
    assert caught.value.code == "not_found"
    assert caught.value.type == "validation_error"
    assert caught.value.next_step.startswith("Ensure that you're passing the correct reference")


def test_initiate_accepts_a_list_object_items_or_dicts(client, sb):
    item = paystack_rs.BulkChargeItem(authorization=Sandbox.AUTH_SUCCESS, amount=500, reference="lo-1")
    as_object = paystack_rs.BulkChargeListObject(
        charges=[item, {"authorization": Sandbox.AUTH_SUCCESS_FULL, "amount": 700, "reference": "lo-2"}]
    )
    assert len(as_object) == 2
    assert as_object.charges[0] == item
    for charges in (
        as_object,
        [item, {"authorization": Sandbox.AUTH_SUCCESS_FULL, "amount": 700, "reference": "lo-2"}],
    ):
        sb.clear_requests()
        sb.reset()
        client.bulk_charge.initiate(charges)
        assert sb.requests()[-1]["body"] == [
            {"authorization": Sandbox.AUTH_SUCCESS, "amount": 500, "reference": "lo-1"},
            {"authorization": Sandbox.AUTH_SUCCESS_FULL, "amount": 700, "reference": "lo-2"},
        ]


class _Text(str):
    pass


class _Amount(int):
    pass


def test_items_read_the_same_whatever_their_dicts_are_made_of(client, sb):
    """Keys matched by identity (literals) or by text (built at run time, decoded from JSON), dict
    and str/int subclasses, and keys that are not fields, str or not, all read as written."""
    built_key = "".join(["author", "ization"])  # equal to the literal, but another object
    charges = [
        {"authorization": Sandbox.AUTH_SUCCESS, "amount": 100, "reference": "mix-1"},
        {built_key: Sandbox.AUTH_SUCCESS, "amount": 200, "reference": "mix-2"},
        json.loads(json.dumps({"authorization": Sandbox.AUTH_SUCCESS, "amount": 300, "reference": "mix-3"})),
        collections.OrderedDict(authorization=_Text(Sandbox.AUTH_SUCCESS), amount=_Amount(400), reference="mix-4"),
    ]
    client.bulk_charge.initiate(charges)
    assert sb.requests()[-1]["body"] == [
        {"authorization": Sandbox.AUTH_SUCCESS, "amount": 100 * n, "reference": f"mix-{n}"} for n in range(1, 5)
    ]

    sb.clear_requests()
    strange = {"authorization": Sandbox.AUTH_SUCCESS, "amount": 100, "colour": "red", 7: "x", built_key + "s": 1}
    with pytest.raises(paystack_rs.ValidationError) as caught:
        client.bulk_charge.initiate([strange])
    assert caught.value.fields == ["charges[0].colour", "charges[0].authorizations", "charges[0].7"]
    assert sb.requests() == []


def test_partial_debit_items_reach_the_wire(client, sb):
    item = paystack_rs.BulkChargeItem(
        authorization=Sandbox.AUTH_LOW_BALANCE,
        amount=900_000,
        reference="pd-1",
        attempt_partial_debit=True,
        at_least=100_000,
        metadata={"run": 7},
    )
    assert item.to_dict() == {
        "authorization": Sandbox.AUTH_LOW_BALANCE,
        "amount": 900_000,
        "reference": "pd-1",
        "attempt_partial_debit": True,
        "at_least": 100_000,
        "metadata": {"run": 7},
    }
    code = client.bulk_charge.initiate([item]).data["batch_code"]
    assert sb.requests()[-1]["body"] == [item.to_dict()]
    wait_for_batch(client, code)
    tx = client.transaction.verify("pd-1").data
    assert tx["status"] == "success"
    assert tx["amount"] == 500_000  # all the card held, above at_least


def test_models_repr_and_dump():
    item = paystack_rs.BulkChargeItem("AUTH_a", 100, "r-1")
    assert repr(item) == 'BulkChargeItem(authorization="AUTH_a", amount=100, reference="r-1")'
    assert item.model_dump() == {"authorization": "AUTH_a", "amount": 100, "reference": "r-1"}
    data = {
        "charges": [
            {"authorization": "AUTH_test1234", "amount": 10000, "reference": "test1234"},
            {"authorization": "AUTH_tester4176", "amount": 2000, "reference": "tester1234"},
        ]
    }
    batch = paystack_rs.BulkChargeListObject(**data)
    assert batch.to_dict() == data
    assert repr(batch) == "BulkChargeListObject(charges=[2 items])"
    assert item == paystack_rs.BulkChargeItem(authorization="AUTH_a", amount=100, reference="r-1")
    assert item != paystack_rs.BulkChargeItem(authorization="AUTH_a", amount=101, reference="r-1")


def test_status_enum_as_in_seed_001():
    assert paystack_rs.STATUS.PENDING.value == "pending"
    assert paystack_rs.STATUS.SUCCESS.value == "success"
    assert paystack_rs.STATUS.FAILED == "failed"

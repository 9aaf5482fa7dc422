"""Bad input raises a ValidationError naming every problem, and nothing reaches the wire."""

from __future__ import annotations

import asyncio
import decimal

import pytest

import paystack_rs
from paystack_rs.sandbox import Sandbox

from .helpers import MODES, invoke

CASES = [
    # (service, method, args, kwargs, the locations reported)
    ("transaction", "verify", ("",), {}, ["reference"]),
    ("transaction", "verify", ("..",), {}, ["reference"]),
    ("transaction", "fetch", ("re4lyvq3s3",), {}, ["id"]),
    ("transaction", "fetch", (-1,), {}, ["id"]),
    ("transaction", "initialize", ("not-an-email", 0), {}, ["email", "amount"]),
    (
        "transaction",
        "initialize",
        ("a@b.co", 100.5),
        {"currency": "XYZ", "channels": ["cash"]},
        ["amount", "currency", "channels"],
    ),
    ("transaction", "initialize", ("a@b.co", 100), {"reference": "bad ref/1", "bearer": "me"}, ["reference", "bearer"]),
    ("transaction", "initialize", ("a@b.co", 100), {"metadata": "not json"}, ["metadata"]),
    ("transaction", "initialize", ("a@b.co", 100), {"metadata": {"price": decimal.Decimal("1.5")}}, ["metadata"]),
    ("transaction", "charge_authorization", ("a@b.co", True, ""), {}, ["amount", "authorization_code"]),
    ("transaction", "charge_authorization", (None, None, None), {}, ["email", "amount", "authorization_code"]),
    ("transaction", "partial_debit", ("a@b.co", 100, "AUTH_x", "NGN"), {"at_least": 0}, ["at_least"]),
    ("transaction", "partial_debit", ("a@b.co", 100, "AUTH_x", "NGN"), {"at_least": 101}, ["at_least"]),
    (
        "transaction",
        "list",
        (),
        {"per_page": 0, "page": -1, "_from": "yesterday", "status": "done"},
        ["per_page", "page", "_from", "status"],
    ),
    ("transaction", "list", (), {"amount": 10**30}, ["amount"]),
    ("transaction", "download", (), {"status": "everything", "settled": "yes"}, ["status", "settled"]),
    ("transaction", "timeline", ("",), {}, ["id_or_reference"]),
    ("bulk_charge", "charges", ("BCH_x",), {"status": "done"}, ["status"]),
    ("bulk_charge", "list", (), {"status": "running"}, ["status"]),
    ("bulk_charge", "fetch", (".",), {}, ["code"]),
    ("bulk_charge", "initiate", ([],), {}, ["charges"]),
    ("bulk_charge", "initiate", ("AUTH_x",), {}, ["charges"]),
    (
        "bulk_charge",
        "initiate",
        (
            [
                {"authorization": "AUTH_a", "amount": 0},
                {"authorization": "", "amount": 5, "reference": "UPPER"},
                {"authorization": "AUTH_c", "amount": 5, "reference": "r1"},
                {"authorization": "AUTH_d", "amount": 5, "reference": "r1"},
                {"authorization": "AUTH_e", "amount": 5, "colour": "red"},
            ],
        ),
        {},
        [
            "charges[0].amount",
            "charges[1].authorization",
            "charges[1].reference",
            "charges[3].reference",
            "charges[4].colour",
        ],
    ),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("service", "method", "args", "kwargs", "locations"), CASES, ids=[f"{c[0]}.{c[1]}-{i}" for i, c in enumerate(CASES)]
)
def test_bad_input_is_refused_before_sending(mode, client, sb, service, method, args, kwargs, locations):
    with pytest.raises(paystack_rs.ValidationError) as caught:
        invoke(mode, getattr(client, service), method, *args, **kwargs)
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.fields == locations
    for location in locations:
        assert location in str(error)
    assert all(set(e) == {"index", "field", "location", "message"} for e in error.errors)
    assert sb.requests() == []


def test_a_batch_over_1000_charges_is_refused(client, sb):
    charges = [{"authorization": Sandbox.AUTH_SUCCESS, "amount": 100, "reference": f"r{i}"} for i in range(1001)]
    with pytest.raises(paystack_rs.ValidationError) as caught:
        client.bulk_charge.initiate(charges)
    assert caught.value.fields == ["charges"]
    assert "1000" in str(caught.value)
    assert sb.requests() == []


def test_the_same_authorization_twice_needs_references(client, sb):
    charges = [
        {"authorization": Sandbox.AUTH_SUCCESS, "amount": 100},
        {"authorization": Sandbox.AUTH_SUCCESS, "amount": 200},
    ]
    with pytest.raises(paystack_rs.ValidationError) as caught:
        client.bulk_charge.initiate(charges)
    assert caught.value.fields == ["charges[0].reference", "charges[1].reference"]
    assert sb.requests() == []


def test_many_problems_are_all_listed_but_the_message_stays_short(client, sb):
    charges = [{"authorization": Sandbox.AUTH_SUCCESS, "amount": 100} for _ in range(1000)]
    with pytest.raises(paystack_rs.ValidationError) as caught:
        client.bulk_charge.initiate(charges)
    assert caught.value.fields == [f"charges[{i}].reference" for i in range(1000)]
    message = str(caught.value)
    assert message.startswith("1000 invalid parameters: charges[0].reference: is required")
    assert "; and 999 more at charges[1].reference, charges[2].reference, " in message
    assert message.endswith(", … (every one is in the error's list)")
    assert len(message) <= 300
    assert sb.requests() == []


def test_models_validate_when_built():
    with pytest.raises(paystack_rs.ValidationError) as caught:
        paystack_rs.BulkChargeItem(authorization="AUTH_a", amount=-1, reference="Nope!", at_least=5)
    assert caught.value.fields == ["amount", "reference", "at_least"]
    with pytest.raises(paystack_rs.ValidationError) as caught:
        paystack_rs.BulkChargeListObject(charges=[{"authorization": "AUTH_a", "amount": 1}, 42])
    assert caught.value.fields == ["charges[1].item"]
    with pytest.raises(paystack_rs.ValidationError):
        paystack_rs.BulkChargeListObject(charges=7)


def test_wrong_arity_is_a_type_error(client):
    with pytest.raises(TypeError):
        client.transaction.verify()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        client.transaction.verify("a", "b")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        client.transaction.list(colour="red")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        asyncio.run(client.transaction.verify_async())  # type: ignore[call-arg]


def test_per_call_options_are_checked(client, sb):
    with pytest.raises(paystack_rs.ValidationError) as caught:
        client.transaction.verify("ref", timeout=-1)
    assert caught.value.fields == ["timeout"]
    assert sb.requests() == []

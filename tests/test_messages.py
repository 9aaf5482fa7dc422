"""No error message grows with its input: whatever is passed, str(error) stays under ~300
characters (the error's fields keep the whole story), and circular data says "circular"."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import paystack_rs
from paystack_rs.sandbox import Sandbox

LIMIT = 300


def message_of(call) -> str:
    with pytest.raises(paystack_rs.PaystackError) as caught:
        call()
    return str(caught.value)


def test_circular_metadata_says_circular(client, sb):
    metadata: dict = {"order": 7}
    metadata["self"] = metadata
    message = message_of(
        lambda: client.transaction.charge_authorization(
            "a@b.co", 100, Sandbox.AUTH_SUCCESS, metadata={"cart": [metadata]}
        )
    )
    assert "circular" in message
    assert 'metadata: ["cart"][0]["self"] is circular' in message
    assert len(message) < 120
    looped: list = []
    looped.append(looped)
    assert "circular" in message_of(lambda: client.transaction.initialize("a@b.co", 100, metadata={"l": looped}))
    assert sb.requests() == []


def test_deep_nesting_is_named_with_a_short_path(client):
    deep: dict = {}
    node = deep
    for _ in range(200):
        node["k"] = {}
        node = node["k"]
    message = message_of(lambda: client.transaction.initialize("a@b.co", 100, metadata=deep))
    assert "nested more than 64 levels deep" in message
    assert len(message) < 150


def test_huge_inputs_make_short_messages(client, sb):
    huge = "x" * 100_000
    calls = [
        lambda: client.transaction.verify(huge),
        lambda: client.transaction.initialize(huge, huge),
        lambda: client.transaction.initialize("a@b.co", 100, channels=[huge]),
        lambda: client.transaction.initialize("a@b.co", 100, metadata={huge: object()}),
        lambda: client.transaction.list(_from=huge, status=huge),
        lambda: client.bulk_charge.initiate([{"authorization": huge, "amount": huge, huge: 1}] * 1000),
        lambda: client.bulk_charge.initiate([{"authorization": "AUTH_a", "amount": 1}] * 1001),
        lambda: paystack_rs.Paystack(sb.secret_key, base_url="http://" + huge),
        lambda: paystack_rs.Paystack(sb.secret_key, base_url=sb.base_url, rate_limit=huge),
        lambda: paystack_rs.BulkChargeItem(huge, -1, reference=huge, metadata=huge),
    ]
    for call in calls:
        message = message_of(call)
        assert len(message) <= LIMIT, message[:400]
    assert sb.requests() == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    value=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=500),
        lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=300), children, max_size=5),
        max_leaves=40,
    )
)
def test_any_argument_gives_a_short_message_or_goes_through_validation(client, value):
    for call in (
        lambda: client.transaction.initialize(value, value, metadata=value, channels=value),
        lambda: client.bulk_charge.initiate(value),
        lambda: client.transaction.list(per_page=value, _from=value, status=value),
    ):
        try:
            call()
        except paystack_rs.PaystackError as exc:
            message = str(exc)
        else:
            continue
        assert len(message) <= LIMIT, message[:400]

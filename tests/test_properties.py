"""Property tests: random values thrown at every public method's parameters (thousands of cases)
see only ValidationError or TypeError when wrong, and a Response or Paystack's own APIError when
right; never a crash, a hang or a stray exception type."""

from __future__ import annotations

import asyncio
import datetime
import decimal
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import paystack_rs
from paystack_rs import _core, webhooks
from paystack_rs._core import endpoints
from paystack_rs.sandbox import Sandbox

ENDPOINTS = endpoints()

CASES_PER_METHOD = 300
ALLOWED = (paystack_rs.ValidationError, TypeError, paystack_rs.APIError)

leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.text(alphabet="abc-._=/%?#", max_size=12),
    st.binary(max_size=20),
    st.dates(),
    st.datetimes(timezones=st.sampled_from([None, datetime.timezone.utc])),
    st.decimals(allow_nan=True),
    st.sampled_from(list(paystack_rs.STATUS)),
    st.builds(object),
    st.just(".."),
    st.just(""),
)
anything = st.recursive(
    leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.tuples(inner, inner),
        st.dictionaries(st.one_of(st.text(max_size=8), st.integers()), inner, max_size=4),
    ),
    max_leaves=12,
)

# Values that pass validation, so that part of the cases reach the sandbox.
plausible = {
    "email": st.sampled_from(["success@example.com", "ada@example.com", "x@y.co"]),
    "amount": st.integers(min_value=1, max_value=10**6),
    "authorization_code": st.sampled_from([Sandbox.AUTH_SUCCESS, Sandbox.AUTH_DECLINED, "AUTH_unknown"]),
    "currency": st.sampled_from(["NGN", "ghs", "USD"]),
    "reference": st.from_regex(r"\A[a-z0-9-]{1,16}\Z"),
    "per_page": st.integers(min_value=1, max_value=100),
    "page": st.integers(min_value=1, max_value=5),
    "code": st.from_regex(r"\ABCH_[a-z0-9]{4,15}\Z"),
    "id": st.integers(min_value=1, max_value=10**12),
    "charges": st.lists(
        st.fixed_dictionaries(
            {"authorization": st.just(Sandbox.AUTH_SUCCESS), "amount": st.integers(1, 10**6)},
            optional={"reference": st.from_regex(r"\A[a-z0-9_-]{1,12}\Z")},
        ),
        min_size=1,
        max_size=3,
    ),
}


def value_for(name: str) -> st.SearchStrategy:
    return st.one_of(anything, plausible[name]) if name in plausible else anything


def call_strategy(spec: dict) -> st.SearchStrategy:
    params = spec["params"]
    positional = [p for p in params if not p["keyword_only"]]
    keyword_only = [p for p in params if p["keyword_only"]]
    args = st.integers(0, len(positional) + 1).flatmap(
        lambda n: st.tuples(*[value_for(positional[i]["name"] if i < len(positional) else "extra") for i in range(n)])
    )
    kwargs = st.fixed_dictionaries({}, optional={p["name"]: value_for(p["name"]) for p in keyword_only})
    return st.tuples(args, kwargs, st.booleans())


@pytest.fixture(scope="module")
def fuzz_client(sandbox):
    return Sandbox.connect(sandbox.base_url, "sk_test_property_tests").client(max_retries=0, timeout=5)


@pytest.mark.parametrize("spec", ENDPOINTS, ids=lambda s: f"{s['resource']}.{s['name']}")
def test_random_arguments_never_crash(spec, fuzz_client):
    service = getattr(fuzz_client, spec["resource"])

    @settings(
        max_examples=CASES_PER_METHOD,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(call_strategy(spec))
    def check(call):
        args, kwargs, use_async = call
        method = getattr(service, spec["name"] + ("_async" if use_async else ""))
        try:
            result = asyncio.run(method(*args, **kwargs)) if use_async else method(*args, **kwargs)
        except ALLOWED:
            return
        assert isinstance(result, paystack_rs.Response)
        assert result.status is True

    check()


json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**63), max_value=2**64 - 1),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=20),
    ),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=20,
)


@settings(max_examples=1000, deadline=None, database=None)
@given(
    st.one_of(
        st.binary(max_size=200),
        st.builds(lambda v, cut: json.dumps(v).encode()[:cut], json_values, st.integers(0, 200)),
        st.builds(lambda v: json.dumps(v).encode(), json_values),
    )
)
def test_the_json_decoder_takes_any_bytes(payload):
    try:
        value = _core.parse_json(payload)
    except ValueError:
        return
    assert value == json.loads(payload)


@settings(max_examples=500, deadline=None, database=None)
@given(st.binary(max_size=100), st.one_of(st.none(), st.text(max_size=130)), st.text(min_size=1, max_size=30))
def test_webhook_verification_takes_anything(payload, signature, key):
    assert webhooks.verify(payload, signature, key) in (True, False)
    with pytest.raises(paystack_rs.SignatureVerificationError):
        webhooks.construct_event(payload, signature if signature else None, key)


@settings(max_examples=1000, deadline=None, database=None)
@given(
    st.lists(
        st.one_of(
            anything,
            st.fixed_dictionaries(
                {},
                optional={
                    "authorization": anything,
                    "amount": anything,
                    "reference": anything,
                    "attempt_partial_debit": anything,
                    "at_least": anything,
                    "metadata": anything,
                },
            ),
        ),
        max_size=5,
    )
)
def test_bulk_models_take_anything(charges):
    try:
        batch = paystack_rs.BulkChargeListObject(charges=charges)
    except paystack_rs.ValidationError as exc:
        errors = exc.errors
    else:
        assert len(batch) == len(charges)
        return
    assert errors


def test_decimal_and_nan_are_named():
    with pytest.raises(paystack_rs.ValidationError) as caught:
        paystack_rs.BulkChargeItem("AUTH_a", decimal.Decimal("1"))
    assert caught.value.fields == ["amount"]
    with pytest.raises(paystack_rs.ValidationError):
        paystack_rs.BulkChargeItem("AUTH_a", float("nan"))

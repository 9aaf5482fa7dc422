"""The answers are what the types say: every method's answer from the sandbox holds what its
return annotation names (the TypedDicts of paystack_rs.types, derived from Paystack's OpenAPI
document and samples): each required key present, each value of its declared type."""

from __future__ import annotations

import inspect
import re
import types as pytypes
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints, is_typeddict

import paystack_rs
from paystack_rs import types
from paystack_rs._services import BulkChargeService, TransactionService
from paystack_rs.sandbox import Sandbox

from .helpers import charge, wait_for_batch

NAMESPACE: dict[str, Any] = {**vars(types), "Any": Any, "None": None}


def problems(value: Any, annotation: Any, where: str) -> list[str]:  # noqa: PLR0911  (one return per kind)
    """Where ``value`` is not an ``annotation`` (empty when it is)."""
    if annotation is Any:
        return []
    if annotation is None or annotation is type(None):
        return [] if value is None else [f"{where}: {value!r} is not None"]
    origin = get_origin(annotation)
    if origin in (Union, pytypes.UnionType):
        options = [problems(value, option, where) for option in get_args(annotation)]
        return [] if any(not p for p in options) else [f"{where}: {value!r} is none of {annotation}"]
    if origin is Literal:
        return [] if value in get_args(annotation) else [f"{where}: {value!r} not in {annotation}"]
    if origin is list:
        if not isinstance(value, list):
            return [f"{where}: {value!r} is not a list"]
        (item,) = get_args(annotation)
        return [p for i, v in enumerate(value) for p in problems(v, item, f"{where}[{i}]")]
    if origin is dict:
        return [] if isinstance(value, dict) else [f"{where}: {value!r} is not a dict"]
    if is_typeddict(annotation):
        if not isinstance(value, dict):
            return [f"{where}: {value!r} is not a {annotation.__name__}"]
        hints = get_type_hints(annotation)
        found = [f"{where}: no {key!r}" for key in sorted(annotation.__required_keys__ - value.keys())]
        for key, hint in hints.items():
            if key in value:
                found += problems(value[key], hint, f"{where}.{key}")
        return found
    if annotation is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    elif annotation is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
    else:
        ok = isinstance(value, annotation)
    return [] if ok else [f"{where}: {value!r} is not {annotation.__name__}"]


def expected(service: type, method: str) -> tuple[Any, Any]:
    """(data type, meta type or None) from the method's return annotation, as users see it."""
    annotation = inspect.signature(getattr(service, method)).return_annotation
    found = re.fullmatch(r"(List)?Response\[(.*)\]", annotation)
    assert found, annotation
    if found.group(1) is None:
        return eval(found.group(2), NAMESPACE), None
    parts = [p.strip() for p in found.group(2).split(",")]
    meta = eval(parts[1], NAMESPACE) if len(parts) > 1 else types.PageMeta
    return list[eval(parts[0], NAMESPACE)], meta


def answers(client: paystack_rs.Paystack, sb: Sandbox) -> dict[tuple[type, str], paystack_rs.Response]:
    """One answer of every method, from a sandbox with a little history."""
    t, b = client.transaction, client.bulk_charge
    charged = charge(client, metadata={"cart": 7}, reference="conform-1")
    declined = charge(client, authorization=Sandbox.AUTH_DECLINED, email="declined@example.com")
    assert declined.data["status"] == "failed"
    initialized = t.initialize("ada@example.com", 20000, reference="conform-2")
    sb.complete_transaction("conform-2", "success")
    batch = b.initiate(
        [
            {"authorization": Sandbox.AUTH_SUCCESS, "amount": 1000, "reference": "conform-b1"},
            {"authorization": Sandbox.AUTH_DECLINED, "amount": 1000, "reference": "conform-b2"},
        ]
    )
    code = batch.data["batch_code"]
    wait_for_batch(client, code)
    tx_id = charged.data["id"]
    got: dict[tuple[type, str], paystack_rs.Response] = {
        (TransactionService, "charge_authorization"): charged,
        (TransactionService, "initialize"): initialized,
        (TransactionService, "partial_debit"): t.partial_debit(
            "lowbalance@example.com", 900000, Sandbox.AUTH_LOW_BALANCE, "NGN", at_least=1000
        ),
        (TransactionService, "check_authorization"): t.check_authorization(
            "success@example.com", 5000, Sandbox.AUTH_SUCCESS
        ),
        (TransactionService, "verify"): t.verify("conform-2"),
        (TransactionService, "fetch"): t.fetch(tx_id),
        (TransactionService, "list"): t.list(per_page=10),
        (TransactionService, "timeline"): t.timeline("conform-1"),
        (TransactionService, "totals"): t.totals(),
        (TransactionService, "download"): t.download(),
        (TransactionService, "event"): t.event(tx_id),
        (TransactionService, "session"): t.session(tx_id),
        (BulkChargeService, "initiate"): batch,
        (BulkChargeService, "fetch"): b.fetch(code),
        (BulkChargeService, "list"): b.list(),
        (BulkChargeService, "charges"): b.charges(code),
    }
    sb.configure(process_interval_ms=60_000)
    running = b.initiate([{"authorization": Sandbox.AUTH_SUCCESS, "amount": 100, "reference": "conform-b3"}])
    got[(BulkChargeService, "pause")] = b.pause(running.data["batch_code"])
    got[(BulkChargeService, "resume")] = b.resume(running.data["batch_code"])
    return got


def test_every_method_is_exercised():
    methods = {
        (service, name)
        for service in (BulkChargeService, TransactionService)
        for name, function in inspect.getmembers(service, inspect.isfunction)
        # The endpoints' methods (the generated ones), not those written by hand such as wait().
        if not name.startswith("_") and not name.endswith("_async") and function.__module__ == service.__module__
    }
    assert len(methods) == 18


def test_every_answer_holds_what_its_annotation_says(client, sb):
    got = answers(client, sb)
    found: list[str] = []
    for (service, method), response in got.items():
        data_type, meta_type = expected(service, method)
        assert response.status is True, (method, dict(response))
        found += problems(response.data, data_type, f"{method}.data")
        if meta_type is not None:
            assert isinstance(response, paystack_rs.ListResponse)
            found += problems(response.meta, meta_type, f"{method}.meta")
        else:
            assert not isinstance(response, paystack_rs.ListResponse)
    assert found == [], "\n".join(found)


def test_the_cursor_meta_is_what_cursor_meta_says(client):
    charge(client)
    r = client.transaction.list(use_cursor=True, per_page=1)
    assert problems(r.meta, types.CursorMeta, "meta") == []


def test_the_checker_finds_wrong_answers():
    # The check above could fail: a missing required key and a wrong type are both found.
    assert problems({"start_time": 1}, types.Timeline, "t") != []
    assert problems({"currency": "NGN", "amount": "10"}, types.CurrencyAmount, "c") == ["c.amount: '10' is not int"]
    assert problems({"currency": "NGN", "amount": 10}, types.CurrencyAmount, "c") == []

"""Settlements and refunds in the shims against the real libraries: the same calls through the real
paystackease and pypaystack2 and through paystack_rs.compat, each on an integration of its own in
the sandbox (the same history), send the same requests (method, path, query, body) and get the
same answers, but for what docs/migrating.md lists, which the test checks as a difference:

- before a refund, paystack-rs verifies the transaction and looks its refunds up (so that a retried
  refund is never sent twice): those GETs reach the wire first, and a refund of an unknown
  transaction is answered with the verify's 400 instead of the refund's 404, with nothing POSTed;
- the refund list's ``currency`` (and paystackease's ``reference``, pypaystack2's ``transaction``)
  filters are not sent, with a warning: Paystack documents only perPage, page, from and to for it.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from paystack_rs.compat import paystackease as ease_shim
from paystack_rs.compat import pypaystack2 as py2_shim
from paystack_rs.sandbox import Sandbox

from .conftest import key_for
from .helpers import MODES
from .test_compat_differential import Step, ease_view, masked, plain, run_steps, snake, within

paystackease = pytest.importorskip("paystackease")
pypaystack2 = pytest.importorskip("pypaystack2")


@pytest.fixture(scope="module")
def clocked() -> Iterator[Sandbox]:
    """A sandbox of this module's own, whose clock the tests move (settlements come the next day)."""
    with Sandbox(start="2024-08-01T09:00:00Z", process_interval_ms=2) as sb:
        yield sb


@pytest.fixture
def pair(clocked: Sandbox, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> dict[str, Sandbox]:
    """Two fresh integrations with the same history: two paid transactions, settled the next day."""
    for name in ("PAYSTACK_SECRET_KEY", "PAYSTACK_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    sides = {
        side: Sandbox.connect(clocked.base_url, key_for(f"{request.node.nodeid}-{side}")) for side in ("real", "shim")
    }
    for sb in sides.values():
        client = sb.client()
        client.transaction.charge_authorization("success@example.com", 50_000, Sandbox.AUTH_SUCCESS, "payout-1")
        client.transaction.charge_authorization("success@example.com", 20_000, Sandbox.AUTH_SUCCESS, "payout-2")
    clocked.control("POST", "clock/advance", {"days": 1})
    return sides


def is_refund_lookup(request: dict[str, Any]) -> bool:
    """One of the GETs paystack-rs sends before a refund: the transaction's verify, its refunds."""
    verify = request["route"].startswith("/transaction/verify/")
    return request["method"] == "GET" and (verify or (request["route"] == "/refund" and "from" in request["query"]))


def without_lookups(sent: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [request for request in sent if not is_refund_lookup(request)]


def payout_masked(value: Any, key: str | None = None) -> Any:
    """``masked``, and a refund's ``transaction`` (the refunded transaction's generated id)."""
    if key == "transaction" and isinstance(value, int):
        return "<generated>"
    if isinstance(value, dict):
        return {k: payout_masked(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [payout_masked(v) for v in value]
    return masked(value, key)


def as_the_shim_sends(sent: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The real library's requests as the shim sends them (the differences of the docstring), but
    for the lookups: no refund of an unknown transaction, no refund list filters."""
    expected = []
    for request in sent:
        if request["method"] == "POST" and request["body"] == {"transaction": "no-such-reference"}:
            continue
        unfiltered = {k: v for k, v in request["query"].items() if k != "currency"}
        expected.append({**request, "query": unfiltered} if request["route"] == "/refund" else request)
    return expected


def wire(sb: Sandbox, since: int) -> list[dict[str, Any]]:
    """The requests after the first ``since``: method, path, query and body, unset values dropped
    (paystackease sends each unset field as null; docs/migrating.md, paystackease 10)."""
    sent = []
    for request in sb.requests()[since:]:
        query = dict(urllib.parse.parse_qsl(request["query"] or ""))
        body = request["body"]
        if isinstance(body, dict):
            body = {k: v for k, v in body.items() if v is not None}
        route = re.sub(r"/\d+", "/<id>", request["path"])  # generated ids: refunds', settlements'
        sent.append({"method": request["method"], "route": route, "query": query, "body": body})
    return sent


def noted(key: str, read: Callable[[Any], Any]) -> Callable[[Any, dict[str, Any]], None]:
    def note(answer: Any, ctx: dict[str, Any]) -> None:
        ctx[key] = read(answer)

    return note


def refunds_in_ngn(refunds: Any, **options: Any) -> Any:
    """The refund list filtered by currency: the shims warn that the filter is not sent."""
    if type(refunds).__module__.startswith("paystack_rs."):
        with pytest.warns(UserWarning, match=r"\(currency=\.\.\.\) is not sent.*perPage, page, from and to"):
            return list_refunds(refunds, **options)
    return list_refunds(refunds, **options)


def list_refunds(refunds: Any, **options: Any) -> Any:
    method = getattr(refunds, "list_refunds", None) or refunds.get_refunds
    return method(currency="NGN", **options)


# -- paystackease ----------------------------------------------------------------------------


def ease_steps() -> list[Step]:
    r, s = "refund", "settlements"
    return [
        (
            "refund",
            lambda c, _: getattr(c, r).create_refund(
                "payout-1", amount=10_000, customer_note="Damaged", merchant_note="Returned"
            ),
            noted("refund", lambda a: a.data["id"]),
        ),
        ("refund all", lambda c, _: getattr(c, r).create_refund(transaction_ref_or_id="payout-2"), None),
        ("refund unknown", lambda c, _: getattr(c, r).create_refund("no-such-reference"), None),
        ("refunds", lambda c, _: getattr(c, r).list_refunds(), None),
        ("refunds NGN", lambda c, _: refunds_in_ngn(getattr(c, r), per_page=10, page=1), None),
        ("refund fetch", lambda c, x: getattr(c, r).fetch_refund(str(x["refund"])), None),
        ("settlements", lambda c, _: getattr(c, s).list_settlements(), noted("settlement", lambda a: a.data[0]["id"])),
        ("settlements filtered", lambda c, _: getattr(c, s).list_settlements(status="success", per_page=10), None),
        (
            "settlement transactions",
            lambda c, x: getattr(c, s).list_settlement_transactions(settlement_id=x["settlement"]),
            None,
        ),
    ]


@pytest.mark.parametrize("mode", MODES)
def test_paystackease_settlements_and_refunds_match(mode, pair, monkeypatch):
    base = "PayStackBase" if mode == "sync" else "AsyncPayStackBase"
    answers, sent = {}, {}
    for side, lib in (("real", paystackease), ("shim", ease_shim)):
        sb = pair[side]
        since = len(sb.requests())
        answers[side] = run_steps(mode, getattr(lib, base), ease_steps(), sb, monkeypatch)
        sent[side] = wire(sb, since)
    real, shim = answers["real"], answers["shim"]
    assert real["refund"].status, real["refund"].message
    assert real["settlements"].data, "the paid transactions settled the next day"
    # An unknown transaction: the refund's 404 from Paystack, the verify's 400 before it from paystack-rs.
    unknown = real.pop("refund unknown"), shim.pop("refund unknown")
    assert [(a.status_code, a.status, a.message) for a in unknown] == [
        (404, False, "Transaction not found"),
        (400, False, "Transaction reference not found."),
    ]
    view = lambda answer: {**ease_view(answer), "data": payout_masked(answer.data)}  # noqa: E731
    differences = {n: (view(real[n]), view(shim[n])) for n in real if view(real[n]) != view(shim[n])}
    assert differences == {}, "\n".join(
        f"{n}:\n  real {r!r:.700}\n  shim {s!r:.700}" for n, (r, s) in differences.items()
    )
    same = payout_masked(as_the_shim_sends(sent["real"])) == payout_masked(without_lookups(sent["shim"]))
    assert same, "\n".join(map(repr, [*as_the_shim_sends(sent["real"]), "--", *without_lookups(sent["shim"])]))
    lookups = [request["route"] for request in sent["shim"] if is_refund_lookup(request)]
    assert lookups[:2] == ["/transaction/verify/payout-1", "/refund"], lookups


# -- pypaystack2 -----------------------------------------------------------------------------


def py2_steps() -> list[Step]:
    return [
        (
            "refund",
            lambda c, _: c.refunds.create("payout-1", amount=10_000, merchant_note="Returned"),
            noted("refund", lambda a: a.raw["data"]["id"]),
        ),
        ("refund all", lambda c, _: c.refunds.create(transaction="payout-2"), None),
        ("refund unknown", lambda c, _: c.refunds.create("no-such-reference"), None),
        ("refunds", lambda c, _: c.refunds.get_refunds(), None),
        ("refunds NGN", lambda c, _: refunds_in_ngn(c.refunds, pagination=10), None),
        ("refund fetch", lambda c, x: c.refunds.get_refund(str(x["refund"])), None),
        ("refund retry", lambda c, x: c.refunds.retry_refund(x["refund"], refund_account(c)), None),
        (
            "settlements",
            lambda c, _: c.settlements.get_settlements(),
            noted("settlement", lambda a: a.raw["data"][0]["id"]),
        ),
        ("settlement transactions", lambda c, x: c.settlements.get_settlement_transactions(x["settlement"]), None),
    ]


def refund_account(client: Any) -> Any:
    """The customer's bank account, as the client's own library models it."""
    models = py2_shim.models if type(client).__module__.startswith("paystack_rs.") else pypaystack2.models
    return models.RefundAccount(currency="NGN", account_number="0123456789", bank_id="9")


def py2_difference(real: Any, shim: Any) -> Any:
    """What differs between two pypaystack2 answers: the envelope and raw body, and the data where
    pypaystack2's models read it (the shim keeps every field; ``within`` cuts it to theirs)."""

    def view(answer: Any) -> dict[str, Any]:
        fields = ("status_code", "status", "message", "type", "code", "meta", "raw")
        return payout_masked({name: getattr(answer, name) for name in fields})

    if view(real) != view(shim):
        return view(real), view(shim)
    if real.raw.get("data") and real.data is None:
        return "pypaystack2's model did not read the answer", real.raw["data"]
    theirs = payout_masked(plain(real.data))
    ours = payout_masked(within(plain(shim.data), plain(real.data)))
    return None if theirs == ours else (theirs, ours)


@pytest.mark.parametrize("mode", MODES)
def test_pypaystack2_settlements_and_refunds_match(mode, pair, monkeypatch):
    client = "PaystackClient" if mode == "sync" else "AsyncPaystackClient"
    answers, sent = {}, {}
    for side, lib in (("real", pypaystack2), ("shim", py2_shim)):
        sb = pair[side]
        since = len(sb.requests())
        answers[side] = run_steps(mode, getattr(lib, client), py2_steps(), sb, monkeypatch)
        sent[side] = wire(sb, since)
    real, shim = answers["real"], answers["shim"]
    assert real["refund"].status, real["refund"].message
    unknown = real.pop("refund unknown"), shim.pop("refund unknown")
    assert [(a.status_code, a.status, a.message) for a in unknown] == [
        (404, False, "Transaction not found"),
        (400, False, "Transaction reference not found."),
    ]
    # pypaystack2's Settlement model requires created_at/update_at where Paystack sends createdAt/
    # updatedAt (docs/paystack-api.md §8): it answers data=None; the shim answers the settlements.
    assert real["settlements"].raw["data"]
    assert real["settlements"].data is None
    assert payout_masked(plain(shim["settlements"].data)) == payout_masked(snake(real["settlements"].raw["data"]))
    assert all(type(s).__name__ == "Settlement" for s in shim["settlements"].data)
    # A retry is for a refund that needs attention: this one is pending (Paystack's 422, both sides).
    assert [(a.status_code, a.status) for a in (real["refund retry"], shim["refund retry"])] == [(422, False)] * 2
    differences = {name: py2_difference(real[name], shim[name]) for name in real if name != "settlements"}
    assert {name: d for name, d in differences.items() if d} == {}
    same = payout_masked(as_the_shim_sends(sent["real"])) == payout_masked(without_lookups(sent["shim"]))
    assert same, "\n".join(map(repr, [*as_the_shim_sends(sent["real"]), "--", *without_lookups(sent["shim"])]))
    lookups = [request["route"] for request in sent["shim"] if is_refund_lookup(request)]
    assert lookups[:2] == ["/transaction/verify/payout-1", "/refund"], lookups

"""The shims against the real libraries: the same calls through the real paystackease and
pypaystack2 and through paystack_rs.compat, each on an integration of its own in the sandbox
(one sandbox key each, the same history), give the same status code, status, message and data.

What the sandbox generates differs between the two integrations and is masked: ids, codes,
access codes, timestamps, export paths. Everything else must be equal.
"""

from __future__ import annotations

import asyncio
import datetime
import enum
import re
from collections.abc import Callable
from typing import Any

import pytest

from paystack_rs.compat import paystackease as ease_shim
from paystack_rs.compat import pypaystack2 as py2_shim
from paystack_rs.sandbox import Sandbox

from .conftest import key_for
from .helpers import MODES, wait_for_batch

paystackease = pytest.importorskip("paystackease")
pypaystack2 = pytest.importorskip("pypaystack2")
pydantic = pytest.importorskip("pydantic")

# The sandbox's generated values: they differ between two integrations by design.
GENERATED_KEYS = {"id", "integration", "bulkcharge", "access_code", "authorization_url", "path", "start_time"}
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?Z?$")
GENERATED_TEXT = [
    re.compile(r"^BCH_[a-z0-9]+$"),  # batch codes
    re.compile(r"^bulkcharge-\d+-[a-z0-9]+$"),  # batch references
    re.compile(r"^\d{6,}$"),  # ids given as text (a batch's id in its charges' metadata)
]


def masked(value: Any, key: str | None = None) -> Any:
    if key in GENERATED_KEYS:
        return "<generated>"
    if isinstance(value, dict):
        return {k: masked(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [masked(v) for v in value]
    if isinstance(value, datetime.datetime) or (isinstance(value, str) and TIMESTAMP.match(value)):
        return "<time>"
    if isinstance(value, str) and any(p.match(value) for p in GENERATED_TEXT):
        return "<generated>"
    return value


@pytest.fixture
def pair(sandbox: Sandbox, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> dict[str, Sandbox]:
    """Two fresh integrations on the session sandbox: one for the real library, one for the shim."""
    for name in ("PAYSTACK_SECRET_KEY", "PAYSTACK_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return {
        side: Sandbox.connect(sandbox.base_url, key_for(f"{request.node.nodeid}-{side}")) for side in ("real", "shim")
    }


def use(sb: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point both libraries (and both shims) at one integration of the sandbox."""
    monkeypatch.setenv("PAYSTACK_SECRET_KEY", sb.secret_key)
    monkeypatch.setenv("PAYSTACK_BASE_URL", sb.base_url)
    # Neither library can be given a base URL: each has it as a class attribute.
    monkeypatch.setattr(paystackease.core.BaseAPI, "_PAYSTACK_API_URL", sb.base_url + "/")
    monkeypatch.setattr(pypaystack2.base_clients.AbstractAPIClient, "_BASE_URL", sb.base_url)


Step = tuple[str, Callable[[Any, dict[str, Any]], Any], Callable[[Any, dict[str, Any]], None] | None]


def run_steps(
    mode: str, make_client: Callable[[], Any], steps: list[Step], sb: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    """Each step's answer, by name; a step's ``after`` sees it and may note values (``ctx``)."""
    use(sb, monkeypatch)
    ctx: dict[str, Any] = {"sb": sb}
    answers: dict[str, Any] = {}
    for name, step, after in steps:
        if mode == "sync":
            answer = step(make_client(), ctx)
        else:

            async def run(step: Callable[[Any, dict[str, Any]], Any] = step) -> Any:
                client = make_client()
                if hasattr(client, "__aenter__"):
                    async with client:
                        return await step(client, ctx)
                return await step(client, ctx)

            answer = asyncio.run(run())
        answers[name] = answer
        if after is not None:
            after(answer, ctx)
    return answers


def settle(sb: Sandbox, code: str) -> None:
    wait_for_batch(sb.client(), code)


# -- paystackease ----------------------------------------------------------------------------


def ease_items(lib: Any) -> Any:
    return lib.BulkChargeListObject(
        charges=[
            {"authorization": Sandbox.AUTH_SUCCESS, "amount": 10000, "reference": "diff-b1"},
            {"authorization": Sandbox.AUTH_DECLINED, "amount": 2000, "reference": "diff-b2"},
        ]
    )


def ease_steps(lib: Any) -> list[Step]:
    def noted(key: str, field: str) -> Callable[[Any, dict[str, Any]], None]:
        def note(answer: Any, ctx: dict[str, Any]) -> None:
            ctx[key] = answer.data[field]
            if key == "code":
                settle(ctx["sb"], answer.data[field])

        return note

    def running_batch(answer: Any, ctx: dict[str, Any]) -> None:
        ctx["running"] = answer.data["batch_code"]

    def slow(c: Any, ctx: dict[str, Any]) -> Any:
        ctx["sb"].configure(process_interval_ms=60_000)
        items = lib.BulkChargeListObject(
            charges=[{"authorization": Sandbox.AUTH_SUCCESS, "amount": 100, "reference": "r-1"}]
        )
        return c.bulk_charges.initiate_bulk_charge(objects=items)

    b = "bulk_charges"
    t = "transactions"
    return [
        (
            "initiate",
            lambda c, _: getattr(c, b).initiate_bulk_charge(objects=ease_items(lib)),
            noted("code", "batch_code"),
        ),
        ("fetch", lambda c, x: getattr(c, b).fetch_bulk_charge_batch(id_or_code=x["code"]), None),
        ("list", lambda c, _: getattr(c, b).list_bulk_charge_batches(), None),
        ("list dated", lambda c, _: getattr(c, b).list_bulk_charge_batches(10, 1, datetime.date(2020, 1, 1)), None),
        ("charges", lambda c, x: getattr(c, b).fetch_charge_bulk_batch(x["code"]), None),
        ("charges failed", lambda c, x: getattr(c, b).fetch_charge_bulk_batch(x["code"], status="failed"), None),
        ("unknown batch", lambda c, _: getattr(c, b).fetch_bulk_charge_batch("BCH_doesnotexist1"), None),
        ("slow batch", slow, running_batch),
        ("pause", lambda c, x: getattr(c, b).pause_bulk_charge_batch(batch_code=x["running"]), None),
        ("resume", lambda c, x: getattr(c, b).resume_bulk_charge_batch(batch_code=x["running"]), None),
        ("initialize", lambda c, _: getattr(c, t).initialize("ada@example.com", 20000, reference="diff-i1"), None),
        (
            "charge",
            lambda c, _: getattr(c, t).charge_authorization(
                "success@example.com", 5000, Sandbox.AUTH_SUCCESS, "diff-c1"
            ),
            noted("tx", "id"),
        ),
        (
            "declined",
            lambda c, _: getattr(c, t).charge_authorization(
                "declined@example.com", 5000, Sandbox.AUTH_DECLINED, reference="diff-c2"
            ),
            None,
        ),
        (
            "duplicate",
            lambda c, _: getattr(c, t).charge_authorization(
                "success@example.com", 5000, Sandbox.AUTH_SUCCESS, "diff-c1"
            ),
            None,
        ),
        (
            "partial debit",
            lambda c, _: getattr(c, t).partial_debit(
                "lowbalance@example.com", Sandbox.AUTH_LOW_BALANCE, 800_000, "NGN", "diff-p1", 100_000
            ),
            None,
        ),
        ("list transactions", lambda c, _: getattr(c, t).list_transactions(), None),
        ("list success", lambda c, _: getattr(c, t).list_transactions(status="success", amount=5000), None),
        ("verify", lambda c, _: getattr(c, t).verify_transaction("diff-c1"), None),
        ("verify unknown", lambda c, _: getattr(c, t).verify_transaction("no-such-reference"), None),
        ("fetch transaction", lambda c, x: getattr(c, t).fetch_transaction(x["tx"]), None),
        ("timeline", lambda c, _: getattr(c, t).transaction_timeline("diff-c1"), None),
        ("totals", lambda c, _: getattr(c, t).transaction_totals(), None),
        ("export", lambda c, _: getattr(c, t).export_transactions(), None),
    ]


def ease_view(answer: Any) -> dict[str, Any]:
    return {
        "status_code": answer.status_code,
        "status": answer.status,
        "message": answer.message,
        "data": masked(answer.data),
    }


@pytest.mark.parametrize("mode", MODES)
def test_paystackease_and_its_shim_answer_alike(mode, pair, monkeypatch):
    base = "PayStackBase" if mode == "sync" else "AsyncPayStackBase"
    real = run_steps(mode, getattr(paystackease, base), ease_steps(paystackease), pair["real"], monkeypatch)
    shim = run_steps(mode, getattr(ease_shim, base), ease_steps(ease_shim), pair["shim"], monkeypatch)
    assert len(real) == 23
    assert real["unknown batch"].status is False
    assert real["charges failed"].data, "the failed charge is listed"
    differences = {name: (ease_view(real[name]), ease_view(shim[name])) for name in real}
    assert {n: d for n, d in differences.items() if d[0] != d[1]} == {}


# -- pypaystack2 -----------------------------------------------------------------------------


def py2_items(lib: Any, *references: str) -> list[Any]:
    instruction = lib.models.BulkChargeInstruction if lib is pypaystack2 else lib.BulkChargeInstruction
    authorizations = [Sandbox.AUTH_SUCCESS, Sandbox.AUTH_DECLINED]
    return [
        instruction(authorization=authorizations[n % 2], amount=10000 - 8000 * (n % 2), reference=reference)
        for n, reference in enumerate(references)
    ]


def py2_steps(lib: Any) -> list[Step]:
    def noted(key: str, field: str) -> Callable[[Any, dict[str, Any]], None]:
        def note(answer: Any, ctx: dict[str, Any]) -> None:
            ctx[key] = getattr(answer.data, field)
            if key == "code":
                settle(ctx["sb"], ctx[key])

        return note

    def slow(c: Any, ctx: dict[str, Any]) -> Any:
        ctx["sb"].configure(process_interval_ms=60_000)
        return c.bulk_charges.initiate(py2_items(lib, "r-1"))

    return [
        (
            "initiate",
            lambda c, _: c.bulk_charges.initiate(py2_items(lib, "diff-b1", "diff-b2")),
            noted("code", "batch_code"),
        ),
        ("batch", lambda c, x: c.bulk_charges.get_batch(x["code"]), None),
        ("batches", lambda c, _: c.bulk_charges.get_batches(), None),
        ("batches dated", lambda c, _: c.bulk_charges.get_batches(1, 10, "2020-01-01"), None),
        ("charges success", lambda c, x: c.bulk_charges.get_charges_in_batch(x["code"], "success"), None),
        ("charges failed", lambda c, x: c.bulk_charges.get_charges_in_batch(x["code"], "failed", 10, 1), None),
        ("unknown batch", lambda c, _: c.bulk_charges.get_batch("BCH_doesnotexist1"), None),
        ("slow batch", slow, noted("running", "batch_code")),
        ("pause", lambda c, x: c.bulk_charges.pause_batch(x["running"]), None),
        ("resume", lambda c, x: c.bulk_charges.resume_batch(x["running"]), None),
        ("initialize", lambda c, _: c.transactions.initialize(20000, "ada@example.com", reference="diff-i1"), None),
        (
            "charge",
            lambda c, _: c.transactions.charge(5000, "success@example.com", Sandbox.AUTH_SUCCESS, "diff-c1"),
            noted("tx", "id"),
        ),
        (
            "declined",
            lambda c, _: c.transactions.charge(5000, "declined@example.com", Sandbox.AUTH_DECLINED, "diff-c2"),
            None,
        ),
        (
            "partial debit",
            lambda c, _: c.transactions.partial_debit(
                Sandbox.AUTH_LOW_BALANCE, "NGN", 800_000, "lowbalance@example.com", "diff-p1", 100_000
            ),
            None,
        ),
        ("verify", lambda c, _: c.transactions.verify("diff-c1"), None),
        ("verify unknown", lambda c, _: c.transactions.verify("no-such-reference"), None),
        ("timeline", lambda c, _: c.transactions.get_timeline("diff-c1"), None),
    ]


# pypaystack2 asks for these four with a trailing slash (GET /transaction/?perPage=50,
# /transaction/{id}/, /transaction/totals/?..., /transaction/export/?...).
def py2_slash_steps(lib: Any) -> list[Step]:
    def charged(answer: Any, ctx: dict[str, Any]) -> None:
        ctx["tx"] = answer.data.id

    return [
        (
            "charge",
            lambda c, _: c.transactions.charge(5000, "success@example.com", Sandbox.AUTH_SUCCESS, "diff-s1"),
            charged,
        ),
        ("get transaction", lambda c, x: c.transactions.get_transaction(x["tx"]), None),
        ("get transactions", lambda c, _: c.transactions.get_transactions(), None),
        ("get transactions filtered", lambda c, _: c.transactions.get_transactions(status="success", page=1), None),
        ("totals", lambda c, _: c.transactions.totals(), None),
        ("export", lambda c, _: c.transactions.export(), None),
    ]


def plain(value: Any) -> Any:
    """A pypaystack2 answer's data as plain values: a model as the fields it was given."""
    if isinstance(value, pydantic.BaseModel):
        return {name: plain(getattr(value, name)) for name in value.model_fields_set}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def within(shim: Any, real: Any) -> Any:
    """The shim's data, cut to the fields the real library's models keep (pypaystack2's models
    drop the fields they do not declare; the shim keeps every field Paystack sent)."""
    if isinstance(real, dict) and isinstance(shim, dict):
        return {k: within(shim[k], v) if k in shim else "<missing>" for k, v in real.items()}
    if isinstance(real, list) and isinstance(shim, list):
        return [within(s, r) for s, r in zip(shim, real, strict=False)] + shim[len(real) :]
    return shim


def py2_view(answer: Any) -> dict[str, Any]:
    return {
        "status_code": answer.status_code,
        "status": answer.status,
        "message": answer.message,
        "type": answer.type,
        "code": answer.code,
        "meta": masked(answer.meta),
        "raw": masked(answer.raw),
    }


#: Answers pypaystack2's own models cannot read, so that it gives ``data=None`` (with a logged
#: warning) where Paystack sent data: the shim gives the data. Each is Paystack's documented shape.
PYPAYSTACK2_CANNOT_READ = {
    # BulkChargeUnitCharge declares id a str; Paystack sends an integer (samples/api/bulk-charges/fetch-charge).
    "charges success": "BulkChargeUnitCharge.id",
    "charges failed": "BulkChargeUnitCharge.id",
    # Transaction declares plan an object; a partial debit answers plan: 0 (docs/paystack-api.md T10).
    "partial debit": "Transaction.plan",
}


def snake(value: Any) -> Any:
    """Paystack's JSON with pypaystack2's names (camelCase keys in snake_case), written here
    independently of the shim."""
    if isinstance(value, dict):
        return {re.sub(r"(?<!^)(?=[A-Z])", "_", k).lower(): snake(v) for k, v in value.items()}
    if isinstance(value, list):
        return [snake(v) for v in value]
    return value


def compare_py2(real: dict[str, Any], shim: dict[str, Any]) -> dict[str, Any]:
    differences: dict[str, Any] = {}
    for name, r in real.items():
        s = shim[name]
        if py2_view(r) != py2_view(s):
            differences[name] = (py2_view(r), py2_view(s))
        elif name in PYPAYSTACK2_CANNOT_READ:
            # pypaystack2 answers None; the shim answers what Paystack sent.
            if r.data is not None or masked(plain(s.data)) != masked(snake(r.raw["data"])):
                differences[name] = ("expected pypaystack2 None and the shim Paystack's data", r.data, s.data)
        elif r.raw.get("data") and r.data is None:
            differences[name] = ("pypaystack2's model did not read the answer", r.raw["data"])
        elif masked(plain(r.data)) != masked(within(plain(s.data), plain(r.data))):
            differences[name] = (masked(plain(r.data)), masked(within(plain(s.data), plain(r.data))))
    return differences


@pytest.mark.parametrize("mode", MODES)
def test_pypaystack2_and_its_shim_answer_alike(mode, pair, monkeypatch):
    client = "PaystackClient" if mode == "sync" else "AsyncPaystackClient"
    real = run_steps(mode, getattr(pypaystack2, client), py2_steps(pypaystack2), pair["real"], monkeypatch)
    shim = run_steps(mode, getattr(py2_shim, client), py2_steps(py2_shim), pair["shim"], monkeypatch)
    assert len(real) == 17
    assert real["unknown batch"].status is False
    assert real["verify"].data is not None
    differences = compare_py2(real, shim)
    assert differences == {}, "\n".join(f"{name}: {d!r:.600}" for name, d in differences.items())
    # Attribute access reads the same values as pypaystack2's models.
    assert shim["verify"].data.amount == real["verify"].data.amount == 5000
    assert shim["batch"].data.pending_charges == real["batch"].data.pending_charges == 0


@pytest.mark.parametrize("mode", MODES)
def test_pypaystack2_trailing_slash_routes_answer_alike(mode, pair, monkeypatch):
    client = "PaystackClient" if mode == "sync" else "AsyncPaystackClient"
    real = run_steps(mode, getattr(pypaystack2, client), py2_slash_steps(pypaystack2), pair["real"], monkeypatch)
    shim = run_steps(mode, getattr(py2_shim, client), py2_slash_steps(py2_shim), pair["shim"], monkeypatch)
    assert all(answer.status for answer in real.values()), {n: a.message for n, a in real.items()}
    assert compare_py2(real, shim) == {}

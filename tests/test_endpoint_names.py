"""The generated methods reach their endpoint by name: methods with the same arguments (event, fetch
and session all take a transaction id) each reach their own path, and a stale caller that still
passes a table index is refused instead of calling whatever endpoint now sits at that index.
Arguments go by parameter name too: an unknown or missing name is a ValidationError naming the
parameter and the endpoint, and nothing is sent."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from paystack_rs import _core
from paystack_rs.errors import ValidationError
from paystack_rs.sandbox import Sandbox


def test_methods_with_the_same_arguments_reach_their_own_paths(client, sb):
    tx = client.transaction.charge_authorization("success@example.com", 500, Sandbox.AUTH_SUCCESS).data["id"]
    sb.clear_requests()
    client.transaction.fetch(tx)
    client.transaction.event(tx)
    client.transaction.session(tx)
    client.transaction.timeline(tx)
    assert [q["path"] for q in sb.requests()] == [
        f"/transaction/{tx}",
        f"/transaction/{tx}/event",
        f"/transaction/{tx}/session",
        f"/transaction/timeline/{tx}",
    ]


def test_every_method_names_an_endpoint_of_the_table(client):
    names = {e["qualified_name"] for e in _core.endpoints()}
    assert len(names) == 24
    generated = set()
    services = (
        (client.bulk_charge, "bulk_charge"),
        (client.transaction, "transaction"),
        (client.settlement, "settlement"),
        (client.refund, "refund"),
    )
    for service, resource in services:
        for name in dir(service):
            method = getattr(type(service), name, None)
            # The generated methods; those written by hand (bulk_charge.wait) come from mixins.
            if name.startswith("_") or name.endswith("_async") or method.__module__ != "paystack_rs._services":
                continue
            assert f"{resource}.{name}" in names
            generated.add(f"{resource}.{name}")
    assert generated == names


def test_a_call_by_index_or_unknown_name_is_refused_before_sending(client, sb):
    with pytest.raises(TypeError):
        client._core.call(9, (1,))  # type: ignore[arg-type]
    with pytest.raises(KeyError, match=r"transaction\.nope"):
        client._core.call("transaction.nope", {})
    assert sb.requests() == []


class _Params(Mapping[str, Any]):
    """A mapping that is not a dict."""

    def __init__(self, **given: Any) -> None:
        self._given = given

    def __getitem__(self, name: str) -> Any:
        return self._given[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._given)

    def __len__(self) -> int:
        return len(self._given)


def _issues(error: ValidationError) -> list[tuple[str, str]]:
    return [(issue["field"], issue["message"]) for issue in error.errors]


def test_arguments_go_by_name_in_any_order_and_any_mapping(client, sb):
    ref = client.transaction.charge_authorization("success@example.com", 500, Sandbox.AUTH_SUCCESS).data["reference"]
    assert client._core.call("transaction.verify", {"reference": ref}).data["reference"] == ref
    assert client._core.call("transaction.verify", _Params(reference=ref)).data["reference"] == ref
    sb.clear_requests()
    page = client._core.call("bulk_charge.list", {"page": 2, "status": None, "per_page": 3})
    assert page.meta["page"] == 2
    assert [(q["path"], q["query"]) for q in sb.requests()] == [("/bulkcharge", "perPage=3&page=2")]


def test_unknown_and_missing_names_are_refused_before_sending(client, sb):
    with pytest.raises(ValidationError) as unknown:
        client._core.call("transaction.verify", {"reference": "r-1", "perPage": 5})
    assert _issues(unknown.value) == [("perPage", "is not a parameter of transaction.verify")]
    with pytest.raises(ValidationError) as missing:
        client._core.call("transaction.charge_authorization", {"email": "a@b.co", "amuont": 500})
    assert _issues(missing.value) == [
        ("amuont", "is not a parameter of transaction.charge_authorization"),
        ("amount", "is required by transaction.charge_authorization"),
        ("authorization_code", "is required by transaction.charge_authorization"),
    ]
    with pytest.raises(ValidationError) as not_a_name:
        client._core.call("transaction.verify", {"reference": "r-1", 1: "x"})
    assert _issues(not_a_name.value) == [("1", "is not a parameter name of transaction.verify (names are strings)")]
    with pytest.raises(TypeError, match=r"transaction\.verify takes its parameters as a mapping by name, not tuple"):
        client._core.call("transaction.verify", ("r-1",))
    assert sb.requests() == []


def test_unknown_and_missing_names_are_refused_before_sending_async(client, sb):
    async def main() -> list[tuple[str, str]]:
        with pytest.raises(ValidationError) as refused:
            await client._core.call_async("bulk_charge.charges", {"status": "failed", "code ": "BCH_x"})
        return _issues(refused.value)

    assert asyncio.run(main()) == [
        ("code ", "is not a parameter of bulk_charge.charges"),
        ("code", "is required by bulk_charge.charges"),
    ]
    assert sb.requests() == []

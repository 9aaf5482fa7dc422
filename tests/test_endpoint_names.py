"""The generated methods reach their endpoint by name: methods with the same arguments (event, fetch
and session all take a transaction id) each reach their own path, and a stale caller that still
passes a table index is refused instead of calling whatever endpoint now sits at that index."""

from __future__ import annotations

import pytest

from paystack_rs import _core
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
        client._core.call("transaction.nope", ())
    assert sb.requests() == []

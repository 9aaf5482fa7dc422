"""The global classes read paystack_rs.api_key / PAYSTACK_SECRET_KEY and base_url /
PAYSTACK_BASE_URL at call time; the client and the globals are views of the same methods."""

from __future__ import annotations

import asyncio
import inspect

import pytest

import paystack_rs
from paystack_rs.sandbox import Sandbox


def test_module_settings_are_read_at_call_time(sb, monkeypatch, global_client):
    r = paystack_rs.Transaction.charge_authorization("success@example.com", 100, Sandbox.AUTH_SUCCESS)
    assert paystack_rs.Transaction.verify(r.reference).data["status"] == "success"
    # Change the key: the next call uses it (another integration: the reference is unknown there).
    monkeypatch.setattr(paystack_rs, "api_key", sb.secret_key + "other")
    with pytest.raises(paystack_rs.InvalidRequestError):
        paystack_rs.Transaction.verify(r.reference)
    monkeypatch.setattr(paystack_rs, "api_key", sb.secret_key)
    assert paystack_rs.Transaction.verify(r.reference).status


def test_environment_variables_are_the_fallback(sb, monkeypatch):
    monkeypatch.setattr(paystack_rs, "api_key", None)
    monkeypatch.setattr(paystack_rs, "base_url", None)
    monkeypatch.setenv("PAYSTACK_SECRET_KEY", sb.secret_key)
    monkeypatch.setenv("PAYSTACK_BASE_URL", sb.base_url)
    assert paystack_rs.BulkCharge.list().message == "Bulk charges retrieved"
    assert asyncio.run(paystack_rs.BulkCharge.list_async()).message == "Bulk charges retrieved"
    client = paystack_rs.Paystack()
    assert client.base_url == sb.base_url
    assert client.bulk_charge.list().status


def test_global_and_client_methods_share_one_definition(client):
    for service in ("bulk_charge", "transaction"):
        global_service = getattr(paystack_rs, "BulkCharge" if service == "bulk_charge" else "Transaction")
        client_service = getattr(client, service)
        assert type(global_service) is type(client_service)
        names = [n for n in dir(type(client_service)) if not n.startswith("_")]
        for name in names:
            assert getattr(type(global_service), name) is getattr(type(client_service), name)
            if not name.endswith("_async"):
                twin = getattr(type(client_service), f"{name}_async")
                assert inspect.iscoroutinefunction(twin)
                assert inspect.signature(twin) == inspect.signature(getattr(type(client_service), name))


def test_every_seed_method_exists_with_the_seed_parameters():
    expected = {
        "bulk_charge": {
            # DESIGN.md: charges(code, status=..., per_page=..., page=..., _from=..., to=...)
            "charges": ["code", "status", "per_page", "page", "_from", "to"],
            "fetch": ["code"],
            "initiate": ["charges"],
            "list": ["per_page", "page", "_from", "to"],
            "pause": ["code"],
            "resume": ["code"],
        },
        "transaction": {
            "charge_authorization": [
                "email",
                "amount",
                "authorization_code",
                "reference",
                "currency",
                "metadata",
                "split_code",
                "subaccount",
                "transaction_charge",
                "bearer",
                "queue",
            ],
            "check_authorization": ["email", "amount", "authorization_code", "currency"],
            "download": ["per_page", "page", "_from", "to"],
            "event": ["id"],
            "fetch": ["id"],
            "initialize": [
                "email",
                "amount",
                "currency",
                "reference",
                "callback_url",
                "plan",
                "invoice_limit",
                "metadata",
                "channels",
                "split_code",
                "subaccount",
                "transaction_charge",
                "bearer",
            ],
            "list": ["per_page", "page", "_from", "to"],
            "partial_debit": ["email", "amount", "authorization_code", "currency", "reference", "at_least"],
            "session": ["id"],
            "timeline": ["id_or_reference"],
            "totals": ["per_page", "page", "_from", "to"],
            "verify": ["reference"],
        },
    }
    services = {"bulk_charge": paystack_rs.BulkCharge, "transaction": paystack_rs.Transaction}
    # Beyond the seeds: waiting for a batch to complete (polls fetch).
    additions = {"bulk_charge": {"wait"}, "transaction": set()}
    for resource, methods in expected.items():
        public = {n for n in dir(services[resource]) if not n.startswith("_") and not n.endswith("_async")}
        assert public == set(methods) | additions[resource]
        for name, params in methods.items():
            positional = [
                p.name
                for p in inspect.signature(getattr(services[resource], name)).parameters.values()
                if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
            ]
            assert positional == params, name


def test_reprs_never_show_the_key(client, sb):
    assert sb.secret_key not in repr(client)
    assert sb.secret_key not in repr(client.transaction)
    assert sb.secret_key not in repr(client._core)
    assert "mode='test'" in repr(client)

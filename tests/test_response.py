"""The Response: a dict of Paystack's envelope with the HTTP details beside it."""

from __future__ import annotations

import copy
import json
import pickle
import pprint

import pytest

from paystack_rs.sandbox import Sandbox

from .helpers import MODES, invoke


def test_response_is_a_readable_dict(client):
    r = client.transaction.charge_authorization("success@example.com", 5000, Sandbox.AUTH_SUCCESS, reference="rp-1")
    assert isinstance(r, dict)
    assert r["status"] is True
    assert r["data"]["reference"] == "rp-1"
    assert r.data is r["data"]
    assert r.message == r["message"] == "Charge attempted"
    assert r.meta is None
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    assert r.attempts == 1
    assert r.recovered is False
    assert r.reference == "rp-1"
    # pprint shows it as the dict it is, over several lines, keys sorted.
    shown = pprint.pformat(r)
    assert shown.startswith("{'data': {")
    assert "'message': 'Charge attempted'" in shown
    assert shown.count("\n") > 10
    assert repr(r) == repr(dict(r))
    assert json.loads(json.dumps(r)) == dict(r)


def test_list_meta_and_copies(client):
    client.transaction.charge_authorization("success@example.com", 5000, Sandbox.AUTH_SUCCESS)
    r = client.transaction.list(per_page=1)
    assert r.meta["perPage"] == 1
    assert isinstance(r.data, list)
    clone = pickle.loads(pickle.dumps(r))
    assert clone == r
    assert clone.status_code == 200
    assert clone.headers == r.headers
    shallow = copy.copy(r)
    assert shallow == r
    assert shallow.meta == r.meta


def test_pause_has_no_data(sb, client):
    sb.configure(process_interval_ms=60_000)  # the batch is still active when paused, however loaded the machine
    code = client.bulk_charge.initiate([{"authorization": Sandbox.AUTH_SUCCESS, "amount": 100}]).data["batch_code"]
    r = client.bulk_charge.pause(code)
    assert r.data is None
    assert dict(r) == {"status": True, "message": "Bulk charge batch has been paused"}


def test_decoding_a_large_page_leaves_the_garbage_collector_as_it_was(client):
    import gc

    for i in range(80):
        client.transaction.charge_authorization("success@example.com", 100 + i, Sandbox.AUTH_SUCCESS)
    assert gc.isenabled()
    page = client.transaction.list(per_page=100)
    assert len(page.data) == 80
    assert gc.isenabled()
    gc.disable()
    try:
        client.transaction.list(per_page=100)
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("mode", MODES)
def test_bulk_references_are_a_list_built_once(mode, client, sb):
    items = [{"authorization": Sandbox.AUTH_SUCCESS, "amount": 100 + i, "reference": f"lazy-{i}"} for i in range(500)]
    # Two items without a reference get one generated (their authorizations are used once).
    items[7] = {"authorization": Sandbox.AUTH_SUCCESS_PLAIN, "amount": 700}
    items[8] = {"authorization": Sandbox.AUTH_SUCCESS_FULL, "amount": 800}
    r = invoke(mode, client.bulk_charge, "initiate", items)
    references = r.references
    assert type(references) is list
    assert r.references is references  # built on first use, then kept
    assert len(set(references)) == len(references) == 500
    assert references[:7] == [f"lazy-{i}" for i in range(7)]
    assert references[7].startswith("psrs-")
    assert references[8].startswith("psrs-")
    assert references[9:] == [f"lazy-{i}" for i in range(9, 500)]
    sent = sb.requests(method="POST", path="/bulkcharge")[-1]["body"]
    assert [item["reference"] for item in sent] == references
    clone = pickle.loads(pickle.dumps(r))
    assert clone.references == references
    assert copy.copy(r).references == references
    r.references = ["replaced"]
    assert r.references == ["replaced"]
    # A call without items has none.
    assert client.transaction.list(per_page=1).references == []

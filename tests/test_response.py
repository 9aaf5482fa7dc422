"""The Response: a dict of Paystack's envelope with the HTTP details beside it."""

from __future__ import annotations

import copy
import json
import pickle
import pprint

from paystack_rs.sandbox import Sandbox


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


def test_pause_has_no_data(client):
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

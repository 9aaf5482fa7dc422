"""What reaches the wire: path segments stay inside their segment, headers are right, the key
travels only in the Authorization header."""

from __future__ import annotations

import pytest

import paystack_rs

from .helpers import MODES, invoke


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("given", "path"),
    [
        ("../x", "/transaction/verify/..%2Fx"),
        ("a/b", "/transaction/verify/a%2Fb"),
        ("../../bulkcharge", "/transaction/verify/..%2F..%2Fbulkcharge"),
        ("x?status=success", "/transaction/verify/x%3Fstatus%3Dsuccess"),
        ("x#frag", "/transaction/verify/x%23frag"),
        ("%2e%2e", "/transaction/verify/%252e%252e"),
        ("naïve ref", "/transaction/verify/na%C3%AFve%20ref"),
    ],
)
def test_path_segments_cannot_reach_another_endpoint(mode, client, sb, given, path):
    with pytest.raises(paystack_rs.InvalidRequestError) as caught:
        invoke(mode, client.transaction, "verify", given)
    assert caught.value.paystack_message == "Transaction reference not found."
    [request] = sb.requests()
    assert request["path"] == path
    assert request["query"] is None


@pytest.mark.parametrize("mode", MODES)
def test_bulk_codes_are_encoded_too(mode, client, sb):
    with pytest.raises(paystack_rs.NotFoundError):
        invoke(mode, client.bulk_charge, "charges", "../transaction", status="failed")
    [request] = sb.requests()
    assert request["path"] == "/bulkcharge/..%2Ftransaction/charges"
    assert request["query"] == "status=failed"


def test_headers_sent(client, sb):
    client.transaction.totals()
    [request] = sb.requests()
    headers = request["headers"]
    assert headers["authorization"] == "[redacted]"  # the sandbox never logs the key
    assert headers["accept"] == "application/json"
    assert headers["user-agent"].startswith("paystack-rs/")
    assert "gzip" in headers["accept-encoding"]
    assert "content-type" not in headers  # a GET has no body


def test_query_values_are_encoded(client, sb):
    client.transaction.list(terminalid="T 1&x=y/+=é")
    [request] = sb.requests()
    assert request["query"] == "terminalid=T%201%26x%3Dy%2F%2B%3D%C3%A9"
    assert request["query_params"] == {"terminalid": "T 1&x=y/+=é"}

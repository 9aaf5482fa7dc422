"""Webhook signatures: Paystack's sample events signed independently (Python's hmac), and the
sandbox's real signed deliveries to a local receiver."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from paystack_rs import SignatureVerificationError, webhooks
from paystack_rs.sandbox import Sandbox

from .conftest import DATA

SAMPLES = [
    *sorted((DATA / "paystack" / "samples" / "doc" / "payments" / "webhooks" / "events").glob("*.json")),
    DATA / "paystack" / "samples" / "doc" / "payments" / "bulk-charge" / "webhook" / "index.json",
]
KEY = "sk_test_0123456789abcdef0123456789abcdef"


def paystack_signature(body: bytes, key: str = KEY) -> str:
    return hmac.new(key.encode(), body, hashlib.sha512).hexdigest()


def test_there_are_samples():
    assert len(SAMPLES) >= 24


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem if p.stem != "index" else p.parent.parent.name)
def test_sample_events_verify_and_parse(sample: Path):
    body = sample.read_bytes()
    signature = paystack_signature(body)
    assert webhooks.verify(body, signature, KEY)
    assert webhooks.verify(body, signature.upper(), KEY)
    assert webhooks.sign(body, KEY) == signature
    event = webhooks.construct_event(body, signature, KEY)
    assert event == json.loads(body)
    assert event["event"] == json.loads(body)["event"]
    # One changed byte, another key, a cut signature, no signature: all refused.
    tampered = body.replace(b'"data"', b'"Data"', 1)
    assert not webhooks.verify(tampered, signature, KEY)
    assert not webhooks.verify(body, signature, KEY + "x")
    assert not webhooks.verify(body, signature[:-2], KEY)
    assert not webhooks.verify(body, "", KEY)
    assert not webhooks.verify(body, None, KEY)
    with pytest.raises(SignatureVerificationError):
        webhooks.construct_event(tampered, signature, KEY)


def test_payload_forms_and_bad_payloads():
    body = b'{"event":"charge.success","data":{"id":1}}'
    signature = paystack_signature(body)
    assert webhooks.verify(body.decode(), signature, KEY)
    assert webhooks.verify(bytearray(body), signature, KEY)
    assert webhooks.verify(memoryview(body), signature, KEY)
    with pytest.raises(TypeError):
        webhooks.verify({"event": "x"}, signature, KEY)  # type: ignore[arg-type]
    not_json = b"not json"
    with pytest.raises(SignatureVerificationError, match="not JSON"):
        webhooks.construct_event(not_json, paystack_signature(not_json), KEY)
    not_event = b"[1, 2]"
    with pytest.raises(SignatureVerificationError, match="not a Paystack event"):
        webhooks.construct_event(not_event, paystack_signature(not_event), KEY)


def test_secret_key_from_the_environment(monkeypatch):
    body = b'{"event":"charge.success","data":{}}'
    monkeypatch.setenv("PAYSTACK_SECRET_KEY", KEY)
    assert webhooks.verify(body, paystack_signature(body))
    monkeypatch.delenv("PAYSTACK_SECRET_KEY")
    with pytest.raises(SignatureVerificationError):
        webhooks.verify(body, paystack_signature(body))


def test_source_ips():
    assert webhooks.SOURCE_IPS == ("52.31.139.75", "52.49.173.169", "52.214.14.220")
    assert all(webhooks.is_paystack_ip(ip) for ip in webhooks.SOURCE_IPS)
    assert not webhooks.is_paystack_ip("127.0.0.1")


class Receiver:
    """A local webhook endpoint: records every delivery, answers 500 to the first attempt of each."""

    def __init__(self) -> None:
        self.deliveries: list[tuple[dict[str, str], bytes]] = []
        self.seen: set[bytes] = set()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                receiver.deliveries.append(({k.lower(): v for k, v in self.headers.items()}, body))
                first = body not in receiver.seen
                receiver.seen.add(body)
                self.send_response(500 if first else 200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/paystack/webhook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, count: int, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while len(self.deliveries) < count and time.monotonic() < deadline:
            time.sleep(0.02)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.server.shutdown()


def test_sandbox_deliveries_are_signed_and_retried(sb, client, receiver):
    sb.configure(webhook_url=receiver.url, webhook_retry_interval_ms=50)
    client.transaction.charge_authorization("success@example.com", 4200, Sandbox.AUTH_SUCCESS, reference="wh-1")
    client.transaction.charge_authorization("declined@example.com", 4200, Sandbox.AUTH_DECLINED, reference="wh-2")
    receiver.wait(2)
    assert len(receiver.deliveries) == 2  # the first attempt got 500, the retry 200; no event for a decline
    (headers, body), (_retry_headers, retry_body) = receiver.deliveries
    assert body == retry_body
    assert headers["content-type"].startswith("application/json")
    event = webhooks.construct_event(body, headers["x-paystack-signature"], sb.secret_key)
    assert event["event"] == "charge.success"
    assert event["data"]["reference"] == "wh-1"
    assert event["data"]["amount"] == 4200
    with pytest.raises(SignatureVerificationError):
        webhooks.construct_event(body, headers["x-paystack-signature"], "sk_test_someone_else")
    [delivery] = sb.webhooks(reference="wh-1")
    assert [a["status_code"] for a in delivery["attempts"]] == [500, 200]
    assert delivery["status"] == "delivered"


def test_bulk_charge_deliveries_carry_the_batch(sb, client, receiver):
    sb.configure(webhook_url=receiver.url, webhook_retry_interval_ms=20)
    r = client.bulk_charge.initiate(
        [{"authorization": Sandbox.AUTH_SUCCESS, "amount": 100 + i, "reference": f"bw-{i}"} for i in range(3)]
    )
    receiver.wait(6)
    events = [webhooks.construct_event(b, h["x-paystack-signature"], sb.secret_key) for h, b in receiver.deliveries]
    assert sorted({e["data"]["reference"] for e in events}) == ["bw-0", "bw-1", "bw-2"]
    fields = {f["variable_name"]: f["value"] for f in events[0]["data"]["metadata"]["custom_fields"]}
    assert fields["bulkcharge_batch_code"] == r.data["batch_code"]
    assert fields["charged_via"] == "Bulkcharge"

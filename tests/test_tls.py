"""Certificates are verified; a custom CA bundle can be trusted; plain http is refused off loopback."""

from __future__ import annotations

import json
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import trustme

import paystack_rs

TOTALS = {"status": True, "message": "Transaction totals", "data": {"total_transactions": 0}}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps(TOTALS).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    ca = trustme.CA()
    cert = ca.issue_cert("localhost", "127.0.0.1")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    cert.configure_cert(context)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    ca_file = tmp_path_factory.mktemp("tls") / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    yield f"https://localhost:{server.server_port}", ca_file
    server.shutdown()


def test_an_untrusted_certificate_is_refused(tls_server):
    url, _ = tls_server
    client = paystack_rs.Paystack("sk_test_x", base_url=url, max_retries=0)
    with pytest.raises(paystack_rs.APIConnectionError) as caught:
        client.transaction.totals()
    assert "certificate" in str(caught.value).lower()


def test_a_refused_certificate_is_not_retried(tls_server):
    """The same server would present the same certificate: the call fails after one attempt."""
    url, _ = tls_server
    client = paystack_rs.Paystack("sk_test_x", base_url=url, max_retries=2)
    with pytest.raises(paystack_rs.APIConnectionError) as caught:
        client.transaction.totals()
    assert caught.value.attempts == 1
    assert "certificate" in str(caught.value).lower()


def test_a_refused_connection_is_still_retried():
    """Only the certificate is final: a port nobody listens on is tried 1 + max_retries times."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    client = paystack_rs.Paystack("sk_test_x", base_url=f"http://127.0.0.1:{port}", max_retries=2)
    with pytest.raises(paystack_rs.APIConnectionError) as caught:
        client.transaction.totals()
    assert caught.value.attempts == 3


def test_a_custom_ca_bundle_is_trusted(tls_server):
    url, ca_file = tls_server
    client = paystack_rs.Paystack("sk_test_x", base_url=url, ca_bundle=ca_file)
    assert client.transaction.totals().data == {"total_transactions": 0}


def test_a_bad_ca_bundle_is_a_configuration_error(tmp_path):
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate")
    with pytest.raises(paystack_rs.ConfigurationError):
        paystack_rs.Paystack("sk_test_x", base_url="https://api.paystack.co", ca_bundle=bad)


@pytest.mark.parametrize("url", ["http://api.paystack.co", "http://10.1.2.3:8080", "http://192.168.0.1"])
def test_plain_http_off_loopback_is_refused(url):
    with pytest.raises(paystack_rs.ConfigurationError, match="unencrypted"):
        paystack_rs.Paystack("sk_test_x", base_url=url)


def test_connect_timeout_per_client_and_per_call():
    # A listener whose accept queue is full: the kernel drops further SYNs, so connecting hangs.
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    for _ in range(8):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        fillers.append(s)
    try:
        client = paystack_rs.Paystack(
            "sk_test_x", base_url=f"http://127.0.0.1:{port}", connect_timeout=0.2, max_retries=0
        )
        with pytest.raises(paystack_rs.Timeout) as caught:
            client.transaction.totals()
        assert caught.value.phase == "connect"
        slow = paystack_rs.Paystack("sk_test_x", base_url=f"http://127.0.0.1:{port}", max_retries=0)
        with pytest.raises(paystack_rs.Timeout) as caught:
            slow.transaction.totals(timeout=paystack_rs.Timeouts(connect=0.2))
        assert caught.value.phase == "connect"
    finally:
        for s in fillers:
            s.close()
        listener.close()

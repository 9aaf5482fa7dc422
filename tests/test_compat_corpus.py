"""The migration corpus: code written for paystackease and pypaystack2, from their documentation and
public examples (tests/data/migration_corpus/, sources in tests/data/SOURCE.md), runs against the
sandbox after ONE mechanical rewrite, the package prefix (``paystackease`` becomes
``paystack_rs.compat.paystackease``, ``pypaystack2`` ``paystack_rs.compat.pypaystack2``).

A snippet passes when it runs to its end: its own checks (``assert response.status``, as the
libraries' documentation writes them) hold and nothing raises. A snippet that cannot pass is in
DIFFERENT with its reason, must fail, and docs/migrating.md lists it. Each snippet gets a fresh
integration of a sandbox whose clock the test moves, seeded as the documentation assumes: a paid
transaction whose reference is Paystack's documented sample reference ``re4lyvq3s3``, settled the
next morning, and (for webhook handlers, ``# given: request``) a ``request`` holding the webhook
the sandbox signed and sent for it.
"""

from __future__ import annotations

import http.server
import io
import re
import threading
from collections.abc import Iterator
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from paystack_rs.sandbox import Sandbox

from .conftest import DATA, key_for

pytest.importorskip("pydantic")  # the pypaystack2 snippets' alternate models are pydantic models

CORPUS = DATA / "migration_corpus"
DOCS = Path(__file__).resolve().parent.parent / "docs" / "migrating.md"
SNIPPETS = sorted(CORPUS.glob("*/*.py"))

#: Snippets that cannot pass: what they raise, matching what (docs/migrating.md lists each by name).
DIFFERENT: dict[str, tuple[type[Exception], str]] = {}
#: Snippets the real library cannot run against Paystack's answers, and why (the shim runs them).
REAL_LIBRARY_FAILS: dict[str, tuple[type[Exception], str]] = {
    # pypaystack2's Settlement model requires created_at/update_at where Paystack sends createdAt/
    # updatedAt (docs/paystack-api.md §8), so it answers data=None and the loop meets None.
    "p08_settlements.py": (TypeError, "'NoneType' object is not iterable"),
}

PREFIX = re.compile(r"\b(paystackease|pypaystack2)\b")


def rewrite(source: str) -> str:
    """The one mechanical rewrite: the package prefix."""
    return PREFIX.sub(r"paystack_rs.compat.\1", source)


class WebhookRequest:
    """What a web framework hands a webhook view: the raw body and the headers."""

    def __init__(self, body: bytes, headers: dict[str, str]) -> None:
        self.body = body
        self.headers = headers
        self.META = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}


class _Receiver(http.server.BaseHTTPRequestHandler):
    received: list[WebhookRequest]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append(WebhookRequest(body, {k.lower(): v for k, v in self.headers.items()}))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return None


@pytest.fixture(scope="module")
def clocked() -> Iterator[Sandbox]:
    """A sandbox of this module's own, whose clock the seeding moves (settlements come the next day)."""
    with Sandbox(start="2024-08-01T09:00:00Z", process_interval_ms=2, webhook_retry_interval_ms=50) as sb:
        yield sb


@pytest.fixture(scope="module")
def receiver() -> Iterator[tuple[str, list[WebhookRequest]]]:
    received: list[WebhookRequest] = []
    handler = type("Receiver", (_Receiver,), {"received": received})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/paystack/webhook", received
    server.shutdown()


def seed(sb: Sandbox, webhook_url: str, received: list[WebhookRequest]) -> WebhookRequest:
    """A paid transaction with Paystack's sample reference, the webhook it raised, and a day later
    its settlement."""
    sb.configure(webhook_url=webhook_url)
    before = len(received)
    sb.client().transaction.charge_authorization("success@example.com", 40333, Sandbox.AUTH_SUCCESS, "re4lyvq3s3")
    for _ in range(200):
        if len(received) > before:
            break
        threading.Event().wait(0.02)
    assert len(received) > before, "the sandbox sent the charge's webhook"
    sb.control("POST", "clock/advance", {"days": 1})
    return received[before]


def run(path: Path, request: WebhookRequest) -> str:
    code = compile(rewrite(path.read_text()), str(path), "exec")
    namespace: dict[str, Any] = {"__name__": "__main__", "request": request}
    output = io.StringIO()
    with redirect_stdout(output):
        exec(code, namespace)
    return output.getvalue()


@pytest.mark.parametrize("path", SNIPPETS, ids=[f"{p.parent.name}/{p.name}" for p in SNIPPETS])
def test_the_snippet_runs_with_the_prefix_replaced(path, clocked, receiver, monkeypatch, request):
    sb = Sandbox.connect(clocked.base_url, key_for(request.node.nodeid))
    monkeypatch.setenv("PAYSTACK_SECRET_KEY", sb.secret_key)
    monkeypatch.setenv("PAYSTACK_BASE_URL", sb.base_url)
    webhook = seed(sb, *receiver)
    assert "paystack_rs.compat." in rewrite(path.read_text())
    if path.name in DIFFERENT:
        raised, match = DIFFERENT[path.name]
        with pytest.raises(raised, match=match):
            run(path, webhook)
        return
    run(path, webhook)


@pytest.mark.parametrize("path", SNIPPETS, ids=[f"{p.parent.name}/{p.name}" for p in SNIPPETS])
def test_the_snippet_runs_unchanged_with_the_real_library(path, clocked, receiver, monkeypatch, request):
    """The corpus is code for the real libraries: each snippet runs as written with them too (but
    where they cannot read Paystack's answers: REAL_LIBRARY_FAILS)."""
    paystackease = pytest.importorskip("paystackease")
    pypaystack2 = pytest.importorskip("pypaystack2")
    sb = Sandbox.connect(clocked.base_url, key_for(request.node.nodeid))
    monkeypatch.setenv("PAYSTACK_SECRET_KEY", sb.secret_key)
    # Neither library can be given a base URL: each has it as a class attribute.
    monkeypatch.setattr(paystackease.core.BaseAPI, "_PAYSTACK_API_URL", sb.base_url + "/")
    monkeypatch.setattr(pypaystack2.base_clients.AbstractAPIClient, "_BASE_URL", sb.base_url)
    webhook = seed(sb, *receiver)
    code = compile(path.read_text(), str(path), "exec")
    if path.name in REAL_LIBRARY_FAILS:
        raised, match = REAL_LIBRARY_FAILS[path.name]
        with pytest.raises(raised, match=match), redirect_stdout(io.StringIO()):
            exec(code, {"__name__": "__main__", "request": webhook})
        return
    with redirect_stdout(io.StringIO()):
        exec(code, {"__name__": "__main__", "request": webhook})


def test_the_corpus_and_its_sources():
    libraries = {p.parent.name for p in SNIPPETS}
    assert libraries == {"paystackease", "pypaystack2"}
    sources = (DATA / "SOURCE.md").read_text()
    for path in SNIPPETS:
        head = path.read_text().splitlines()[0]
        assert head.startswith("# source: "), f"{path.name} names its source on its first line"
    assert "migration_corpus/" in sources
    docs = DOCS.read_text()
    assert [name for name in DIFFERENT if name not in docs] == []
    passed = len(SNIPPETS) - len(DIFFERENT)
    print(f"\nmigration corpus: {passed} of {len(SNIPPETS)} snippets run with the prefix replaced")

"""Shared fixtures: one embedded sandbox per test session, and a fresh integration (secret key)
per test, so tests never see each other's transactions, batches, ledger or request log."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

import paystack_rs
from paystack_rs.sandbox import Sandbox

#: Paystack's samples and spec and the documented interfaces, vendored (see tests/data/SOURCE.md).
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox(process_interval_ms=2, webhook_retry_interval_ms=50) as sb:
        yield sb


def key_for(name: str, mode: str = "test") -> str:
    digest = hashlib.sha256(name.encode()).hexdigest()[:24]
    return f"sk_{mode}_{digest}"


@pytest.fixture
def secret_key(request: pytest.FixtureRequest) -> str:
    """A key of its own for this test: the sandbox keeps separate state per key."""
    return key_for(request.node.nodeid)


@pytest.fixture
def sb(sandbox: Sandbox, secret_key: str) -> Sandbox:
    """The session sandbox, seen through this test's own key."""
    return Sandbox.connect(sandbox.base_url, secret_key)


@pytest.fixture
def client(sb: Sandbox) -> paystack_rs.Paystack:
    return sb.client()


@pytest.fixture
def global_client(sb: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    """Points the global classes (paystack_rs.BulkCharge / Transaction) at this test's sandbox key."""
    monkeypatch.setattr(paystack_rs, "api_key", sb.secret_key)
    monkeypatch.setattr(paystack_rs, "base_url", sb.base_url)
    monkeypatch.delenv("PAYSTACK_SECRET_KEY", raising=False)
    monkeypatch.delenv("PAYSTACK_BASE_URL", raising=False)


def api_requests(sb: Sandbox) -> list[dict]:
    """What reached the sandbox's Paystack API for this test's key."""
    return sb.requests()

"""The sandbox's clock from Python: Sandbox(start=...) and advance(...), and what moving it does
(settlements the next morning, refunds over a day). Over real HTTP against an embedded sandbox."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest

from paystack_rs import _core
from paystack_rs.sandbox import Sandbox, SandboxError


def api(sb: Sandbox, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    """A raw Paystack call on the sandbox (the client's own Settlement/Refund methods are tested
    with the client)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(f"{sb.base_url}{path}", data=data, method=method)
    request.add_header("Authorization", f"Bearer {sb.secret_key}")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=30) as answer:
        return dict(json.loads(answer.read()))


def test_a_sandbox_started_in_the_past_settles_when_its_clock_is_moved():
    with Sandbox(start="2024-08-01T09:00:00Z", process_interval_ms=0) as sb:
        assert sb.clock()["start"] == "2024-08-01T09:00:00.000Z"
        assert sb.now().startswith("2024-08-01T09:00:")
        client = sb.client()
        charges = [
            {"authorization": Sandbox.AUTH_SUCCESS, "amount": 10_000 + i, "reference": f"py-clock-{i}"}
            for i in range(5)
        ]
        charges.append({"authorization": Sandbox.AUTH_DECLINED, "amount": 7_000, "reference": "py-clock-declined"})
        batch = client.bulk_charge.initiate(charges)
        client.bulk_charge.wait(batch.data["batch_code"])
        paid = client.transaction.verify("py-clock-0").data
        assert paid["paid_at"].startswith("2024-08-01T09:00:")
        assert api(sb, "GET", "/settlement")["data"] == []

        assert sb.advance(hours=17).startswith("2024-08-02T02:00:")
        settlements = api(sb, "GET", "/settlement")["data"]
        assert [s["status"] for s in settlements] == ["pending"]
        assert settlements[0]["settlement_date"] == "2024-08-02T00:00:00.000Z"
        assert settlements[0]["total_processed"] == sum(10_000 + i for i in range(5))
        assert settlements[0]["total_fees"] == sum(_core.estimated_card_fees([10_000 + i], "NGN") for i in range(5))
        assert settlements[0]["total_amount"] == settlements[0]["total_processed"] - settlements[0]["total_fees"]

        refund = api(sb, "POST", "/refund", {"transaction": "py-clock-1", "amount": 4_000})["data"]
        assert refund["status"] == "pending"
        assert sb.advance(to="2024-08-03T10:00:00Z").startswith("2024-08-03T10:00:00")
        assert api(sb, "GET", "/settlement?status=success")["data"][0]["id"] == settlements[0]["id"]
        assert api(sb, "GET", f"/refund/{refund['id']}")["data"]["status"] == "processed"
        listed = api(sb, "GET", f"/transaction?settlement={settlements[0]['id']}")["data"]
        assert sorted(t["reference"] for t in listed) == [f"py-clock-{i}" for i in range(5)]


def test_advance_refuses_what_would_move_the_clock_backwards_or_nowhere_sensible():
    with Sandbox(start="2024-08-01T09:00:00Z") as sb:
        with pytest.raises(SandboxError, match="non-negative"):
            sb.advance(days=-1)
        with pytest.raises(SandboxError, match="either to= or"):
            sb.advance(days=1, to="2024-09-01")
        with pytest.raises(SandboxError, match="only moves forward"):
            sb.advance(to="2024-07-01T00:00:00Z")
        assert sb.now().startswith("2024-08-01T09:00:")


def test_without_start_the_clock_reads_real_time_and_a_bad_start_is_refused():
    with Sandbox() as sb:
        assert sb.clock()["mode"] == "real_time"
        assert sb.clock()["start"] is None
    with pytest.raises(Exception, match="start must be an ISO 8601"):
        Sandbox(start="the first of august").start()
    config = json.loads(_core.sandbox_args(["--start", "2024-08-01T09:00:00Z"]) or "{}")
    assert config["start"] == "2024-08-01T09:00:00Z"

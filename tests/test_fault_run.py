"""The proof that retries never charge twice: a thousand charges and a hundred bulk initiations
through a sandbox that breaks about a fifth of all requests (connections dropped after the charge
was made, 500s, 503s, answers slower than the timeout). Every call either succeeds once or raises,
and the ledger never holds two charges for one reference.

Marked ``slow``; CI runs it. The figures are printed and written to target/fault-run.json."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import paystack_rs
from paystack_rs.sandbox import Sandbox

pytestmark = pytest.mark.slow

RATE = 0.055  # four rules at 5.5% each: about 20% of requests hit
FAULTS = [
    {"kind": "latency", "ms": 400, "rate": RATE},  # slower than the 150 ms read timeout below
    {"kind": "drop_after", "rate": RATE},
    {"kind": "error", "status": 500, "rate": RATE},
    {"kind": "error", "status": 503, "rate": RATE},
]
REPORT = Path(__file__).resolve().parents[1] / "target" / "fault-run.json"


def record(name: str, figures: dict) -> None:
    REPORT.parent.mkdir(exist_ok=True)
    data = json.loads(REPORT.read_text()) if REPORT.exists() else {}
    data[name] = figures
    REPORT.write_text(json.dumps(data, indent=2))
    print(f"\n{name}: {json.dumps(figures)}")


def injected(sb: Sandbox) -> dict:
    stats = sb.faults()["stats"]
    return {
        kind["kind"] + (f":{kind.get('status')}" if "status" in kind else ""): s["fired"]
        for kind, s in zip(FAULTS, stats, strict=True)
    }


def run_sync(client: paystack_rs.Paystack) -> list[tuple[str, str, int]]:
    def one(i: int) -> tuple[str, str, int]:
        reference = f"fr-{i}"
        try:
            r = client.transaction.charge_authorization(
                "success@example.com", 1000 + i, Sandbox.AUTH_SUCCESS, reference=reference
            )
        except paystack_rs.PaystackError as exc:
            return reference, type(exc).__name__, getattr(exc, "attempts", 0)
        assert r.data["reference"] == reference
        assert r.data["status"] == "success"
        return reference, "recovered" if r.recovered else "ok", r.attempts

    with ThreadPoolExecutor(16) as pool:
        return list(pool.map(one, range(1000)))


def run_async(client: paystack_rs.Paystack) -> list[tuple[str, str, int]]:
    async def all_of_them() -> list[tuple[str, str, int]]:
        slots = asyncio.Semaphore(16)

        async def one(i: int) -> tuple[str, str, int]:
            reference = f"fr-{i}"
            async with slots:
                try:
                    r = await client.transaction.charge_authorization_async(
                        "success@example.com", 1000 + i, Sandbox.AUTH_SUCCESS, reference=reference
                    )
                except paystack_rs.PaystackError as exc:
                    return reference, type(exc).__name__, getattr(exc, "attempts", 0)
            assert r.data["reference"] == reference
            assert r.data["status"] == "success"
            return reference, "recovered" if r.recovered else "ok", r.attempts

        return list(await asyncio.gather(*(one(i) for i in range(1000))))

    return asyncio.run(all_of_them())


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_a_thousand_charges_through_faults_charge_each_reference_once(sb, mode):
    sb.set_faults(FAULTS, seed=20261122)
    client = sb.client(timeout=paystack_rs.Timeouts(read=0.15, total=30), max_retries=6)
    outcomes = run_sync(client) if mode == "sync" else run_async(client)
    faults = injected(sb)
    sb.clear_faults()

    time.sleep(0.6)  # attempts the server was still holding finish (and are refused as duplicates)
    counts = sb.ledger(operation="transaction.charge_authorization")["counts"]
    charges_per_reference = Counter(c["successful_charges"] for c in counts.values())
    results = Counter(kind for _, kind, _ in outcomes)
    requests = sb.requests()
    figures = {
        "calls": len(outcomes),
        "results": dict(results),
        "requests_sent": len(requests),
        "faults_injected": faults,
        "faulted_requests": sum(1 for q in requests if q["fault"]),
        "retries_and_lookups": sum(n - 1 for _, _, n in outcomes),
        "references_in_ledger": len(counts),
        "references_by_successful_charges": dict(sorted(charges_per_reference.items())),
    }
    record(f"charge_authorization_{mode}", figures)

    # No reference was ever charged twice.
    assert max(charges_per_reference) == 1
    for reference, kind, _ in outcomes:
        charged = counts.get(reference, {}).get("successful_charges", 0)
        if kind in ("ok", "recovered"):
            assert charged == 1, reference  # a success the caller saw is exactly one charge
        else:
            assert charged <= 1, reference
    # The faults really happened, at about the rate asked for, and recovery did real work.
    assert 0.12 < figures["faulted_requests"] / figures["requests_sent"] < 0.28
    assert results["recovered"] > 0
    assert results["ok"] + results["recovered"] >= 990


def test_a_hundred_bulk_initiations_through_faults_queue_each_charge_once(sb):
    sb.configure(process_interval_ms=0)
    sb.set_faults(FAULTS, seed=7)
    client = sb.client(timeout=paystack_rs.Timeouts(read=0.15, total=30), max_retries=6)

    def one(i: int) -> tuple[int, str, str | None]:
        items = [
            {"authorization": Sandbox.AUTH_SUCCESS, "amount": 100 + j, "reference": f"bi-{i}-{j}"} for j in range(5)
        ]
        try:
            r = client.bulk_charge.initiate(items)
        except paystack_rs.PaystackError as exc:
            return i, type(exc).__name__, None
        assert r.references == [f"bi-{i}-{j}" for j in range(5)]
        return i, "recovered" if r.recovered else "ok", r.data["batch_code"]

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(one, range(100)))
    faults = injected(sb)
    sb.clear_faults()

    created = sb.ledger(operation="bulkcharge.create")["entries"]
    codes = [e["batch_code"] for e in created]
    queued: Counter[str] = Counter()
    for code in codes:
        for charge in client.bulk_charge.charges(code, per_page=100).data:
            queued[charge["transaction"]["reference"] if charge.get("transaction") else charge["reference"]] += 1
    results = Counter(kind for _, kind, _ in outcomes)
    figures = {
        "initiations": len(outcomes),
        "results": dict(results),
        "faults_injected": faults,
        "faulted_requests": sum(1 for q in sb.requests() if q["fault"]),
        "batches_created": len(codes),
        "charges_queued": sum(queued.values()),
        "charges_queued_twice": sum(1 for n in queued.values() if n > 1),
    }
    record("bulk_initiate", figures)

    assert len(codes) == len(set(codes))
    assert figures["charges_queued_twice"] == 0
    succeeded = [code for _, kind, code in outcomes if kind in ("ok", "recovered")]
    assert len(set(succeeded)) == len(succeeded)  # no two calls were answered with the same batch
    assert set(succeeded) <= set(codes)
    # One batch per initiation at most: never a duplicate batch for a retried call.
    assert len(codes) <= 100
    assert len(succeeded) >= 97

"""``python -m paybench.payouts [--short]``: a quarter of payouts, reconciled, against the sandbox.

90 settlements of about 1,000 transactions each (a quarter of daily payouts: the sandbox's clock
runs a batch of 1,000 charges a day, one in 20 declined, and settles each day's the next morning),
with the sandbox's latency fault at 100 ms a request. paystack-rs's ``reconcile.payouts`` (every
settlement, every one's transactions, the refunds and the period's transactions for ``unsettled``,
all through the core's pager with one limit of requests in flight) against each peer's loop over
its own settlement calls, page by page: paystackease (``list_settlements`` and
``list_settlement_transactions``), paystackapi (``Settlement.fetch`` and ``Transaction.list(
settlement=)``, as it has no settlement-transactions call) and pypaystack2 (whose settlement model
rejects Paystack's answer: reported, not timed). Every runner must find the same settlements and the
same transactions. The bound is ``ceil(pages / concurrency) x latency`` for the pages paystack-rs
read. Writes ``payouts.md`` and ``payouts.json`` to the results folder.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import fixtures

BENCH_DIR = Path(__file__).resolve().parent.parent
CONCURRENCY = 32
PER_PAGE = 100


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def sizes(short: bool) -> dict[str, int]:
    if short:
        return {"days": 3, "charges": 200, "latency_ms": 20}
    return {"days": 90, "charges": 1000, "latency_ms": 100}


def seed(sb: Any, days: int, charges: int) -> None:
    """A batch of ``charges`` a day for ``days`` days, each day's settled the next morning."""

    client = sb.client()
    for day in range(days):
        items = fixtures.sandbox_batch(f"q-{day:03d}", charges)
        code = client.bulk_charge.initiate(items).data["batch_code"]
        client.bulk_charge.wait(code, poll_interval=0.02, timeout=600)
        sb.advance(days=1)
    sb.advance(days=1)


def digest(settlements: dict[int, list[int]]) -> dict[str, Any]:
    ids = sorted(settlements)
    transactions = sorted(t for txs in settlements.values() for t in txs)
    return {"settlements": len(ids), "transactions": len(transactions), "hash": hash((tuple(ids), tuple(transactions)))}


def run_paystack_rs(base_url: str, key: str, period: tuple[str, str]) -> tuple[dict[str, Any], int]:
    import paystack_rs

    client = paystack_rs.Paystack(secret_key=key, base_url=base_url, timeout=120)
    pages: list[int] = []
    report = paystack_rs.reconcile.payouts(
        _from=period[0],
        to=period[1],
        client=client,
        concurrency=CONCURRENCY,
        per_page=PER_PAGE,
        progress=lambda done, total: pages.append(done),
    )
    assert report.balanced, report.mismatched.to_records()
    found: dict[int, list[int]] = {s: [] for s in report.settlements.column("id")}
    for row in report.transactions:
        found[row["settlement_id"]].append(row["transaction_id"])
    return digest(found), max(pages or [0])


def run_paystackease(base_url: str, key: str, period: tuple[str, str]) -> tuple[dict[str, Any], int]:
    os.environ["PAYSTACK_SECRET_KEY"] = key
    from paystackease import PayStackBase
    from paystackease.core._api_base import BaseAPI

    BaseAPI._PAYSTACK_API_URL = base_url + "/"
    client = PayStackBase()
    start, end = (datetime.date.fromisoformat(d) for d in period)
    found: dict[int, list[int]] = {}
    requests = 0
    page = 1
    while True:
        r = client.settlements.list_settlements(per_page=PER_PAGE, page=page, from_date=start, to_date=end)
        requests += 1
        data = r.data or []
        for s in data:
            found[int(s["id"])] = []
        if len(data) < PER_PAGE:
            break
        page += 1
    for sid, transactions in found.items():
        page = 1
        while True:
            r = client.settlements.list_settlement_transactions(sid, per_page=PER_PAGE, page=page)
            requests += 1
            data = r.data or []
            transactions.extend(int(t["id"]) for t in data)
            if len(data) < PER_PAGE:
                break
            page += 1
    return digest(found), requests


def run_paystackapi(base_url: str, key: str, period: tuple[str, str]) -> tuple[dict[str, Any], int]:
    import paystackapi
    from paystackapi.paystack import Paystack

    paystackapi.API_URL = base_url + "/"
    client = Paystack(secret_key=key)
    found: dict[int, list[int]] = {}
    requests = 0
    page = 1
    while True:
        r = client.settlement.fetch(perPage=PER_PAGE, page=page, **{"from": period[0]}, to=period[1])
        requests += 1
        for s in r["data"]:
            found[int(s["id"])] = []
        if page >= int(r["meta"].get("pageCount") or 1):
            break
        page += 1
    for sid, transactions in found.items():
        page = 1
        while True:
            r = client.transaction.list(settlement=sid, perPage=PER_PAGE, page=page)
            requests += 1
            transactions.extend(int(t["id"]) for t in r["data"])
            if page >= int(r["meta"].get("pageCount") or 1):
                break
            page += 1
    return digest(found), requests


def try_pypaystack2(base_url: str, key: str) -> str:
    """What pypaystack2's settlement call gives for the sandbox's (Paystack-shaped) answer."""
    from pypaystack2 import PaystackClient
    from pypaystack2.base_clients import AbstractAPIClient

    AbstractAPIClient._BASE_URL = base_url
    client = PaystackClient(secret_key=key)
    try:
        r = client.settlements.get_settlements(pagination=PER_PAGE)
    except Exception as exc:  # its model validation
        return f"raises {type(exc).__name__}: {str(exc)[:200]}"
    return f"status_code {r.status_code}, message {r.message!r}, data={r.data!r}"[:300]


RUNNERS: dict[str, Callable[[str, str, tuple[str, str]], tuple[dict[str, Any], int]]] = {
    "paystack-rs reconcile.payouts": run_paystack_rs,
    "paystackease loop": run_paystackease,
    "paystackapi loop": run_paystackapi,
}


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m paybench.payouts", description=__doc__.split("\n\n")[0])
    p.add_argument("--short", action="store_true", help="3 days of 200 charges at 20 ms (CI)")
    p.add_argument("--out", type=Path, help="results folder (default bench/results, --short bench/results/raw/short)")
    args = p.parse_args(argv)
    out = args.out or (BENCH_DIR / "results" / "raw" / "short" if args.short else BENCH_DIR / "results")
    import paystack_rs
    from paystack_rs.sandbox import Sandbox

    size = sizes(args.short)
    start = datetime.date(2024, 1, 1)
    period = (start.isoformat(), (start + datetime.timedelta(days=size["days"] + 1)).isoformat())
    results: dict[str, Any] = {
        "meta": {
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "mode": "short" if args.short else "full",
            "cpus": os.cpu_count(),
            "paystack_rs": paystack_rs.__version__,
            "sizes": size,
            "concurrency": CONCURRENCY,
            "per_page": PER_PAGE,
        },
        "cells": {},
    }
    errors: list[str] = []
    with Sandbox(start=f"{start.isoformat()}T09:00:00Z", process_interval_ms=0, request_log_limit=0) as sb:
        log(f"==> seeding {size['days']} days of {size['charges']} charges, settled daily")
        began = time.monotonic()
        seed(sb, size["days"], size["charges"])
        log(f"    seeded in {time.monotonic() - began:.1f} s")
        sb.set_faults([{"kind": "latency", "ms": size["latency_ms"]}])
        for name, runner in RUNNERS.items():
            began = time.monotonic()
            try:
                found, requests = runner(sb.base_url, sb.secret_key, period)
            except Exception as exc:  # a peer failing is a result
                errors.append(f"{name}: {type(exc).__name__}: {exc}")
                log(f"  {name:<32} ERROR {exc}")
                continue
            seconds = time.monotonic() - began
            results["cells"][name] = {"seconds": seconds, "requests": requests, "digest": found}
            log(f"  {name:<32} {seconds:8.2f} s  {requests} requests  {found['settlements']} settlements")
        sb.clear_faults()
        results["pypaystack2"] = try_pypaystack2(sb.base_url, sb.secret_key)
    cells = results["cells"]
    if len({json.dumps({k: v for k, v in c["digest"].items() if k != "hash"}) for c in cells.values()}) > 1:
        errors.append("the runners found different settlements or transactions")
    ours = cells.get("paystack-rs reconcile.payouts")
    if ours:
        ours["bound_s"] = math.ceil(ours["requests"] / CONCURRENCY) * size["latency_ms"] / 1000
        peers = [c["seconds"] for n, c in cells.items() if n != "paystack-rs reconcile.payouts"]
        if peers:
            ours["speedup_vs_best_peer"] = min(peers) / ours["seconds"]
        ours["of_bound"] = ours["seconds"] / ours["bound_s"]
    results["errors"] = errors
    out.mkdir(parents=True, exist_ok=True)
    (out / "payouts.json").write_text(json.dumps(results, indent=1, default=str) + "\n")
    (out / "payouts.md").write_text(markdown(results))
    log((out / "payouts.md").read_text())
    return 1 if errors else 0


def markdown(results: dict[str, Any]) -> str:
    meta, size = results["meta"], results["meta"]["sizes"]
    lines = [
        "# A quarter of payouts: paystack-rs against the SDKs' settlement loops",
        "",
        f"{meta['date']}, {meta['mode']} run, {meta['cpus']} CPUs, paystack-rs {meta['paystack_rs']}. "
        f"{size['days']} daily settlements of {size['charges']} charges (one in 20 declined), "
        f"{size['latency_ms']} ms per request (the sandbox's latency fault), perPage {meta['per_page']}, "
        f"paystack-rs at concurrency {meta['concurrency']}.",
        "",
        "| runner | seconds | requests | settlements | transactions |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, c in results["cells"].items():
        d = c["digest"]
        lines.append(f"| {name} | {c['seconds']:.2f} | {c['requests']} | {d['settlements']} | {d['transactions']} |")
    ours = results["cells"].get("paystack-rs reconcile.payouts")
    if ours:
        lines += [
            "",
            f"paystack-rs read {ours['requests']} pages (settlements, each one's transactions, refunds and the "
            f"period's transactions for `unsettled`): bound ceil(pages / {meta['concurrency']}) x latency = "
            f"{ours['bound_s']:.2f} s; measured {ours['of_bound']:.2f}x the bound, "
            f"{ours.get('speedup_vs_best_peer', 0):.1f}x faster than the best peer.",
        ]
    lines += ["", f"pypaystack2 `settlements.get_settlements`: {results.get('pypaystack2')}"]
    if results["errors"]:
        lines += ["", "Errors:", *(f"- {e}" for e in results["errors"])]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

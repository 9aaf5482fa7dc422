"""``python -m paybench.pages [--short]``: the "every page" benchmarks, against the sandbox.

- **A month of batches**: the charges of 10 batches of 1000 (perPage 100: 100 pages) into rows,
  with the sandbox's latency fault at 100 ms a request: paystack-rs (``reconcile.transactions``,
  ``reconcile.batch_async`` for the ten batches at once, and ``auto_paging_iter`` batch by batch)
  against the ``page += 1`` loop of pypaystack2, paystackease (sync and async) and paystackapi.
  The bound is ``ceil(pages / concurrency) x latency``, concurrency 8.
- **A month into a DataFrame**: 100,000 transactions (perPage 1000: 100 pages), no latency, into a
  pandas DataFrame: ``reconcile.transactions(...).to_pandas()`` against httpx + ``json.loads`` +
  ``pandas.json_normalize`` over the same pages; time and peak memory.

One sandbox (embedded, ``process_interval_ms=0``, request log off) holds the data, seeded through
the API (bulk charges). Each run is a fresh interpreter (``paybench.pages_worker``); the table
shows the median of the runs, and every runner's rows must agree (count, amounts, references) or
the run fails. Writes ``pages.md`` and ``pages.json`` to the results folder.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from . import fixtures
from .pages_worker import RESULT_MARK, RUNNERS

BENCH_DIR = fixtures.BENCH_DIR
CONCURRENCY = 8


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m paybench.pages", description=__doc__.split("\n\n")[0])
    p.add_argument("--short", action="store_true", help="small data, one run (CI)")
    p.add_argument("--runs", type=int, help="runs per runner (default 3, --short 1)")
    p.add_argument("--only", choices=["batches", "frame"], help="one of the two benchmarks")
    p.add_argument("--out", type=Path, help="results folder (default bench/results, --short bench/results/raw/short)")
    args = p.parse_args(argv)
    args.runs = args.runs or (1 if args.short else 3)
    args.out = args.out or (BENCH_DIR / "results" / "raw" / "short" if args.short else BENCH_DIR / "results")
    return args


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def sizes(short: bool) -> dict[str, Any]:
    """The data of each benchmark: the issue's sizes, or small ones for CI."""
    batches = {"batches": 2, "charges": 300, "latency_ms": 50} if short else {"batches": 10, "charges": 1000}
    frame = {"transactions": 10_000} if short else {"transactions": 100_000}
    return {"per_page": 100, "latency_ms": 100, "frame_per_page": 1000, **batches, **frame}


def key(name: str) -> str:
    return f"sk_test_paybench_pages_{name}"


def seed_batches(sandbox: Any, paystack_rs: Any, n: int, charges: int, tag: str) -> list[str]:
    """``n`` complete batches of ``charges`` each (one in 20 declined), through the API."""

    client = sandbox.client()
    codes = []
    for b in range(n):
        items = fixtures.sandbox_batch(f"{tag}-{b:03d}", charges)
        codes.append(client.bulk_charge.initiate(items).data["batch_code"])
    for code in codes:
        client.bulk_charge.wait(code, poll_interval=0.05, timeout=600)
    return codes


def worker(name: str, base_url: str, secret: str, spec: dict[str, Any]) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "paybench.pages_worker", name, base_url, secret, json.dumps(spec)]
    try:
        proc = subprocess.run(cmd, cwd=BENCH_DIR, capture_output=True, text=True, timeout=900, check=False)
    except subprocess.TimeoutExpired:
        return {"error": "timed out after 900 s"}
    lines = [line for line in proc.stdout.splitlines() if line.startswith(RESULT_MARK)]
    if not lines:
        return {"error": f"exited {proc.returncode} without a result: {(proc.stderr or proc.stdout)[-2000:]}"}
    return dict(json.loads(lines[-1][len(RESULT_MARK) :]))


def measure(
    names: list[str], base_url: str, secret: str, spec: dict[str, Any], runs: int, errors: list[str]
) -> dict[str, Any]:
    """Every runner ``runs`` times, interleaved; the median seconds and peak memory of each."""
    cells: dict[str, dict[str, Any]] = {n: {"runs": [], "peaks_kib": []} for n in names}
    for run in range(1, runs + 1):
        for name in names:
            cell = cells[name]
            if "error" in cell:
                continue
            result = worker(name, base_url, secret, spec)
            if "error" in result:
                cell["error"] = result["error"]
                errors.append(f"{name}: {result['error']}")
                log(f"  run {run}/{runs}  {name:<48} ERROR {result['error'][:300]}")
                continue
            cell["runs"].append(result["seconds"])
            cell["peaks_kib"].append(result["peak_added_kib"])
            cell["digest"] = result["digest"]
            cell["memory_method"] = result["memory_method"]
            added = result["peak_added_kib"] / 1024
            log(f"  run {run}/{runs}  {name:<48} {result['seconds']:8.3f} s  +{added:7.1f} MiB")
    for cell in cells.values():
        if cell.get("runs"):
            cell["median_s"] = statistics.median(cell["runs"])
            cell["median_peak_mib"] = statistics.median(cell["peaks_kib"]) / 1024
    # Every runner must have built the same rows (the frame's column count may differ).
    agreed = {
        json.dumps({k: v for k, v in c["digest"].items() if k != "columns"}, sort_keys=True)
        for c in cells.values()
        if "digest" in c
    }
    if len(agreed) > 1:
        errors.append(f"the runners' rows differ: {sorted(agreed)}")
    return cells


def run(args: argparse.Namespace) -> dict[str, Any]:
    import paystack_rs
    from paystack_rs.sandbox import Sandbox

    size = sizes(args.short)
    errors: list[str] = []
    results: dict[str, Any] = {
        "meta": {
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "mode": "short" if args.short else "full",
            "runs": args.runs,
            "cpus": os.cpu_count(),
            "paystack_rs": paystack_rs.__version__,
            "sizes": size,
            "concurrency": CONCURRENCY,
        }
    }
    started = time.monotonic()
    with Sandbox(process_interval_ms=0, request_log_limit=0) as sandbox:
        if args.only in (None, "batches"):
            sb = Sandbox.connect(sandbox.base_url, key("batches"))
            log(f"==> a month of batches: seeding {size['batches']} x {size['charges']} charges")
            codes = seed_batches(sb, paystack_rs, size["batches"], size["charges"], "mb")
            sb.set_faults([{"kind": "latency", "ms": size["latency_ms"]}])
            pages = size["batches"] * math.ceil(size["charges"] / size["per_page"])
            bound = math.ceil(pages / CONCURRENCY) * size["latency_ms"] / 1000
            spec = {"codes": codes, "per_page": size["per_page"]}
            names = [n for n in RUNNERS if n.startswith("batches/")]
            log(f"==> {pages} pages at {size['latency_ms']} ms each; bound {bound:.2f} s")
            results["batches"] = {
                "pages": pages,
                "latency_ms": size["latency_ms"],
                "bound_s": bound,
                "cells": measure(names, sb.base_url, sb.secret_key, spec, args.runs, errors),
            }
        if args.only in (None, "frame"):
            sb = Sandbox.connect(sandbox.base_url, key("frame"))
            n_batches = math.ceil(size["transactions"] / 1000)
            log(f"==> a month into a DataFrame: seeding {size['transactions']} transactions")
            seed_batches(sb, paystack_rs, n_batches, min(1000, size["transactions"]), "mf")
            spec = {"per_page": size["frame_per_page"]}
            names = [n for n in RUNNERS if n.startswith("frame/")]
            results["frame"] = {
                "transactions": size["transactions"],
                "pages": math.ceil(size["transactions"] / size["frame_per_page"]),
                "cells": measure(names, sb.base_url, sb.secret_key, spec, args.runs, errors),
            }
    results["meta"]["seconds"] = round(time.monotonic() - started, 1)
    results["errors"] = errors
    return results


def _fmt(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.2f} s"


def markdown(results: dict[str, Any]) -> str:
    meta = results["meta"]
    out = [
        "# Every page: paystack-rs against the loops of the pure-Python SDKs",
        "",
        f"{meta['date']}, {meta['mode']} run, median of {meta['runs']} run(s), {meta['cpus']} CPUs, "
        f"paystack-rs {meta['paystack_rs']}, concurrency {meta['concurrency']}. Against the sandbox over loopback.",
        "",
    ]
    batches = results.get("batches")
    if batches:
        cells = batches["cells"]
        peers = {n: c for n, c in cells.items() if "paystack-rs" not in n and c.get("median_s")}
        best_name, best = min(peers.items(), key=lambda kv: kv[1]["median_s"]) if peers else (None, None)
        out += [
            f"## A month of batches: {batches['pages']} pages of charges into rows, "
            f"{batches['latency_ms']} ms a request",
            "",
            f"Bound ceil(pages / {meta['concurrency']}) x latency = {batches['bound_s']:.2f} s. "
            + (f"Best peer: {best_name.split('/', 1)[1]}." if best_name else ""),
            "",
            "| runner | time | vs best peer | vs bound |",
            "|---|--:|--:|--:|",
        ]
        for name, cell in cells.items():
            t = cell.get("median_s")
            vs_peer = f"{best['median_s'] / t:.1f}x faster" if best and t else "-"
            vs_bound = f"{t / batches['bound_s']:.2f}x" if t else "-"
            out.append(f"| {name.split('/', 1)[1]} | {_fmt(t)} | {vs_peer} | {vs_bound} |")
        out.append("")
    frame = results.get("frame")
    if frame:
        cells = frame["cells"]
        ours = cells.get("frame/paystack-rs to_pandas", {})
        peer = cells.get("frame/httpx + json.loads + json_normalize", {})
        out += [
            f"## A month into a DataFrame: {frame['transactions']:,} transactions, {frame['pages']} pages, no latency",
            "",
            "| runner | time | peak memory added |",
            "|---|--:|--:|",
        ]
        for name, cell in cells.items():
            mib = cell.get("median_peak_mib")
            memory = "-" if mib is None else f"{mib:.0f} MiB"
            out.append(f"| {name.split('/', 1)[1]} | {_fmt(cell.get('median_s'))} | {memory} |")
        if ours.get("median_s") and peer.get("median_s"):
            out += [
                "",
                f"paystack-rs is {peer['median_s'] / ours['median_s']:.1f}x faster and uses "
                f"{ours['median_peak_mib'] / peer['median_peak_mib']:.2f}x the peak memory.",
            ]
        out.append("")
    if results["errors"]:
        out += ["## Errors", "", *[f"- {e}" for e in results["errors"]], ""]
    return "\n".join(out)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    results = run(args)
    args.out.mkdir(parents=True, exist_ok=True)
    text = markdown(results)
    (args.out / "pages.md").write_text(text)
    (args.out / "pages.json").write_text(json.dumps(results, indent=2) + "\n")
    print(text)
    log(f"==> wrote {os.path.relpath(args.out / 'pages.md')}, pages.json")
    return 1 if results["errors"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""``python -m paybench [--short]``: start nginx, check what every library sends, run every workload
for every library (a fresh process per run, the runs of the libraries interleaved), time imports,
measure peak memory, then print and write the report and the chart.

Exit status: 0 when everything ran; 1 when a measurement crashed, an answer was not the expected
success, or a library sent something other than what the workload asks for. Timings never fail it.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from . import chart, fixtures, report, server, tls, wrk
from .adapters import ADAPTERS, Adapter
from .worker import RESULT_MARK
from .workloads import WORKLOADS, Workload, supports, unsupported_reason

BENCH_DIR = fixtures.BENCH_DIR


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="bench/run.sh",
        description="paystack-rs side by side with the pure-Python Paystack SDKs, against a local nginx.",
    )
    p.add_argument("--short", action="store_true", help="a few seconds per workload (CI)")
    p.add_argument("--runs", type=int, default=3, help="runs per library and workload (median reported)")
    p.add_argument("--duration", type=float, help="seconds per timed run (default 5, --short 1)")
    p.add_argument("--warmup", type=float, help="seconds of warm-up before each timed run (default 1, --short 0.3)")
    p.add_argument("--libs", help="comma-separated library names (default: all)")
    p.add_argument("--workloads", help="comma-separated workload keys (default: all)")
    p.add_argument("--out", type=Path, help="results folder (default bench/results, --short bench/results/raw/short)")
    p.add_argument("--no-chart", action="store_true", help="skip the PNG")
    args = p.parse_args(argv)
    args.duration = args.duration or (1.0 if args.short else 5.0)
    args.warmup = args.warmup if args.warmup is not None else (0.3 if args.short else 1.0)
    args.out = args.out or (BENCH_DIR / "results" / "raw" / "short" if args.short else BENCH_DIR / "results")
    # run.sh works from bench/; a relative --out means the folder it was called in.
    args.out = Path(os.environ.get("PAYBENCH_CALLER_DIR", ".")) / args.out
    return args


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def worker(*args: str, timeout: float) -> dict[str, Any]:
    """Runs ``python -m paybench.worker ARGS`` in a fresh interpreter; its result, or {"error": ...}."""
    cmd = [sys.executable, "-m", "paybench.worker", *args]
    try:
        proc = subprocess.run(cmd, cwd=BENCH_DIR, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s", "kind": "crash"}
    lines = [line for line in proc.stdout.splitlines() if line.startswith(RESULT_MARK)]
    if not lines:
        tail = (proc.stderr or proc.stdout)[-2000:]
        return {"error": f"worker exited {proc.returncode} without a result:\n{tail}", "kind": "crash"}
    result = json.loads(lines[-1][len(RESULT_MARK) :])
    if "error" in result and proc.stderr.strip():
        result["stderr"] = proc.stderr[-2000:]
    return result


# --- the wire check -----------------------------------------------------------------------------


def _kind(request: server.Recorded) -> str | None:
    """Which method this request belongs to, if it is exactly what that method must send."""
    if request.headers.get("authorization") != f"Bearer {fixtures.SECRET_KEY}":
        return None
    if request.method == "GET" and request.path == f"/transaction/verify/{fixtures.VERIFY_REFERENCE}":
        return "verify"
    if request.method == "GET" and request.path in ("/transaction", "/transaction/"):
        query = {k.lower(): v for k, v in request.query.items()}
        if query.get("perpage") == str(fixtures.LIST_PAGE_SIZE) and query.get("page", "1") == "1":
            return "list_page"
    if request.method == "POST" and request.path == "/bulkcharge":
        try:
            if request.json() == fixtures.bulk_items():
                return "bulk_initiate"
        except ValueError:
            return None
    return None


def wire_check(adapter: type[Adapter], recorder: server.RecordingServer) -> dict[str, Any]:
    result = worker("check", adapter.name, recorder.base_url, timeout=120)
    requests = recorder.take()
    problems = []
    if "error" in result:
        problems.append(result["error"])
    kinds = [_kind(r) for r in requests]
    problems += [f"unexpected request {r!r}" for r, k in zip(requests, kinds, strict=True) if k is None]
    for method in result.get("methods", []):
        wanted = "verify" if method == "verify_async" else method
        if wanted not in kinds:
            problems.append(f"{method}: no request as expected reached the server")
    return {"ok": not problems, "problems": problems, "requests": [repr(r) for r in requests]}


def tls_check(adapter: type[Adapter], nginx: server.Nginx) -> dict[str, Any]:
    """Over HTTPS, trusting the test CA, each TLS workload's call succeeds (nginx's check port logs
    the HTTP and TLS versions it used); with the library's default trust store, each is refused on
    the certificate."""
    assert nginx.tls is not None
    problems = []
    nginx.take_tls_log()
    trusted = worker("tls-check", adapter.name, nginx.tls_check_url, str(nginx.tls.ca_bundle), timeout=120)
    logged = nginx.take_tls_log()
    if "error" in trusted:
        problems.append(f"with the test CA: {trusted['error']}")
    methods = trusted.get("methods", [])
    if methods and len(logged) < len(methods):
        problems.append(f"nginx logged {len(logged)} request(s) for {len(methods)} call(s)")
    problems += [f"nginx answered {r['status']} to {r['method']} {r['uri']}" for r in logged if r["status"] != "200"]
    untrusted = worker("tls-refused", adapter.name, nginx.tls_check_url, timeout=120)
    if "error" in untrusted:
        problems.append(f"without the test CA: {untrusted['error']}")
    refused = untrusted.get("refused", {})
    for method, message in refused.items():
        if tls.certificate_failure(message) is None:
            problems.append(f"without the test CA, {method} failed, but not on the certificate: {message}")
    protocols = sorted({f"{r['http']} over {r['tls']}" for r in logged})
    return {"ok": not problems, "problems": problems, "protocols": protocols, "refused": refused}


# --- measurements -------------------------------------------------------------------------------


def measure_workload(
    workload: Workload, libs: list[type[Adapter]], nginx: server.Nginx, args: argparse.Namespace, errors: list[str]
) -> dict[str, Any]:
    base_url, tls_args = nginx.base_url, []
    if workload.tls:
        assert nginx.tls is not None
        base_url, tls_args = nginx.tls_base_url, [str(nginx.tls.ca_bundle)]
    cells: dict[str, dict[str, Any]] = {}
    for lib in libs:
        cells[lib.name] = (
            {"runs": []} if supports(lib, workload) else {"unsupported": unsupported_reason(lib, workload)}
        )
    limit: dict[str, Any] = {"connections": workload.concurrency, "runs": []} if wrk.available() else {"missing": "wrk"}
    timeout = args.duration + args.warmup + 180
    for run in range(1, args.runs + 1):
        for lib in libs:
            cell = cells[lib.name]
            if "runs" not in cell:
                continue
            result = worker(
                "run",
                lib.name,
                workload.key,
                base_url,
                str(args.duration),
                str(args.warmup),
                *tls_args,
                timeout=timeout,
            )
            if "error" in result:
                cell.pop("runs")
                cell["error"] = result["error"]
                errors.append(f"{workload.key} / {lib.name}: {result['error']}")
                log(f"  {workload.key:<15} run {run}/{args.runs}  {lib.name:<17} ERROR {result['error']}")
                continue
            cell["runs"].append(result["rate"])
            log(f"  {workload.key:<15} run {run}/{args.runs}  {lib.name:<17} {report.rate_text(result['rate']):>8} /s")
        if "runs" in limit:
            try:
                got = wrk.measure(base_url, workload, args.duration)
            except Exception as exc:
                limit.pop("runs")
                limit["error"] = str(exc)
                errors.append(f"{workload.key} / wrk: {exc}")
                continue
            limit["runs"].append(got["rate"])
            log(f"  {workload.key:<15} run {run}/{args.runs}  {'wrk':<17} {report.rate_text(got['rate']):>8} /s")
    for cell in [*cells.values(), limit]:
        if cell.get("runs"):
            cell["median"] = statistics.median(cell["runs"])
    return {
        "key": workload.key,
        "title": workload.title,
        "mode": workload.mode,
        "concurrency": workload.concurrency,
        "tls": workload.tls,
        "results": cells,
        "wrk": limit,
    }


IMPORT_SNIPPET = "import time; t = time.perf_counter(); {statement}; print(time.perf_counter() - t)"


def import_time(statement: str, runs: int) -> dict[str, Any]:
    """The user's import, timed inside a fresh interpreter (the first run, which may write .pyc files,
    dropped). Interpreter start-up is not counted: only what the import itself adds."""
    times = []
    for i in range(runs + 1):
        proc = subprocess.run(
            [sys.executable, "-c", IMPORT_SNIPPET.format(statement=statement)],
            cwd="/",
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        if proc.returncode != 0:
            return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
        if i:
            times.append(float(proc.stdout.strip().splitlines()[-1]))
    return {"runs": times, "median": statistics.median(times)}


def peak_memory(lib: str, base_url: str, runs: int, errors: list[str]) -> dict[str, Any]:
    samples = []
    for _ in range(runs):
        result = worker("memory", lib, base_url, timeout=300)
        if "error" in result:
            errors.append(f"memory / {lib}: {result['error']}")
            return {"error": result["error"]}
        samples.append(result)
    return {
        "runs": samples,
        "median_delta_kib": statistics.median(s["delta_kib"] for s in samples),
        "median_baseline_kib": statistics.median(s["baseline_kib"] for s in samples),
        "median_peak_kib": statistics.median(s["peak_kib"] for s in samples),
        "method": samples[0]["method"],
    }


# --- context ------------------------------------------------------------------------------------


def _command_output(cmd: list[str]) -> str:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=30)
    except OSError:
        return ""
    return (proc.stdout + proc.stderr).strip()


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def context(args: argparse.Namespace, nginx: server.Nginx) -> dict[str, Any]:
    repo = str(fixtures.REPO_DIR)
    commit = _command_output(["git", "-C", repo, "rev-parse", "--short", "HEAD"]) or "unknown"
    dirty = bool(_command_output(["git", "-C", repo, "status", "--porcelain", "--untracked-files=no"]))
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = re.search(r"model name\s*:\s*(.*)", cpuinfo)
    nginx_version = re.search(r"nginx/(\S+)", _command_output([server.nginx_binary(), "-v"]))
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "mode": "short" if args.short else "full",
        "runs": args.runs,
        "duration": args.duration,
        "warmup": args.warmup,
        "machine": {
            "cpus": os.cpu_count(),
            "cpu_model": model.group(1).strip() if model else platform.processor() or "unknown",
            "kernel": platform.release(),
            "python": platform.python_version(),
        },
        "nginx": nginx_version.group(1) if nginx_version else "unknown",
        "nginx_workers": nginx.workers,
        "tls": tls.summary(nginx.tls) if nginx.tls else None,
        "wrk": wrk.version() if wrk.available() else "missing",
        "paystack_rs": {"version": _version("paystack-rs"), "git": commit + ("+dirty" if dirty else "")},
    }


def _cpu_seconds() -> tuple[float, float]:
    """(CPU seconds the whole machine spent busy, CPU seconds this process and its finished children used)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return (float("nan"), float("nan"))
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    busy = (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")
    ours = sum(
        getattr(resource.getrusage(who), field)
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
        for field in ("ru_utime", "ru_stime")
    )
    return busy, ours


def _other_cpu(before: tuple[float, float], after: tuple[float, float]) -> float | None:
    """CPU seconds other processes used during the run (the bench's own, nginx included, subtracted)."""
    other = (after[0] - before[0]) - (after[1] - before[1])
    return None if math.isnan(other) else round(max(other, 0.0), 1)


def _selected(names: str | None, available: list[str]) -> list[str]:
    if not names:
        return available
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    unknown = [n for n in wanted if n not in available]
    if unknown:
        raise SystemExit(f"unknown: {', '.join(unknown)} (have: {', '.join(available)})")
    return wanted


def collect(args: argparse.Namespace) -> dict[str, Any]:
    lib_names = _selected(args.libs, [a.name for a in ADAPTERS])
    libs = [a for a in ADAPTERS if a.name in lib_names]
    workloads = [w for w in WORKLOADS if w.key in _selected(args.workloads, [w.key for w in WORKLOADS])]
    errors: list[str] = []
    started = time.monotonic()
    cpu_before = _cpu_seconds()
    https = any(w.tls for w in workloads)
    with server.Nginx(workers=os.cpu_count() or 1, https=https) as nginx, server.RecordingServer() as recorder:
        results: dict[str, Any] = {"meta": context(args, nginx)}
        results["libraries"] = [
            {
                "name": a.name,
                "kind": a.kind,
                "version": _version(a.distribution),
                "how_configured": a.how_configured,
                "how_ca": a.how_ca,
                "unsupported": a.unsupported,
            }
            for a in libs
        ]
        log(f"==> nginx on {nginx.base_url}; wire check")
        results["wire_check"] = {a.name: wire_check(a, recorder) for a in libs}
        for name, check in results["wire_check"].items():
            for problem in check["problems"]:
                errors.append(f"wire check / {name}: {problem}")
                log(f"  wire check {name}: {problem}")
        if https:
            log(f"==> nginx over TLS on {nginx.tls_base_url}; TLS check (the test CA trusted, then not)")
            tls_libs = [a for a in libs if any(w.tls and supports(a, w) for w in workloads)]
            results["tls_check"] = {a.name: tls_check(a, nginx) for a in tls_libs}
            for name, check in results["tls_check"].items():
                log(f"  TLS check {name}: {', '.join(check['protocols']) or '-'}")
                for problem in check["problems"]:
                    errors.append(f"TLS check / {name}: {problem}")
                    log(f"  TLS check {name}: {problem}")
        results["workloads"] = []
        for workload in workloads:
            log(f"==> {workload.title}")
            results["workloads"].append(measure_workload(workload, libs, nginx, args, errors))
        probed = [a for a in libs if a.import_statement]
        log("==> import time")
        results["import_time"] = {
            a.name: {"statement": a.import_statement, **import_time(a.import_statement or "", 5 if args.short else 9)}
            for a in probed
        }
        for name, cell in results["import_time"].items():
            if "error" in cell:
                errors.append(f"import / {name}: {cell['error']}")
        log("==> peak memory, one 5000-transaction page")
        results["memory"] = {a.name: peak_memory(a.name, nginx.base_url, args.runs, errors) for a in probed}
    elapsed = time.monotonic() - started
    results["meta"]["seconds"] = round(elapsed, 1)
    results["meta"]["other_cpu_seconds"] = _other_cpu(cpu_before, _cpu_seconds())
    results["errors"] = errors
    results["targets"] = report.targets(results)
    return results


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    results = collect(args)
    md, js = report.write(results, args.out)
    print(report.markdown(results))
    written = [md, js]
    if not args.no_chart:
        written.append(chart.draw(results, args.out / "chart.png"))
    log("==> wrote " + ", ".join(os.path.relpath(p) for p in written))
    if results["errors"]:
        log(f"==> {len(results['errors'])} problem(s): see the Errors section above")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

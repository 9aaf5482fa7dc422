"""The subprocess side: each measurement runs in a fresh interpreter, one library at a time.

    python -m paybench.worker run         LIB WORKLOAD BASE_URL DURATION WARMUP [CA_BUNDLE]
    python -m paybench.worker check       LIB BASE_URL     (one call of each workload, for the wire check)
    python -m paybench.worker memory      LIB BASE_URL     (RSS high-water of one 5000-transaction page)
    python -m paybench.worker tls-check   LIB HTTPS_URL CA_BUNDLE   (one call of each TLS workload)
    python -m paybench.worker tls-refused LIB HTTPS_URL    (the same without the CA: each must fail)

The environment variables libraries read a trust store from (tls.CA_ENVIRONMENT) are cleared first:
a client trusts the test CA only through the setting its adapter gives it.

The last line of stdout is ``PAYBENCH_RESULT <json>``. Exit status 3: an answer was not a success.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import re
import resource
import sys
import traceback
from typing import Any

from . import fixtures, runner, tls
from .adapters import Adapter, by_name
from .workloads import WORKLOADS, Workload, by_key, supports

RESULT_MARK = "PAYBENCH_RESULT "
EXIT_NOT_SUCCESS = 3


def _adapter(lib: str, base_url: str, ca_bundle: str | None = None) -> Adapter:
    return by_name(lib)(base_url, fixtures.SECRET_KEY, ca_bundle)


def _measure_sync(adapter: Adapter, workload: Workload, duration: float) -> tuple[int, float]:
    call, args, want = getattr(adapter, workload.method), workload.args(), workload.expected()
    if workload.mode == "threads":
        return runner.run_threads(call, args, want, duration, workload.concurrency)
    return runner.run_sequential(call, args, want, duration)


def run(
    lib: str, workload_key: str, base_url: str, duration: float, warmup: float, ca_bundle: str | None = None
) -> dict[str, Any]:
    """Warm up (connections, caches, the runtime), then one timed run."""
    workload = by_key(workload_key)
    adapter = _adapter(lib, base_url, ca_bundle)
    if workload.mode == "async":
        # One loop for both, so the async client and its connections are warm for the timed run.
        args, want = workload.args(), workload.expected()

        async def main() -> tuple[int, float]:
            await adapter.open_async()
            try:
                call = getattr(adapter, workload.method)
                await runner.run_async(call, args, want, warmup, workload.concurrency)
                gc.collect()
                return await runner.run_async(call, args, want, duration, workload.concurrency)
            finally:
                await adapter.close_async()

        calls, seconds = asyncio.run(main())
    else:
        _measure_sync(adapter, workload, warmup)
        gc.collect()
        calls, seconds = _measure_sync(adapter, workload, duration)
    adapter.close()
    return {"calls": calls, "seconds": seconds, "rate": calls / seconds}


def check(lib: str, base_url: str) -> dict[str, Any]:
    """One checked call of each method the adapter's workloads use; the caller inspects the requests."""
    adapter = _adapter(lib, base_url)
    methods = []
    for workload in WORKLOADS:
        if supports(type(adapter), workload) and workload.method not in methods:
            methods.append(workload.method)
            if workload.mode == "async":
                asyncio.run(_once_async(adapter, workload))
            else:
                _once(adapter, workload)
    adapter.close()
    return {"methods": methods}


def _tls_workloads(adapter: Adapter) -> list[Workload]:
    return [w for w in WORKLOADS if w.tls and supports(type(adapter), w)]


def tls_check(lib: str, base_url: str, ca_bundle: str) -> dict[str, Any]:
    """One checked call of each TLS workload's method, trusting the test CA; the caller reads what
    nginx's check port logged (HTTP and TLS versions)."""
    adapter = _adapter(lib, base_url, ca_bundle)
    methods = []
    for workload in _tls_workloads(adapter):
        methods.append(workload.method)
        if workload.mode == "async":
            asyncio.run(_once_async(adapter, workload))
        else:
            _once(adapter, workload)
    adapter.close()
    return {"methods": methods}


def tls_refused(lib: str, base_url: str) -> dict[str, Any]:
    """The same calls with the library's default trust store: each must fail on the certificate."""
    adapter = _adapter(lib, base_url)
    refused: dict[str, str] = {}
    for workload in _tls_workloads(adapter):
        try:
            if workload.mode == "async":
                asyncio.run(_once_async(adapter, workload))
            else:
                _once(adapter, workload)
        except Exception as exc:
            chain, cause = [], exc
            while cause is not None and len(chain) < 6:
                chain.append(f"{type(cause).__name__}: {cause}")
                cause = cause.__cause__ or cause.__context__
            refused[workload.method] = " <- ".join(chain)[:600]
            continue
        raise runner.NotSuccess(f"{workload.method} succeeded without the test CA: the client did not verify")
    adapter.close()
    return {"refused": refused}


def _once(adapter: Adapter, workload: Workload) -> None:
    runner.run_sequential(getattr(adapter, workload.method), workload.args(), workload.expected(), 0.0, 1)


async def _once_async(adapter: Adapter, workload: Workload) -> None:
    await adapter.open_async()
    try:
        await runner.run_async(getattr(adapter, workload.method), workload.args(), workload.expected(), 0.0, 1)
    finally:
        await adapter.close_async()


def _status_kib(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        match = re.search(rf"^{field}:\s+(\d+) kB", f.read(), re.MULTILINE)
    if not match:
        raise RuntimeError(f"no {field} in /proc/self/status")
    return int(match.group(1))


def _reset_high_water() -> bool:
    """Linux: reset this process's RSS high-water mark (VmHWM) to its current RSS."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
        return True
    except OSError:
        return False


def memory(lib: str, base_url: str) -> dict[str, Any]:
    """RSS high-water over fetching and decoding one page, above the RSS just before it (after the
    import, the client and one small call, so connections and runtimes already exist)."""
    adapter = _adapter(lib, base_url)
    _once(adapter, by_key("verify_seq"))
    gc.collect()
    baseline = _status_kib("VmRSS")
    if _reset_high_water():
        method = "VmHWM after resetting it (/proc/self/clear_refs)"
    else:
        baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        method = "ru_maxrss"
    got = adapter.list_page(fixtures.MEMORY_PAGE_SIZE)
    want = fixtures.expected_page(fixtures.MEMORY_PAGE_SIZE)
    if got != want:
        raise runner.NotSuccess(f"expected {want!r}, got {got!r}")
    peak = _status_kib("VmHWM") if method.startswith("VmHWM") else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"baseline_kib": baseline, "peak_kib": peak, "delta_kib": peak - baseline, "method": method}


def main(argv: list[str]) -> int:
    mode, *rest = argv
    for name in tls.CA_ENVIRONMENT:
        os.environ.pop(name, None)
    try:
        if mode == "run":
            lib, workload, base_url, duration, warmup, *ca_bundle = rest
            result = run(lib, workload, base_url, float(duration), float(warmup), *ca_bundle)
        elif mode == "check":
            result = check(*rest)
        elif mode == "memory":
            result = memory(*rest)
        elif mode == "tls-check":
            result = tls_check(*rest)
        elif mode == "tls-refused":
            result = tls_refused(*rest)
        else:
            raise SystemExit(f"unknown mode {mode!r}")
    except runner.NotSuccess as exc:
        print(RESULT_MARK + json.dumps({"error": f"not a success: {exc}", "kind": "not_success"}), flush=True)
        return EXIT_NOT_SUCCESS
    except Exception as exc:
        traceback.print_exc()
        print(RESULT_MARK + json.dumps({"error": f"{type(exc).__name__}: {exc}", "kind": "crash"}), flush=True)
        return 1
    print(RESULT_MARK + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""What the rate limit shared through Redis costs per call, and how close eight processes sharing it
come to the quota's bound. Against a real ``redis-server`` on loopback (apt: redis-server) and the
sandbox in a process of its own.

    .venv/bin/python bench/redis_limit_cost.py            # 5 runs of 2 s per mode
    .venv/bin/python bench/redis_limit_cost.py --short    # 3 runs of 1 s (CI)

1. Per call: sync ``Transaction.list`` on one thread with no limiter, a local limiter and a
   ``RedisRateLimit`` (quotas too large to wait), each mode in a fresh process, runs interleaved,
   medians. The limiter's cost is the difference of the per-call times, set beside one Redis round
   trip (a PING over a socket from Python, so an upper bound of what the Rust client pays).
2. Eight processes x 100 calls sharing ``RedisRateLimit(quota=(200, 1 s))``: the span from the
   first request to the last as the sandbox saw them, against the bound (800 / 200 - 1) x 1 s = 3 s,
   and the 429s (the sandbox enforces the same quota).

Writes bench/results/redis_limit.json and prints a table.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import textwrap
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.redis_server import RedisServer  # noqa: E402  (the tests' own real-server helper)

MODES = ("none", "local", "redis")
RESULTS = ROOT / "bench" / "results" / "redis_limit.json"

CHILD = textwrap.dedent(
    """
    import sys, time
    import paystack_rs
    mode, base_url, key, redis_url, seconds = sys.argv[1:6]
    limit = {"none": None, "local": (10_000_000, 1.0),
             "redis": paystack_rs.RedisRateLimit(redis_url, quota=(10_000_000, 1.0))}[mode]
    client = paystack_rs.Paystack(key, base_url=base_url, rate_limit=limit)
    call = client.transaction.list
    for _ in range(200):
        call(per_page=1)
    n, started = 0, time.perf_counter()
    while time.perf_counter() - started < float(seconds):
        for _ in range(50):
            call(per_page=1)
        n += 50
    print((time.perf_counter() - started) / n * 1e6)
    """
)

SANDBOX = textwrap.dedent(
    """
    import sys, time
    from paystack_rs.sandbox import Sandbox
    sb = Sandbox().start()
    print(sb.base_url, sb.secret_key, flush=True)
    sys.stdin.readline()
    """
)


def ping_round_trip_us(port: int, n: int = 2000) -> float:
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for _ in range(100):
            s.sendall(b"PING\r\n")
            s.recv(16)
        started = time.perf_counter()
        for _ in range(n):
            s.sendall(b"PING\r\n")
            s.recv(16)
        return (time.perf_counter() - started) / n * 1e6


def eight_processes(base_url: str, run: int, redis_url: str) -> dict[str, object]:
    from paystack_rs.sandbox import Sandbox

    # A new integration per run: the sandbox's window (and its count) starts with it.
    key = f"sk_test_bench_shared_quota_{run}_{time.time_ns()}"
    sb = Sandbox.connect(base_url, key)
    sb.set_faults([{"kind": "rate_limit", "limit": 200, "window_ms": 1000}])
    worker = ROOT / "tests" / "workers" / "quota_worker.py"
    spec = {"base_url": base_url, "secret_key": key, "calls": 100, "max_retries": 0}
    spec["rate_limit"] = {"url": redis_url, "quota": [200, 1.0], "key": f"bench-{time.time()}"}
    workers = [
        subprocess.Popen(
            [sys.executable, str(worker), json.dumps(spec)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        for _ in range(8)
    ]
    for w in workers:
        assert w.stdout is not None
        w.stdout.readline()
    for w in workers:
        assert w.stdin is not None
        w.stdin.write("go\n")
        w.stdin.flush()
    for w in workers:
        w.communicate(timeout=60)
    log = sb.requests()
    sb.clear_faults()

    def at(entry: dict[str, object]) -> float:
        return datetime.fromisoformat(str(entry["at"]).replace("Z", "+00:00")).timestamp()

    span = at(log[-1]) - at(log[0])
    return {
        "calls": len(log),
        "rate_limited": sum(1 for q in log if q["fault"] == "rate_limited"),
        "span_s": round(span, 3),
        "bound_s": 3.0,
        "span_over_bound": round(span / 3.0, 3),
        "calls_per_s": round(len(log) / span, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--short", action="store_true", help="3 runs of 1 s per mode")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=2.0)
    args = parser.parse_args()
    runs, seconds = (3, 1.0) if args.short else (args.runs, args.seconds)

    sandbox = subprocess.Popen(
        [sys.executable, "-c", SANDBOX], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert sandbox.stdout is not None
        base_url, key = sandbox.stdout.readline().split()
        with RedisServer() as redis:
            per_call: dict[str, list[float]] = {mode: [] for mode in MODES}
            for _ in range(runs):
                for mode in MODES:
                    out = subprocess.run(
                        [sys.executable, "-c", CHILD, mode, base_url, key, redis.url, str(seconds)],
                        capture_output=True,
                        text=True,
                        check=True,
                    )
                    per_call[mode].append(float(out.stdout.strip()))
            ping = statistics.median(ping_round_trip_us(redis.port) for _ in range(3))
            shared = [eight_processes(base_url, run, redis.url) for run in range(2 if args.short else 3)]
    finally:
        sandbox.kill()

    medians = {mode: round(statistics.median(v), 1) for mode, v in per_call.items()}
    figures = {
        "per_call_us": medians,
        "redis_limiter_cost_us": round(medians["redis"] - medians["none"], 1),
        "local_limiter_cost_us": round(medians["local"] - medians["none"], 1),
        "redis_ping_round_trip_us": round(ping, 1),
        "eight_processes": shared,
        "runs": runs,
        "seconds": seconds,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    print("| limiter | µs per call (median) |\n|---|---|")
    for mode in MODES:
        print(f"| {mode} | {medians[mode]} |")
    print(
        f"\nshared limiter's cost: {figures['redis_limiter_cost_us']} µs per call; one Redis PING from "
        f"Python: {figures['redis_ping_round_trip_us']} µs; local limiter: {figures['local_limiter_cost_us']} µs"
    )
    for run in shared:
        print(f"8 processes x 100 calls, quota 200/s: {json.dumps(run)}")


if __name__ == "__main__":
    main()

"""What paystack-rs's logging costs: calls per second with logging off, imported but not enabled, and
on at DEBUG, against the bench's nginx (the official verify sample), each mode in a fresh process.

    bench/.venv/bin/python bench/logging_cost.py                  # the paystack-rs installed here
    bench/.venv/bin/python bench/logging_cost.py --python OTHER   # another build (e.g. main's)
    ... --seconds 3 --runs 5

Modes: ``off`` (``logging`` never imported: ``import paystack_rs`` alone; asyncio imports it, so
for the async column this is the same as the next), ``imported`` (``logging``
imported and left at its default WARNING, as in any Django or Celery process), ``debug`` (a DEBUG
handler formatting every record to /dev/null: the cost of a line per request). Each mode runs sync
``Transaction.verify`` on one thread and ``verify_async`` with 64 in flight; runs interleave the
modes and the median is reported, with each mode's ratio to ``off``: calls per second, and the
process's CPU time per call (steadier than throughput on a machine shared with other work).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from paybench import fixtures
from paybench.server import Nginx

MODES = ("off", "imported", "debug")

CHILD = textwrap.dedent(
    """
    import json, os, sys, time
    mode, base_url, key, reference, seconds = sys.argv[1:6]
    seconds = float(seconds)
    if mode != "off":
        import logging
        if mode == "debug":
            logging.basicConfig(level=logging.DEBUG, stream=open(os.devnull, "w"),
                                format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    import paystack_rs
    logging_imported = "logging" in sys.modules
    import asyncio  # (asyncio imports logging itself: the async column always has it imported)
    client = paystack_rs.Paystack(secret_key=key, base_url=base_url)
    verify = client.transaction.verify

    def sync_rate():
        for _ in range(200):
            verify(reference)
        n, started, cpu = 0, time.perf_counter(), time.process_time()
        while time.perf_counter() - started < seconds:
            for _ in range(100):
                verify(reference)
            n += 100
        return n / (time.perf_counter() - started), (time.process_time() - cpu) / n * 1e6

    async def async_rate():
        async def worker(until):
            n = 0
            while time.perf_counter() < until:
                await client.transaction.verify_async(reference)
                n += 1
            return n
        await asyncio.gather(*(worker(time.perf_counter() + 0.5) for _ in range(64)))
        started, cpu = time.perf_counter(), time.process_time()
        n = sum(await asyncio.gather(*(worker(started + seconds) for _ in range(64))))
        return n / (time.perf_counter() - started), (time.process_time() - cpu) / n * 1e6

    sync, sync_cpu = sync_rate()
    async_, async_cpu = asyncio.run(async_rate())
    print(json.dumps({"sync": sync, "async": async_, "sync_cpu_us": sync_cpu, "async_cpu_us": async_cpu,
                      "logging_imported": logging_imported}))
    """
)


def measure(python: str, mode: str, base_url: str, seconds: float) -> dict[str, float]:
    done = subprocess.run(
        [python, "-c", CHILD, mode, base_url, fixtures.SECRET_KEY, fixtures.VERIFY_REFERENCE, str(seconds)],
        check=True,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin"},
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python", default=sys.executable, help="the interpreter whose paystack_rs is measured")
    parser.add_argument("--seconds", type=float, default=2.0, help="measured seconds per mode and run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--modes", default=",".join(MODES))
    args = parser.parse_args()
    modes = [m for m in args.modes.split(",") if m]
    kinds = ("sync", "async", "sync_cpu_us", "async_cpu_us")
    samples: dict[str, dict[str, list[float]]] = {m: {k: [] for k in kinds} for m in modes}
    with Nginx() as server:
        for _ in range(args.runs):
            for mode in modes:
                result = measure(args.python, mode, server.base_url, args.seconds)
                if mode == "off" and result["logging_imported"]:
                    raise SystemExit("`import paystack_rs` imported logging")
                for kind in kinds:
                    samples[mode][kind].append(result[kind])
    medians = {m: {k: statistics.median(v) for k, v in kinds.items()} for m, kinds in samples.items()}
    print(f"paystack-rs logging cost ({args.python}; {args.runs} runs x {args.seconds:g} s; medians)")
    header = ("sync calls/s", "async calls/s", "sync CPU us/call", "async CPU us/call")
    print(f"{'mode':<10} " + " ".join(f"{h:>17}" for h in header))
    base = medians.get("off")
    for mode in modes:
        cells = []
        for kind in kinds:
            value = medians[mode][kind]
            ratio = f" ({value / base[kind]:.3f}x)" if base and mode != "off" else ""
            cells.append(f"{value:>7.1f}{ratio}" if "cpu" in kind else f"{value:>7.0f}{ratio}")
        print(f"{mode:<10} " + " ".join(f"{c:>17}" for c in cells))
    print(json.dumps({"python": args.python, "medians": medians, "samples": samples}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The HTTP limit: wrk (C, epoll) fetching the verify body from the same nginx, with the same key.

No Python client can go faster than this on the same machine; it shows how much of each figure is
the client's own overhead. Every answer must be a 2xx (wrk counts the others).
"""

from __future__ import annotations

import re
import shutil
import subprocess

from . import fixtures
from .runner import NotSuccess


def available() -> bool:
    return shutil.which("wrk") is not None


def version() -> str:
    out = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    match = re.search(r"wrk (\S+)", out.stdout + out.stderr)
    return match.group(1) if match else "unknown"


def measure(base_url: str, connections: int, duration: float) -> dict[str, float]:
    """Requests per second over ``connections`` keep-alive connections (1 or 2 threads)."""
    threads = 1 if connections == 1 else 2
    url = f"{base_url}/transaction/verify/{fixtures.VERIFY_REFERENCE}"
    cmd = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        "-H",
        f"Authorization: Bearer {fixtures.SECRET_KEY}",
        url,
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=duration + 60).stdout
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    if bad:
        raise NotSuccess(f"wrk: {bad.group(1)} answers were not 2xx")
    errors = re.search(r"Socket errors: (.*)", out)
    if errors:
        raise NotSuccess(f"wrk: socket errors ({errors.group(1)})")
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    requests = re.search(r"(\d+) requests in ([\d.]+)(m?s)", out)
    if not rate or not requests:
        raise RuntimeError(f"cannot read wrk's output:\n{out}")
    return {"rate": float(rate.group(1)), "calls": int(requests.group(1))}

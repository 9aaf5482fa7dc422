"""The HTTP limit: wrk (C, epoll) making each workload's request to the same nginx, with the same
key: the verify GET, the 1000-transaction page GET, the 1000-item bulk POST (the body paystack-rs
sends, through a Lua script), over as many connections as the workload has callers.

No Python client can go faster than this on the same machine; it shows how much of each figure is
the client's own overhead (wrk neither decodes the answer nor builds or checks the request). Every
answer must be a 2xx (wrk counts the others).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from . import fixtures
from .runner import NotSuccess
from .workloads import Workload


def available() -> bool:
    return shutil.which("wrk") is not None


def version() -> str:
    out = subprocess.run(["wrk", "-v"], capture_output=True, text=True, check=False)
    match = re.search(r"wrk (\S+)", out.stdout + out.stderr)
    return match.group(1) if match else "unknown"


def _lua_script(method: str, body: bytes) -> str:
    """A wrk script sending ``body`` with ``method`` (a Lua long string holds the JSON as it is)."""
    text = body.decode()
    level = 0
    # The first closing bracket must be the one after the text (a JSON array ends in "]" itself).
    while (text + f"]{'=' * level}]").find(f"]{'=' * level}]") != len(text):
        level += 1
    eq = "=" * level
    return f'wrk.method = "{method}"\nwrk.body = [{eq}[{text}]{eq}]\nwrk.headers["Content-Type"] = "application/json"\n'


def measure(base_url: str, workload: Workload, duration: float) -> dict[str, float]:
    """Requests per second over one keep-alive connection per caller of the workload (1 or 2 threads)."""
    connections = workload.concurrency
    threads = 1 if connections == 1 else 2
    method, target, body = workload.wire_request()
    with tempfile.TemporaryDirectory(prefix="paybench-wrk-") as tmp:
        cmd = [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{max(1, round(duration))}s",
            "-H",
            f"Authorization: Bearer {fixtures.SECRET_KEY}",
        ]
        if body is not None:
            script = Path(tmp) / "request.lua"
            script.write_text(_lua_script(method, body))
            cmd += ["-s", str(script)]
        cmd.append(base_url + target)
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

"""One worker process of the shared-quota tests: builds a client (its rate limit as given), says
"ready", waits for "go" on stdin, makes its calls back to back and prints what happened as JSON.

``fork`` mode: after the first call (so the client, its runtime and its Redis connection exist),
the process forks, and parent and child make the calls, each on its own connection."""

from __future__ import annotations

import json
import os
import sys
import time

import paystack_rs


def main() -> None:
    spec = json.loads(sys.argv[1])
    limit = spec["rate_limit"]
    if isinstance(limit, dict):
        rate_limit: object = paystack_rs.RedisRateLimit(limit["url"], quota=tuple(limit["quota"]), key=limit.get("key"))
    elif isinstance(limit, list):
        rate_limit = tuple(limit)
    else:
        rate_limit = limit
    client = paystack_rs.Paystack(
        spec["secret_key"], base_url=spec["base_url"], rate_limit=rate_limit, max_retries=spec["max_retries"]
    )
    if spec.get("fork"):
        client.transaction.list(per_page=1)
        pid = os.fork()
        results = run(client, spec["calls"])
        if pid == 0:
            print(json.dumps({"child": results}), flush=True)
            os._exit(0)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"parent": results, "child_status": status}), flush=True)
        return
    print("ready", flush=True)
    sys.stdin.readline()
    started = time.monotonic()
    results = run(client, spec["calls"])
    results["seconds"] = time.monotonic() - started
    print(json.dumps(results), flush=True)


def run(client: paystack_rs.Paystack, calls: int) -> dict[str, object]:
    outcomes: dict[str, int] = {}
    for _ in range(calls):
        try:
            client.transaction.list(per_page=1)
            kind = "ok"
        except paystack_rs.PaystackError as exc:
            kind = type(exc).__name__
        outcomes[kind] = outcomes.get(kind, 0) + 1
    return {"outcomes": outcomes}


if __name__ == "__main__":
    main()

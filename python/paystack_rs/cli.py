"""The ``paystack-rs`` command.

paystack-rs sandbox [--port 8100] [--host 127.0.0.1] [--secret-key sk_test_...] [--key sk_test_...]...
                    [--process-interval-ms 50] [--webhook-url URL] [--seed N] [--faults JSON]
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Sequence

from .sandbox import DEFAULT_SECRET_KEY, Sandbox


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="paystack-rs", description="paystack-rs tools")
    commands = parser.add_subparsers(dest="command", required=True)
    sandbox = commands.add_parser("sandbox", help="run the Paystack sandbox until interrupted")
    sandbox.add_argument("--port", type=int, default=8100, help="port to listen on (0: any free port)")
    sandbox.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    sandbox.add_argument("--secret-key", default=None, help="the key it reports (any sk_test_/sk_live_ key works)")
    sandbox.add_argument(
        "--key",
        dest="keys",
        action="append",
        default=None,
        help="accept only this key (repeat for more): every other key is a 401 Invalid key, as on Paystack",
    )
    sandbox.add_argument("--process-interval-ms", type=int, default=None, help="time between two bulk charges")
    sandbox.add_argument("--webhook-url", default=None, help="where charge.success webhooks go")
    sandbox.add_argument("--seed", type=int, default=None, help="seed for ids and fault decisions")
    sandbox.add_argument("--faults", default=None, help='fault rules as JSON, e.g. \'[{"kind":"error","rate":0.1}]\'')
    return parser


def run_sandbox(args: argparse.Namespace) -> int:
    faults = json.loads(args.faults) if args.faults else None
    sandbox = Sandbox(
        host=args.host,
        port=args.port,
        secret_key=args.secret_key,
        keys=args.keys,
        process_interval_ms=args.process_interval_ms,
        webhook_url=args.webhook_url,
        seed=args.seed,
        faults=faults,
    )
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    with sandbox:
        if args.secret_key:
            which = "the one given with --secret-key"
        elif args.keys:
            which = "the first --key"
        else:
            which = f"{DEFAULT_SECRET_KEY} (the default)"
        print(f"Paystack sandbox listening on {sandbox.base_url}", flush=True)
        print(f"Secret key: {which}", flush=True)
        if args.keys:
            print(f"Only the {len(args.keys)} key(s) given with --key are accepted.", flush=True)
        print("Stop with Ctrl-C.", flush=True)
        while not stop.wait(0.5):
            pass
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "sandbox":
        return run_sandbox(args)
    return 2


if __name__ == "__main__":
    sys.exit(main())

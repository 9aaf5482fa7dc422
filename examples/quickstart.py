"""Quickstart: charge a batch of saved cards with Bulk Charge, follow it to completion, verify.

Runs against the embedded sandbox by default (no network, no key needed):

    python examples/quickstart.py

Against Paystack's test mode instead, give a key and reusable authorization codes of your own:

    PAYSTACK_SECRET_KEY=sk_test_... python examples/quickstart.py --authorization AUTH_abc --authorization AUTH_def
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import time
from typing import Any

import paystack_rs as paystack
from paystack_rs.sandbox import Sandbox


def table(rows: list[dict[str, Any]], columns: list[str]) -> str:
    widths = {c: max(len(c), *(len(str(r.get(c, ""))) for r in rows)) for c in columns}
    line = "  ".join(c.ljust(widths[c]) for c in columns)
    body = ["  ".join(str(r.get(c, "")).ljust(widths[c]) for c in columns) for r in rows]
    return "\n".join([line, "  ".join("-" * widths[c] for c in columns), *body])


def follow(code: str, timeout: float = 60.0) -> dict[str, Any]:
    """Polls the batch until Paystack marks it complete, drawing its progress."""
    deadline = time.monotonic() + timeout
    while True:
        batch = paystack.BulkCharge.fetch(code).data
        total, pending = batch["total_charges"], batch["pending_charges"]
        done = total - pending
        bar = "#" * int(30 * done / max(total, 1))
        print(f"\r  {batch['status']:<8} [{bar:<30}] {done}/{total} processed", end="", flush=True)
        if batch["status"] == "complete":
            print()
            return batch
        if time.monotonic() > deadline:
            print()
            raise SystemExit(f"batch {code} did not complete within {timeout:.0f}s")
        time.sleep(0.2)


async def verify_all(references: list[str]) -> list[paystack.Response]:
    """Verifies every charge concurrently with the async twins."""
    return list(await asyncio.gather(*(paystack.Transaction.verify_async(r) for r in references)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--authorization", action="append", help="a reusable authorization code (real Paystack)")
    args = parser.parse_args()

    with contextlib.ExitStack() as stack:
        if os.environ.get("PAYSTACK_SECRET_KEY") and args.authorization:
            paystack.api_key = os.environ["PAYSTACK_SECRET_KEY"]
            authorizations = args.authorization
            print(f"Using {paystack.base_url or os.environ.get('PAYSTACK_BASE_URL') or paystack.DEFAULT_BASE_URL}")
        else:
            sandbox = stack.enter_context(Sandbox(process_interval_ms=20))
            sandbox.use_globally()
            authorizations = [
                Sandbox.AUTH_SUCCESS,
                Sandbox.AUTH_SUCCESS_FULL,
                Sandbox.AUTH_DECLINED,
                Sandbox.AUTH_LOW_BALANCE,
                Sandbox.AUTH_FLAKY_3,
            ]
            print(f"Using the embedded Paystack sandbox at {sandbox.base_url}")

        # 1. Initiate one batch. Each card is charged twice, so each charge needs its own
        #    reference (the SDK refuses a repeated authorization without one: a duplicated row
        #    would otherwise charge a customer twice). Charges without a reference get one
        #    generated; r.references lists them all.
        run = time.strftime("%Y%m%d%H%M%S")
        charges = paystack.BulkChargeListObject(
            charges=[
                paystack.BulkChargeItem(authorization=auth, amount=amount, reference=f"qs-{run}-{i}-{amount}")
                for i, auth in enumerate(authorizations)
                for amount in (25_000, 750_000)
            ]
        )
        r = paystack.BulkCharge.initiate(charges)
        batch = r.data
        print(f"\n{r.message}: batch {batch['batch_code']} with {batch['total_charges']} charges")

        # 2. Pause and resume it, then follow it to completion.
        print(paystack.BulkCharge.pause(batch["batch_code"]).message)
        print(paystack.BulkCharge.resume(batch["batch_code"]).message)
        follow(batch["batch_code"])

        # 3. What happened to each charge.
        page = paystack.BulkCharge.charges(batch["batch_code"], per_page=100)
        rows = [
            {
                "reference": c["transaction"]["reference"] if c.get("transaction") else c.get("reference", ""),
                "authorization": c["authorization"]["authorization_code"],
                "amount": c["amount"],
                "status": c["status"],
            }
            for c in page.data
        ]
        print("\n" + table(rows, ["reference", "authorization", "amount", "status"]))
        failed = paystack.BulkCharge.charges(batch["batch_code"], status=paystack.STATUS.FAILED)
        print(f"\n{len(failed.data)} failed, {len(rows) - len(failed.data)} succeeded")

        # 4. Verify the transactions the batch created, concurrently.
        verified = asyncio.run(verify_all(r.references))
        ok = [v.data for v in verified if v.data["status"] == "success"]
        print(
            f"Verified {len(verified)} transactions: {len(ok)} successful, "
            f"NGN {sum(t['amount'] for t in ok) / 100:,.2f} collected"
        )
        first = paystack.Transaction.verify(r.references[0])
        print(
            f"\nTransaction.verify({r.references[0]!r}): {first.message}, status={first.data['status']}, "
            f"amount={first.data['amount']}, gateway_response={first.data['gateway_response']!r}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Checks an installed paystack-rs as a user gets it from a wheel or the sdist (scripts/release.sh
runs it in a fresh venv, from a folder outside the checkout):

    python smoke_installed.py VERSION

It must be the installed package (not the checkout), the extension an abi3 build, and it must make
real calls against the sandbox it ships: a charge, its verification (sync and async), a bulk
charge followed to completion, and bad input refused before anything is sent.
"""

from __future__ import annotations

import asyncio
import sys
import sysconfig
import time
from pathlib import Path


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SystemExit(f"smoke: {what}")


def main(version: str) -> int:
    import paystack_rs
    from paystack_rs import _core
    from paystack_rs.sandbox import Sandbox

    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    package = Path(paystack_rs.__file__).resolve()
    check(site in package.parents, f"paystack_rs imported from {package}, not from this venv's {site}")
    check(paystack_rs.__version__ == version, f"version {paystack_rs.__version__}, expected {version}")
    extension = Path(_core.__file__ or "")
    check(extension.name.endswith(".abi3.so"), f"the extension {extension.name} is not an abi3 build")
    check((package.parent / "py.typed").is_file(), "py.typed is missing")

    with Sandbox() as sb:
        client = sb.client()
        charged = client.transaction.charge_authorization("success@example.com", 5000, Sandbox.AUTH_SUCCESS)
        reference = charged.data["reference"]
        verified = client.transaction.verify(reference)
        check(verified.status is True and verified.data["status"] == "success", f"verify: {verified!r}")
        check(verified.data["amount"] == 5000, f"verify: amount {verified.data['amount']}")
        again = asyncio.run(client.transaction.verify_async(reference))
        check(again.data["reference"] == reference, f"verify_async: {again!r}")

        batch = client.bulk_charge.initiate(
            [{"authorization": Sandbox.AUTH_SUCCESS, "amount": 10000 + i, "reference": f"smoke-{i}"} for i in range(3)]
        )
        code = batch.data["batch_code"]
        deadline = time.monotonic() + 60
        while (fetched := client.bulk_charge.fetch(code).data)["status"] != "complete":
            check(time.monotonic() < deadline, f"batch {code} did not complete: {fetched!r}")
            time.sleep(0.1)
        charges = client.bulk_charge.charges(code).data
        check(sorted(c["status"] for c in charges) == ["success"] * 3, f"batch charges: {charges!r}")

        before = len(sb.requests())
        try:
            client.bulk_charge.initiate([{"authorization": Sandbox.AUTH_SUCCESS, "amount": -1}])
        except paystack_rs.ValidationError as exc:
            check("amount" in str(exc), f"the validation error does not name the field: {exc}")
        else:
            raise SystemExit("smoke: a negative amount was not refused")
        check(len(sb.requests()) == before, "a refused batch reached the sandbox")

    python = sys.version.split()[0]
    print(f"smoke: paystack-rs {version} from {package.parent} ({extension.name}) on Python {python}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

"""The subprocess side of the "every page" benchmarks (``paybench.pages``): one library's loop
over every page, timed in a fresh interpreter.

    python -m paybench.pages_worker RUNNER BASE_URL KEY SPEC_JSON

Each runner warms up first (one small call: the connection, the runtime, pandas), untimed. The
runners are what each library's users write: paystack-rs's own calls, and for the
pure-Python SDKs the ``page += 1`` loop their documentation leaves to the user (sequential,
sync or awaited). Every runner turns the pages into the same rows and reports a digest of them,
which the orchestrator compares across runners. The last line of stdout is
``PAYBENCH_RESULT <json>``: seconds of the loop (after imports and client creation) and the
RSS high-water mark it added.
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import json
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESULT_MARK = "PAYBENCH_RESULT "

# -- the rows every runner builds --------------------------------------------------------------


def charge_row(item: dict[str, Any], batch_code: str) -> dict[str, Any]:
    """A batch charge as a flat row: the flattening each peer's user writes by hand."""
    tx = item.get("transaction") or {}
    return {
        "reference": item.get("reference") or tx.get("reference"),
        "batch_code": batch_code,
        "authorization": (item.get("authorization") or {}).get("authorization_code"),
        "customer_email": (item.get("customer") or {}).get("email"),
        "amount": item.get("amount"),
        "currency": item.get("currency"),
        "fees": tx.get("fees"),
        "status": item.get("status"),
        "gateway_response": tx.get("gateway_response"),
        "paid_at": tx.get("paid_at"),
    }


def digest(references: list[str], amounts: list[int]) -> dict[str, Any]:
    """What every runner must agree on: how many rows, their amounts, and which references."""
    joined = "\n".join(sorted(str(r) for r in references)).encode()
    return {"rows": len(references), "amount": sum(amounts), "references": hashlib.sha256(joined).hexdigest()[:16]}


def rows_digest(rows: list[dict[str, Any]]) -> dict[str, Any]:
    return digest([r["reference"] for r in rows], [r["amount"] for r in rows])


# -- a month of batches: the charges of every batch, into rows -----------------------------------


def batches_paystack_rs_transactions(base_url: str, key: str, spec: dict[str, Any]) -> Callable[[], Any]:
    import paystack_rs

    client = paystack_rs.Paystack(key, base_url=base_url)
    client.bulk_charge.list(per_page=1)  # warm: the runtime, a connection

    def run() -> Any:
        report = paystack_rs.reconcile.transactions(client=client, per_page=spec["per_page"])
        return digest(report.column("reference"), report.column("amount"))

    return run


def batches_paystack_rs_batch_async(base_url: str, key: str, spec: dict[str, Any]) -> Callable[[], Any]:
    import paystack_rs

    client = paystack_rs.Paystack(key, base_url=base_url)
    client.bulk_charge.list(per_page=1)

    async def gather() -> Any:
        reports = await asyncio.gather(
            *(paystack_rs.reconcile.batch_async(c, client=client, per_page=spec["per_page"]) for c in spec["codes"])
        )
        return digest(
            [r for report in reports for r in report.column("reference")],
            [a for report in reports for a in report.column("amount")],
        )

    return lambda: asyncio.run(gather())


def batches_paystack_rs_iter(base_url: str, key: str, spec: dict[str, Any]) -> Callable[[], Any]:
    import paystack_rs

    client = paystack_rs.Paystack(key, base_url=base_url)
    client.bulk_charge.list(per_page=1)

    def run() -> Any:
        rows = []
        for code in spec["codes"]:
            first = client.bulk_charge.charges(code, per_page=spec["per_page"])
            rows += [charge_row(item, code) for item in first.auto_paging_iter()]
        return rows_digest(rows)

    return run


def batches_paystackease(base_url: str, key: str, spec: dict[str, Any]) -> Callable[[], Any]:
    import os

    os.environ["PAYSTACK_SECRET_KEY"] = key
    from paystackease import PayStackBase
    from paystackease.core._api_base import BaseAPI

    BaseAPI._PAYSTACK_API_URL = base_url + "/"
    client = PayStackBase()
    client.bulk_charges.list_bulk_charge_batches(per_page=1)

    def run() -> Any:
        rows = []
        for code in spec["codes"]:
            page = 1
            while True:
                r = client.bulk_charges.fetch_charge_bulk_batch(code, per_page=spec["per_page"], page=page)
                rows += [charge_row(item, code) for item in r.data]
                # paystackease's PayStackResponse has no meta: a short page is the last one.
                if len(r.data) < spec["per_page"]:
                    break
                page += 1
        return rows_digest(rows)

    return run


def batches_paystackease_async(base_url: str, key: str, spec: dict[str, Any]) -> Callable[[], Any]:
    import os

    os.environ["PAYSTACK_SECRET_KEY"] = key
    from paystackease import AsyncPayStackBase
    from paystackease.core._api_base import BaseAPI

    BaseAPI._PAYSTACK_API_URL = base_url + "/"

    async def loop() -> Any:
        client = AsyncPayStackBase()
        await client.bulk_charges.list_bulk_charge_batches(per_page=1)
        rows = []
        try:
            for code in spec["codes"]:
                page = 1
                while True:
                    r = await client.bulk_charges.fetch_charge_bulk_batch(code, per_page=spec["per_page"], page=page)
                    rows += [charge_row(item, code) for item in r.data]
                    if len(r.data) < spec["per_page"]:  # no meta in PayStackResponse
                        break
                    page += 1
        finally:
            await client.__aexit__(None, None, None)
        return rows_digest(rows)

    return lambda: asyncio.run(loop())


def batches_pypaystack2(base_url: str, key: str, spec: dict[str, Any]) -> Callable[[], Any]:
    from pypaystack2 import PaystackClient
    from pypaystack2.base_clients import AbstractAPIClient

    AbstractAPIClient._BASE_URL = base_url
    client = PaystackClient(secret_key=key)
    client.bulk_charges.get_batches(pagination=1)

    def run() -> Any:
        rows = []
        for code in spec["codes"]:
            page = 1
            while True:
                r = client.bulk_charges.get_charges_in_batch(code, None, pagination=spec["per_page"], page=page)
                # pypaystack2's BulkChargeUnitCharge model refuses Paystack's charges (its id is typed
                # str), so r.data is None and the answer is read from r.raw, as its docs advise.
                rows += [charge_row(item, code) for item in r.raw["data"]]
                if page >= r.raw["meta"]["pageCount"]:
                    break
                page += 1
        return rows_digest(rows)

    return run


def batches_paystackapi(base_url: str, key: str, spec: dict[str, Any]) -> Callable[[], Any]:
    import paystackapi
    from paystackapi.paystack import Paystack

    paystackapi.API_URL = base_url + "/"
    client = Paystack(secret_key=key)
    client.bulkcharge.list(perPage=1)

    def run() -> Any:
        rows = []
        for code in spec["codes"]:
            page = 1
            while True:
                r = client.bulkcharge.fetch_charges_batch(code, perPage=spec["per_page"], page=page)
                rows += [charge_row(item, code) for item in r["data"]]
                if page >= r["meta"]["pageCount"]:
                    break
                page += 1
        return rows_digest(rows)

    return run


# -- a month into a DataFrame ---------------------------------------------------------------------

#: The DataFrame both runners end with: the Report's columns, from json_normalize's names.
FRAME_COLUMNS = {
    "reference": "reference",
    "batch_code": None,
    "authorization": "authorization.authorization_code",
    "customer_email": "customer.email",
    "amount": "amount",
    "currency": "currency",
    "fees": "fees",
    "status": "status",
    "gateway_response": "gateway_response",
    "paid_at": "paid_at",
    "transaction_id": "id",
    "created_at": "createdAt",
}


def frame_digest(frame: Any) -> dict[str, Any]:
    return {**digest(frame["reference"].tolist(), [int(a) for a in frame["amount"]]), "columns": len(frame.columns)}


def warm_pandas() -> None:
    """pandas imported and a text column built (pandas 3 loads pyarrow for it) before the clock starts."""
    import pandas as pd

    pd.DataFrame({"a": ["x"], "b": [1]})


def frame_paystack_rs(base_url: str, key: str, spec: dict[str, Any]) -> Callable[[], Any]:
    import paystack_rs

    warm_pandas()
    client = paystack_rs.Paystack(key, base_url=base_url)
    client.transaction.list(per_page=1)

    def run() -> Any:
        frame = paystack_rs.reconcile.transactions(client=client, per_page=spec["per_page"]).to_pandas()
        return frame_digest(frame), frame

    return run


def frame_httpx_json_normalize(base_url: str, key: str, spec: dict[str, Any]) -> Callable[[], Any]:
    import json as jsonlib

    import httpx
    import pandas as pd

    warm_pandas()
    client = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {key}"}, timeout=120)
    client.get("/transaction", params={"perPage": 1})

    def run() -> Any:
        items: list[dict[str, Any]] = []
        page = 1
        while True:
            r = client.get("/transaction", params={"perPage": spec["per_page"], "page": page})
            body = jsonlib.loads(r.content)
            items += body["data"]
            if page >= body["meta"]["pageCount"]:
                break
            page += 1
        flat = pd.json_normalize(items)
        frame = pd.DataFrame({name: flat[src] for name, src in FRAME_COLUMNS.items() if src is not None})
        frame["paid_at"] = pd.to_datetime(frame["paid_at"], utc=True, format="ISO8601")
        frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True, format="ISO8601")
        return frame_digest(frame), frame

    return run


RUNNERS: dict[str, Callable[[str, str, dict[str, Any]], Callable[[], Any]]] = {
    "batches/paystack-rs reconcile.transactions": batches_paystack_rs_transactions,
    "batches/paystack-rs reconcile.batch_async x10": batches_paystack_rs_batch_async,
    "batches/paystack-rs auto_paging_iter": batches_paystack_rs_iter,
    "batches/pypaystack2": batches_pypaystack2,
    "batches/paystackease": batches_paystackease,
    "batches/paystackease async": batches_paystackease_async,
    "batches/paystackapi": batches_paystackapi,
    "frame/paystack-rs to_pandas": frame_paystack_rs,
    "frame/httpx + json.loads + json_normalize": frame_httpx_json_normalize,
}


def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def main(argv: list[str]) -> int:
    name, base_url, key, spec_json = argv
    try:
        spec = json.loads(spec_json)
        run = RUNNERS[name](base_url, key, spec)
        gc.collect()
        before = _rss_kib("VmRSS")
        reset = Path("/proc/self/clear_refs")
        try:
            reset.write_text("5")  # the high-water mark restarts from the current RSS
            method = "VmHWM after clear_refs"
        except OSError:
            method = "VmHWM since start"
        started = time.perf_counter()
        outcome = run()
        seconds = time.perf_counter() - started
        peak = _rss_kib("VmHWM")
        if isinstance(outcome, tuple):
            outcome = outcome[0]
        result = {"seconds": seconds, "digest": outcome, "rss_before_kib": before, "peak_added_kib": peak - before}
        result["memory_method"] = method
    except Exception as exc:
        result = {"error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()[-3000:]}
    print(RESULT_MARK + json.dumps(result), flush=True)
    return 0 if "error" not in result else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

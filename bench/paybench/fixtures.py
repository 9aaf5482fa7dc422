"""Paystack-shaped response bodies, built from Paystack's official samples, and the answers to expect.

The samples are vendored in ``tests/data/paystack/samples`` (provenance in tests/data/SOURCE.md);
``PAYSTACK_SAMPLES_DIR`` points elsewhere. Every body is plain JSON bytes, served as-is by nginx.
"""

from __future__ import annotations

import copy
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent.parent
REPO_DIR = BENCH_DIR.parent

#: The key every request must carry; nginx answers 401 to anything else.
SECRET_KEY = "sk_test_paybench0000000000000000000000000"
#: The reference of the official verify sample; nginx knows no other.
VERIFY_REFERENCE = "re4lyvq3s3"
#: Page sizes nginx serves for GET /transaction (perPage): the list workload and the memory probe.
LIST_PAGE_SIZE = 1000
MEMORY_PAGE_SIZE = 5000
PAGE_SIZES = (LIST_PAGE_SIZE, MEMORY_PAGE_SIZE)
#: Items in one bulk-charge initiation (Paystack's maximum).
BULK_ITEMS = 1000


def sandbox_batch(prefix: str, charges: int) -> list[dict[str, Any]]:
    """A bulk charge's items for the sandbox: ``charges`` charges referenced ``{prefix}-0000``...,
    one in twenty on the card that is declined (the reports then have failures to show)."""
    from paystack_rs.sandbox import Sandbox

    return [
        {
            "authorization": Sandbox.AUTH_DECLINED if i % 20 == 7 else Sandbox.AUTH_SUCCESS,
            "amount": 10_000 + i,
            "reference": f"{prefix}-{i:04d}",
        }
        for i in range(charges)
    ]


def samples_dir() -> Path:
    configured = os.environ.get("PAYSTACK_SAMPLES_DIR")
    path = Path(configured) if configured else REPO_DIR / "tests" / "data" / "paystack" / "samples"
    if not (path / "api").is_dir():
        raise SystemExit(f"paybench: Paystack's samples not found at {path} (set PAYSTACK_SAMPLES_DIR)")
    return path


def _sample(name: str) -> dict[str, Any]:
    """The 200 envelope of one sample, e.g. ``transactions/verify``."""
    with (samples_dir() / "api" / name / "response.json").open(encoding="utf-8") as f:
        return json.load(f)["200"]["data"]


@cache
def verify_envelope() -> dict[str, Any]:
    return _sample("transactions/verify")


@cache
def bulk_envelope() -> dict[str, Any]:
    return _sample("bulk-charges/initiate")


def _page_transaction(template: dict[str, Any], index: int) -> dict[str, Any]:
    tx = copy.deepcopy(template)
    tx["id"] = template["id"] - index
    tx["reference"] = f"{template['reference']}{index:06d}"
    tx["amount"] = template["amount"] + index
    return tx


@cache
def list_envelope(per_page: int) -> dict[str, Any]:
    """Page 1 of GET /transaction: the list sample's transaction, ``per_page`` times with distinct
    ids, references and amounts, and Paystack's offset meta."""
    sample = _sample("transactions/list")
    template = sample["data"][0]
    data = [_page_transaction(template, i) for i in range(per_page)]
    total = 20 * per_page
    meta = {
        "total": total,
        "total_volume": sum(tx["amount"] for tx in data),
        "skipped": 0,
        "perPage": per_page,
        "page": 1,
        "pageCount": total // per_page,
    }
    return {"status": True, "message": sample["message"], "data": data, "meta": meta}


def body(envelope: dict[str, Any]) -> bytes:
    """The wire form (``json.dumps`` defaults: 1000 transactions come to about 1.6 MB, as Paystack's)."""
    return json.dumps(envelope).encode()


def bulk_items(count: int = BULK_ITEMS) -> list[dict[str, Any]]:
    """What a user hands to a bulk-charge initiation: plain dicts, valid, with unique references."""
    return [
        {"authorization": f"AUTH_{i % 97:06d}bench", "amount": 10000 + i, "reference": f"paybench-{i:06d}"}
        for i in range(count)
    ]


@dataclass(frozen=True)
class Expected:
    """What every adapter must hand back, for an answer to count as a success.

    verify: (status, reference, amount); list: (status, count, first id, last reference);
    bulk: (status, batch_code).
    """

    verify: tuple[Any, ...]
    list_page: tuple[Any, ...]
    bulk: tuple[Any, ...]


def expected_page(per_page: int) -> tuple[Any, ...]:
    page = list_envelope(per_page)["data"]
    return (True, len(page), page[0]["id"], page[-1]["reference"])


@cache
def expected() -> Expected:
    tx = verify_envelope()["data"]
    return Expected(
        verify=(True, tx["reference"], tx["amount"]),
        list_page=expected_page(LIST_PAGE_SIZE),
        bulk=(True, bulk_envelope()["data"]["batch_code"]),
    )

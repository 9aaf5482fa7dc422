# pyright: strict
"""User code with wrong uses: mypy --strict and pyright --strict must each report an error on
every line marked ``# expect-error`` and on no other (tests/test_typing.py)."""

from __future__ import annotations

import paystack_rs as paystack


def wrong(client: paystack.Paystack, code: str) -> None:
    client.bulk_charge.charges(code, status="declined")  # expect-error
    r = client.transaction.verify("ref")
    print(r.data["amont"])  # expect-error
    name: int = r.data["customer"]["email"]  # expect-error
    print(name)
    client.transaction.list(status="pending")  # expect-error
    client.bulk_charge.list(status="failed")  # expect-error
    client.transaction.initialize("a@example.com", 100, bearer="merchant")  # expect-error
    batch = client.bulk_charge.fetch(code)
    print(batch.data["amount"])  # expect-error
    for tx in client.transaction.list().auto_paging_iter():
        print(tx["amont"])  # expect-error
    paystack.reconcile.batch(code, client=client, concurency=4)  # expect-error
    paystack.reconcile.payouts(_from="2024-08-01", per_page="100")  # expect-error

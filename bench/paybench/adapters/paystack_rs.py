"""paystack-rs: the client users create, with its defaults (retries on, max_retries=2)."""

from __future__ import annotations

from typing import Any

from .base import Adapter, Outcome, bulked, listed, verified


class PaystackRs(Adapter):
    name = "paystack-rs"
    import_statement = "import paystack_rs"
    distribution = "paystack-rs"
    kind = "subject"
    how_configured = "`paystack_rs.Paystack(secret_key=..., base_url=...)` (http is accepted for loopback hosts)"

    how_ca = "`Paystack(..., ca_bundle=path)` (added to the platform's roots)"

    def __init__(self, base_url: str, secret_key: str, ca_bundle: str | None = None) -> None:
        super().__init__(base_url, secret_key, ca_bundle)
        import paystack_rs

        tls = {"ca_bundle": ca_bundle} if ca_bundle else {}
        self.client = paystack_rs.Paystack(secret_key=secret_key, base_url=self.base_url, **tls)
        self.transaction = self.client.transaction
        self.bulk_charge = self.client.bulk_charge

    def verify(self, reference: str) -> Outcome:
        r = self.transaction.verify(reference)
        return verified(r["status"], r["data"])

    def list_page(self, per_page: int) -> Outcome:
        r = self.transaction.list(per_page=per_page, page=1)
        return listed(r["status"], r["data"])

    def bulk_initiate(self, items: list[dict[str, Any]]) -> Outcome:
        # Plain dicts: every item is validated in Rust (amount, reference charset, duplicates).
        r = self.bulk_charge.initiate(items)
        return bulked(r["status"], r["data"])

    async def verify_async(self, reference: str) -> Outcome:
        r = await self.transaction.verify_async(reference)
        return verified(r["status"], r["data"])

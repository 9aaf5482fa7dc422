"""pypaystack2: ``PaystackClient`` / ``AsyncPaystackClient``; answers are pydantic models."""

from __future__ import annotations

import os
from typing import Any

from .base import Adapter, Outcome


class PyPaystack2(Adapter):
    name = "pypaystack2"
    import_statement = "from pypaystack2 import PaystackClient"
    distribution = "pypaystack2"
    how_configured = (
        "no base-URL setting: the class attribute `pypaystack2.base_clients.AbstractAPIClient._BASE_URL` "
        "is overridden before the clients are created"
    )

    how_ca = "`SSL_CERT_FILE`, which httpx reads for each client it builds (pypaystack2 takes no `verify=`)"

    def __init__(self, base_url: str, secret_key: str, ca_bundle: str | None = None) -> None:
        super().__init__(base_url, secret_key, ca_bundle)
        if ca_bundle:
            os.environ["SSL_CERT_FILE"] = ca_bundle
        from pypaystack2 import PaystackClient
        from pypaystack2.base_clients import AbstractAPIClient
        from pypaystack2.models.payload_models import BulkChargeInstruction

        AbstractAPIClient._BASE_URL = self.base_url
        self.client = PaystackClient(secret_key=secret_key)
        self.instruction = BulkChargeInstruction
        self.aclient: Any = None

    def verify(self, reference: str) -> Outcome:
        r = self.client.transactions.verify(reference)
        return (r.status, r.data.reference, r.data.amount)

    def list_page(self, per_page: int) -> Outcome:
        r = self.client.transactions.get_transactions(pagination=per_page, page=1)
        return (r.status, len(r.data), r.data[0].id, r.data[-1].reference)

    def bulk_initiate(self, items: list[dict[str, Any]]) -> Outcome:
        # The library takes BulkChargeInstruction models (pydantic validation of each item).
        r = self.client.bulk_charges.initiate([self.instruction(**item) for item in items])
        return (r.status, r.data.batch_code)

    async def open_async(self) -> None:
        from pypaystack2 import AsyncPaystackClient

        self.aclient = AsyncPaystackClient(secret_key=self.secret_key)

    async def verify_async(self, reference: str) -> Outcome:
        r = await self.aclient.transactions.verify(reference)
        return (r.status, r.data.reference, r.data.amount)

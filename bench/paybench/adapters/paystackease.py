"""paystackease: ``PayStackBase`` (requests.Session) / ``AsyncPayStackBase`` (aiohttp)."""

from __future__ import annotations

import os
from typing import Any

from .base import Adapter, Outcome, bulked, listed, verified


class PaystackEase(Adapter):
    name = "paystackease"
    import_statement = "from paystackease import PayStackBase"
    distribution = "paystackease"
    how_configured = (
        "the key from `PAYSTACK_SECRET_KEY` (its only way); no base-URL setting: the class attribute "
        "`paystackease.core._api_base.BaseAPI._PAYSTACK_API_URL` is overridden before the clients are created"
    )

    how_ca = (
        "`REQUESTS_CA_BUNDLE` for its `requests.Session`, `SSL_CERT_FILE` for aiohttp's default SSL context "
        "(it accepts a session but no CA setting of its own)"
    )

    def __init__(self, base_url: str, secret_key: str, ca_bundle: str | None = None) -> None:
        super().__init__(base_url, secret_key, ca_bundle)
        os.environ["PAYSTACK_SECRET_KEY"] = secret_key
        if ca_bundle:
            # Before aiohttp is imported: it builds its default SSL context at import time.
            os.environ["REQUESTS_CA_BUNDLE"] = ca_bundle
            os.environ["SSL_CERT_FILE"] = ca_bundle
        from paystackease import BulkChargeListObject, PayStackBase
        from paystackease.core._api_base import BaseAPI

        BaseAPI._PAYSTACK_API_URL = self.base_url + "/"
        self.client = PayStackBase()
        self.list_object = BulkChargeListObject
        self.aclient: Any = None

    def verify(self, reference: str) -> Outcome:
        r = self.client.transactions.verify_transaction(reference)
        return verified(r.status, r.data)

    def list_page(self, per_page: int) -> Outcome:
        r = self.client.transactions.list_transactions(per_page=per_page, page=1)
        return listed(r.status, r.data)

    def bulk_initiate(self, items: list[dict[str, Any]]) -> Outcome:
        # BulkChargeListObject validates every item (pydantic) before sending.
        r = self.client.bulk_charges.initiate_bulk_charge(self.list_object(charges=items))
        return bulked(r.status, r.data)

    async def open_async(self) -> None:
        from paystackease import AsyncPayStackBase

        self.aclient = AsyncPayStackBase()

    async def verify_async(self, reference: str) -> Outcome:
        r = await self.aclient.transactions.verify_transaction(reference)
        return verified(r.status, r.data)

    async def close_async(self) -> None:
        await self.aclient.__aexit__(None, None, None)

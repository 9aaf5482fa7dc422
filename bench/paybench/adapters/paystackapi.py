"""paystackapi: class methods over module-level ``requests.get``/``post`` (a new connection per call)."""

from __future__ import annotations

import os
from typing import Any, ClassVar

from .base import Adapter, Outcome, bulked, listed, verified


class PaystackApi(Adapter):
    name = "paystackapi"
    import_statement = "from paystackapi.paystack import Paystack"
    distribution = "paystackapi"
    how_configured = (
        "the module constant `paystackapi.API_URL` is set before the first `Paystack(secret_key=...)` "
        "(the library reads it once, into state shared by every instance)"
    )
    unsupported: ClassVar[dict[str, str]] = {"verify_async": "no async API"}

    how_ca = "`REQUESTS_CA_BUNDLE` (it calls `requests.get`/`post` and takes no `verify=`)"

    def __init__(self, base_url: str, secret_key: str, ca_bundle: str | None = None) -> None:
        super().__init__(base_url, secret_key, ca_bundle)
        if ca_bundle:
            os.environ["REQUESTS_CA_BUNDLE"] = ca_bundle
        import paystackapi
        from paystackapi.paystack import Paystack

        paystackapi.API_URL = self.base_url + "/"
        self.client = Paystack(secret_key=secret_key)

    def verify(self, reference: str) -> Outcome:
        r = self.client.transaction.verify(reference)
        return verified(r["status"], r["data"])

    def list_page(self, per_page: int) -> Outcome:
        r = self.client.transaction.list(perPage=per_page, page=1)
        return listed(r["status"], r["data"])

    def bulk_initiate(self, items: list[dict[str, Any]]) -> Outcome:
        # No validation: the list goes out as given.
        r = self.client.bulkcharge.initiate_bulk_charge(items)
        return bulked(r["status"], r["data"])

"""Raw-HTTP baselines: no SDK, one pooled client, the JSON decoded by the HTTP library.

They show what plain Python HTTP costs on the same machine: an SDK built on one of these cannot
beat it. They do not validate bulk-charge items (there is nothing to validate with).
"""

from __future__ import annotations

import ssl
from typing import Any, ClassVar

from .base import Adapter, Outcome, bulked, listed, verified


class RequestsSession(Adapter):
    name = "requests.Session"
    distribution = "requests"
    kind = "baseline"
    how_configured = "`requests.Session()` with the Authorization header, full URLs"
    unsupported: ClassVar[dict[str, str]] = {"verify_async": "requests has no async API"}

    how_ca = "`session.verify = path`"

    def __init__(self, base_url: str, secret_key: str, ca_bundle: str | None = None) -> None:
        super().__init__(base_url, secret_key, ca_bundle)
        import requests

        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {secret_key}"
        if ca_bundle:
            self.session.verify = ca_bundle

    def verify(self, reference: str) -> Outcome:
        body = self.session.get(f"{self.base_url}/transaction/verify/{reference}").json()
        return verified(body["status"], body["data"])

    def list_page(self, per_page: int) -> Outcome:
        body = self.session.get(f"{self.base_url}/transaction", params={"perPage": per_page, "page": 1}).json()
        return listed(body["status"], body["data"])

    def bulk_initiate(self, items: list[dict[str, Any]]) -> Outcome:
        body = self.session.post(f"{self.base_url}/bulkcharge", json=items).json()
        return bulked(body["status"], body["data"])

    def close(self) -> None:
        self.session.close()


class Httpx(Adapter):
    name = "httpx"
    import_statement = "import httpx"
    distribution = "httpx"
    kind = "baseline"
    how_configured = "`httpx.Client` / `httpx.AsyncClient` (default pool limits) with `base_url=` and the header"

    how_ca = "`verify=ssl.create_default_context(cafile=path)` (httpx 0.28's way)"

    def __init__(self, base_url: str, secret_key: str, ca_bundle: str | None = None) -> None:
        super().__init__(base_url, secret_key, ca_bundle)
        import httpx

        self.headers = {"Authorization": f"Bearer {secret_key}"}
        self.client = httpx.Client(base_url=self.base_url, headers=self.headers, verify=self._verify())
        self.aclient: Any = None

    def _verify(self) -> Any:
        return ssl.create_default_context(cafile=self.ca_bundle) if self.ca_bundle else True

    def verify(self, reference: str) -> Outcome:
        body = self.client.get(f"/transaction/verify/{reference}").json()
        return verified(body["status"], body["data"])

    def list_page(self, per_page: int) -> Outcome:
        body = self.client.get("/transaction", params={"perPage": per_page, "page": 1}).json()
        return listed(body["status"], body["data"])

    def bulk_initiate(self, items: list[dict[str, Any]]) -> Outcome:
        body = self.client.post("/bulkcharge", json=items).json()
        return bulked(body["status"], body["data"])

    async def open_async(self) -> None:
        import httpx

        self.aclient = httpx.AsyncClient(base_url=self.base_url, headers=self.headers, verify=self._verify())

    async def verify_async(self, reference: str) -> Outcome:
        body = (await self.aclient.get(f"/transaction/verify/{reference}")).json()
        return verified(body["status"], body["data"])

    async def close_async(self) -> None:
        await self.aclient.aclose()

    def close(self) -> None:
        self.client.close()


class Aiohttp(Adapter):
    name = "aiohttp"
    distribution = "aiohttp"
    kind = "baseline"
    how_configured = "`aiohttp.ClientSession(base_url=..., headers=...)` (default connector)"
    unsupported: ClassVar[dict[str, str]] = {
        "verify_seq": "aiohttp is async only",
        "verify_threads": "aiohttp is async only",
        "list_page": "aiohttp is async only (this workload is sync)",
        "bulk_initiate": "aiohttp is async only (this workload is sync)",
        "verify_tls_seq": "aiohttp is async only",
    }

    how_ca = "`TCPConnector(ssl=ssl.create_default_context(cafile=path))`"

    def __init__(self, base_url: str, secret_key: str, ca_bundle: str | None = None) -> None:
        super().__init__(base_url, secret_key, ca_bundle)
        self.session: Any = None

    async def open_async(self) -> None:
        import aiohttp

        headers = {"Authorization": f"Bearer {self.secret_key}"}
        tls: dict[str, Any] = {}
        if self.ca_bundle:
            tls["connector"] = aiohttp.TCPConnector(ssl=ssl.create_default_context(cafile=self.ca_bundle))
        self.session = aiohttp.ClientSession(base_url=self.base_url, headers=headers, **tls)

    async def verify_async(self, reference: str) -> Outcome:
        async with self.session.get(f"/transaction/verify/{reference}") as resp:
            body = await resp.json()
        return verified(body["status"], body["data"])

    async def close_async(self) -> None:
        await self.session.close()

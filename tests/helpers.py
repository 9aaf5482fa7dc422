"""Helpers shared by the tests: calling a method sync or async with one code path."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import paystack_rs
from paystack_rs.sandbox import Sandbox

MODES = ["sync", "async"]


class LoopWithoutReaders(asyncio.SelectorEventLoop):
    """An event loop that cannot watch a socket for readability, as Windows' proactor loop: the
    async calls take their fallback path on it."""

    def add_reader(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
        # What asyncio's ProactorEventLoop does: a deliberate refusal, not a stub to fill in.
        raise NotImplementedError("this loop cannot watch sockets")


def invoke(mode: str, service: Any, name: str, *args: Any, **kwargs: Any) -> paystack_rs.Response:
    """``service.name(*args)`` in sync mode, ``asyncio.run(service.name_async(*args))`` in async mode."""
    if mode == "sync":
        return getattr(service, name)(*args, **kwargs)
    return asyncio.run(getattr(service, f"{name}_async")(*args, **kwargs))


def wait_for_batch(client: paystack_rs.Paystack, code: str, status: str = "complete", timeout: float = 20.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        batch = client.bulk_charge.fetch(code).data
        if batch["status"] == status:
            return batch
        if time.monotonic() > deadline:
            raise AssertionError(f"batch {code} is {batch['status']}, not {status}, after {timeout}s")
        time.sleep(0.02)


def charge(
    client: paystack_rs.Paystack,
    amount: int = 5000,
    authorization: str = Sandbox.AUTH_SUCCESS,
    email: str = "success@example.com",
    **kwargs: Any,
) -> paystack_rs.Response:
    return client.transaction.charge_authorization(email, amount, authorization, **kwargs)

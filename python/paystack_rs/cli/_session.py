"""What every command that calls Paystack shares: its client (``PAYSTACK_SECRET_KEY`` /
``PAYSTACK_BASE_URL``) and how it shows progress. A module of its own so that the package, the
commands and ``bulk-charge`` import it without importing each other (no import cycle)."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from ._output import EXIT_CONFIG, EXIT_USAGE, CommandError, Output

if TYPE_CHECKING:
    from collections.abc import Callable

    from .._client import Paystack


def make_client(*, request_timeout: float | None = None) -> Paystack:
    """The client of ``PAYSTACK_SECRET_KEY`` / ``PAYSTACK_BASE_URL`` (``request_timeout``: the
    client's ``timeout``); a missing key is a configuration error worded for the command line."""
    from .._client import Paystack

    if not os.environ.get("PAYSTACK_SECRET_KEY", "").strip():
        raise CommandError(
            EXIT_CONFIG,
            "no secret key: set PAYSTACK_SECRET_KEY to your sk_test_... or sk_live_... key "
            "(and PAYSTACK_BASE_URL to test against a sandbox)",
            kind="configuration",
        )
    if request_timeout is not None and not request_timeout > 0:
        raise CommandError(EXIT_USAGE, f"--request-timeout must be a positive number of seconds, not {request_timeout}")
    client = Paystack() if request_timeout is None else Paystack(timeout=request_timeout)
    if client.mode not in ("test", "live"):
        # The core reads the mode from the key's prefix; anything else would be refused by Paystack.
        raise CommandError(
            EXIT_CONFIG,
            "PAYSTACK_SECRET_KEY is not a secret key: it starts with sk_test_ or sk_live_ (a pk_ key is public)",
            kind="configuration",
        )
    return client


def progress_arg(out: Output, what: str = "charges processed") -> bool | Callable[[int, int], None]:
    """How a long call shows progress: the library's bar when stderr is a terminal, else one stderr
    line each time the count changes (logs of a cron job or CI keep the history)."""
    if sys.stderr.isatty():
        return True
    last: list[tuple[int, int]] = []

    def report(done: int, total: int) -> None:
        if not last or last[-1] != (done, total):
            last[:] = [(done, total)]
            out.note(f"progress: {done}/{total} {what}")

    return report

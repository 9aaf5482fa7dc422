"""What the command prints and how it exits: one JSON document on stdout with ``--json``, lines of
text otherwise; errors as one line on stderr (and as the JSON document's ``error``)."""

from __future__ import annotations

import json
import os
import sys
import textwrap
from typing import Any, TextIO

from .._core import format_money, mask_authorization

#: Exit codes (documented in the README's operator section and in ``paystack-rs --help``).
EXIT_OK = 0
#: Paystack refused or failed the request, or charges did not go through (declined, failed) or are
#: still pending, a verified transaction is not successful, reconciliation found a problem, or the
#: operator answered "no" at the confirmation.
EXIT_FAILED = 1
#: Bad arguments or input (a CSV row, a date, JSON), or a charge without a terminal to confirm it
#: and without --yes: found before anything was sent.
EXIT_USAGE = 2
#: Configuration or authentication: no key, a malformed or revoked key (Paystack's 401), a bad base URL.
EXIT_CONFIG = 3
#: The network failed or timed out (``--wait`` too): what was sent may or may not have arrived.
EXIT_CONNECTION = 4
#: Interrupted (Ctrl-C).
EXIT_INTERRUPTED = 130

EXIT_CODES_HELP = """\
exit codes:
  0    done: every charge went through / the transaction is successful / the batch reconciles
  1    Paystack refused or failed a request, charges failed or are pending, a transaction is not
       successful, reconciliation found problems, or the confirmation was answered no
  2    bad arguments or input (CSV rows, dates, JSON), or no terminal to confirm and no --yes:
       nothing was sent
  3    configuration or authentication: PAYSTACK_SECRET_KEY missing, malformed or refused (401),
       PAYSTACK_BASE_URL invalid
  4    network failure or timeout (re-running a bulk-charge is safe: nothing is charged twice)
  130  interrupted (Ctrl-C)"""


class CommandError(Exception):
    """A failure the command reports as one line (plus ``details``) and an exit code."""

    def __init__(self, code: int, message: str, *, kind: str = "error", details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.kind = kind
        self.details = details or {}


class Output:
    """Where a command's results go: text lines on stdout, notes on stderr, or (``--json``) one
    JSON document on stdout at the end."""

    def __init__(self, *, as_json: bool) -> None:
        self.as_json = as_json
        self.document: dict[str, Any] = {}

    def line(self, text: str = "") -> None:
        """A line of the result (text mode only)."""
        if not self.as_json:
            print(text, flush=True)

    def note(self, text: str) -> None:
        """Progress and warnings: stderr, in both modes (stdout stays one JSON document)."""
        print(text, file=sys.stderr, flush=True)

    def set(self, **fields: Any) -> None:
        self.document.update(fields)

    def finish(self) -> None:
        if self.as_json:
            print(json.dumps(self.document, ensure_ascii=False, default=str), flush=True)


def confirm(out: Output, question: str, *, refusal: str, cancelled: str) -> None:
    """Asks ``question`` on stderr and returns on "y" or "yes". Without a terminal to answer on,
    ``refusal`` (exit 2: nothing may be sent unconfirmed); any other answer, ``cancelled`` (exit 1)."""
    stdin = sys.stdin
    if stdin is None or not stdin.isatty():
        raise CommandError(EXIT_USAGE, refusal, kind="confirmation_required")
    sys.stderr.write(question)
    sys.stderr.flush()
    if stdin.readline().strip().lower() not in ("y", "yes"):
        out.set(outcome="cancelled")
        raise CommandError(EXIT_FAILED, cancelled, kind="cancelled")


def waiting_stopped(
    out: Output, codes: list[str], message: str, *, code: int = EXIT_INTERRUPTED, kind: str = "interrupted"
) -> CommandError:
    """The error to raise when following batches stops (Ctrl-C, or the network) while they carry
    on at Paystack; the document records the batches left to follow."""
    out.set(outcome="wait_stopped", batch_codes=codes)
    return CommandError(code, message, kind=kind)


def money(subunits: object, currency: str = "") -> str:
    """Subunits as units with two decimals (the core's ``format_money``): ``money(150050, "NGN")``
    -> ``"NGN 1,500.50"``; anything but an integer is ``"-"``."""
    if not isinstance(subunits, int) or isinstance(subunits, bool):
        return "-"
    return format_money(subunits, currency)


def wrap(text: str, hang: int, *, stream: TextIO | None = None, keep_end: bool = False) -> str:
    """``text`` wrapped on word boundaries to the width of the terminal ``stream`` (stdout) is on,
    lines after the first of a paragraph indented by ``hang`` (at least the paragraph's own indent);
    unchanged when ``stream`` is not a terminal (a pipe or a log keeps whole lines)."""
    stream = stream if stream is not None else sys.stdout
    try:
        width = os.get_terminal_size(stream.fileno()).columns if stream.isatty() else 0
    except (AttributeError, OSError, ValueError):
        width = 0
    if width <= 0:
        return text
    end = text[len(text.rstrip(" ")) :] if keep_end else ""
    paragraphs = []
    for paragraph in text.rstrip(" ").split("\n") if keep_end else text.split("\n"):
        indent = len(paragraph) - len(paragraph.lstrip(" "))
        paragraphs.append(
            textwrap.fill(
                paragraph,
                width=max(width - 1, 20),
                subsequent_indent=" " * max(hang, indent),
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n".join(paragraphs) + end


def plural(count: int, word: str, words: str | None = None) -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"


def masked_authorization(code: object) -> str | None:
    """An authorization code as the library's logs show it (the core's rule): ``…`` and its last
    four characters. The whole code, with the secret key, charges the card again, so the command
    shows it only when asked (``verify --show-authorization``)."""
    if not isinstance(code, str) or not code:
        return None
    return mask_authorization(code)

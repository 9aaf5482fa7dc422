"""The ``paystack-rs`` command (also ``python -m paystack_rs``), for operators.

    paystack-rs bulk-charge charges.csv [--yes] [--wait]   check, confirm, charge a file in batches
    paystack-rs batch BCH_... [BCH_...] [--wait]            batches' progress (and their outcome)
    paystack-rs reconcile --run charges.csv [--out report.csv|report.html]   a run against its file
    paystack-rs reconcile BCH_... [BCH_...] [--expected charges.csv]
    paystack-rs export --from 2024-08-01 --to 2024-08-31 [--status success] --out august.csv
    paystack-rs verify REFERENCE
    paystack-rs payouts --from 2024-08-01 --to 2024-08-31 [--out payouts.csv|payouts.html]
    paystack-rs refund REFERENCE [--amount N] [--yes]       check, confirm, refund once
    paystack-rs sandbox [--port N] [...]                    the sandbox's own flags and defaults

Against ``PAYSTACK_BASE_URL`` (default Paystack's API) with ``PAYSTACK_SECRET_KEY``. ``--json``
(anywhere on the line) prints one JSON document on stdout instead of text; errors are one line
on stderr (and the document's ``error``), never a traceback; the exit codes are in ``_output``.
This package is imported by the command only, never by ``import paystack_rs``.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from typing import TYPE_CHECKING, Any, NoReturn

from . import _output
from ._output import CommandError, Output
from ._session import make_client as make_client
from ._session import progress_arg

if TYPE_CHECKING:
    from collections.abc import Sequence

PROGRAM = "paystack-rs"

_ENVIRONMENT_HELP = """\
environment:
  PAYSTACK_SECRET_KEY  the secret key (sk_test_... or sk_live_...); never given on the command line
  PAYSTACK_BASE_URL    the API (default https://api.paystack.co; a sandbox's URL to test)
  PAYSTACK_LOG         debug or info: log each request and retry on stderr"""


class _Parser(argparse.ArgumentParser):
    """argparse, its errors raised as a usage ``CommandError`` (one line, exit 2, JSON with --json)."""

    def error(self, message: str) -> NoReturn:
        raise CommandError(_output.EXIT_USAGE, f"{message} (see {self.prog} --help)", kind="usage")


def _parser() -> argparse.ArgumentParser:
    from .. import __version__

    parser = _Parser(
        prog=PROGRAM,
        description="Charge, follow, reconcile and export Paystack bulk charges and transactions.",
        epilog=f"{_output.EXIT_CODES_HELP}\n\n{_ENVIRONMENT_HELP}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROGRAM} {__version__}")
    parser.add_argument("--json", action="store_true", help="print one JSON document on stdout instead of text")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    commands.required = True

    def command(name: str, summary: str, description: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=summary,
            description=textwrap.fill(description, width=96),
            epilog=_output.EXIT_CODES_HELP,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
        sub.add_argument(
            "--request-timeout",
            type=float,
            default=None,
            metavar="S",
            help="seconds one call may take, its retries and recovery included (default: the client's)",
        )
        return sub

    def waiting(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--wait", action="store_true", help="follow the batches until complete, then summarise")
        sub.add_argument(
            "--timeout", type=float, default=None, metavar="S", help="with --wait: give up after S seconds"
        )
        sub.add_argument(
            "--poll-interval", type=float, default=2.0, metavar="S", help="with --wait: seconds between two looks"
        )

    from .. import _core

    bulk = command(
        "bulk-charge",
        "charge the rows of a CSV file (authorization, amount[, reference, ...])",
        "Checks every row of FILE first (every problem listed with its line), shows the count, total and "
        "estimated fees, asks for confirmation (--yes: do not ask; without a terminal --yes is required), "
        f"and submits the new rows in batches of at most {_core.MAX_BATCH_SIZE}. Before asking, the file is "
        "compared with what its run (the file's name, or --run) already charged at Paystack: re-running it, "
        "sorted, copied, grown or with references filled in, charges nobody twice; rows that cannot be told "
        "from earlier charges (an amount edited) are refused, naming what decides them.",
    )
    bulk.add_argument("file", metavar="FILE.csv", help="the charges: a header, then one row per charge")
    bulk.add_argument("--yes", "-y", action="store_true", help="charge without asking")
    bulk.add_argument("--dry-run", action="store_true", help="check the file and show the plan; send nothing")
    bulk.add_argument(
        "--run",
        "--run-name",
        dest="run",
        metavar="NAME",
        help="the run's name in derived references (default: the file's name)",
    )
    bulk.add_argument(
        "--currency",
        default="NGN",
        choices=list(_core.CURRENCIES),
        help="the integration's currency, for the totals and the fee estimate (default NGN)",
    )
    waiting(bulk)

    batch = command(
        "batch",
        "show batches (with --wait: follow them to the end)",
        "Fetches each batch CODE (a run of more than 1000 rows is several batches).",
    )
    batch.add_argument("codes", metavar="CODE", nargs="+", help="the batches' BCH_ codes")
    waiting(batch)

    reconcile = command(
        "reconcile",
        "every charge of a run's batches, its totals and problems",
        "Reads every charge of the batches CODE... and totals them by status. With --run FILE.csv (the "
        "file that was charged), finds the run's batches from the file itself and matches the whole file "
        "against them (missing, unexpected, amount mismatches, duplicates); --expected FILE.csv matches a "
        "file against the batches given.",
    )
    reconcile.add_argument("codes", metavar="CODE", nargs="*", help="the batches' BCH_ codes")
    reconcile.add_argument("--run", metavar="FILE.csv", help="the charged file: its run's batches, and what to match")
    reconcile.add_argument("--expected", metavar="FILE.csv", help="the charged file, matched against CODE...")
    reconcile.add_argument(
        "--run-name", metavar="NAME", help="the run name the file was charged under (as bulk-charge --run)"
    )
    reconcile.add_argument("--out", metavar="REPORT", help="write every charge to REPORT.csv or REPORT.html")
    reconcile.add_argument(
        "--retry-out",
        metavar="FILE.csv",
        help="write the failed charges as a charge file for bulk-charge (each under its retry reference, derived "
        "from the failed charge's: written twice, charged once)",
    )

    export = command(
        "export",
        "every transaction of a period, to CSV",
        "Writes every transaction from --from to --to (inclusive), every page, to --out.",
    )
    export.add_argument("--from", dest="start", required=True, metavar="DATE", help="first day, YYYY-MM-DD")
    export.add_argument("--to", dest="end", required=True, metavar="DATE", help="last day, YYYY-MM-DD")
    export.add_argument("--status", metavar="STATUS", help="only these: success, failed, abandoned, ...")
    export.add_argument("--out", required=True, metavar="FILE.csv", help="where to write them")

    verify = command("verify", "verify a transaction by its reference", "Verifies transaction REFERENCE.")
    verify.add_argument("reference", metavar="REFERENCE")
    verify.add_argument(
        "--show-authorization",
        action="store_true",
        help="print the whole authorization code (default: its last 4, e.g. …jjdt: with the secret key it "
        "charges the card again)",
    )

    from . import _payouts, _refund

    _payouts.add_parser(command)
    _refund.add_parser(command)

    # Listed in the help; its flags are the sandbox binary's, parsed by the Rust side (main()).
    commands.add_parser("sandbox", help="run the Paystack sandbox until Ctrl-C (see: paystack-rs sandbox --help)")
    return parser


def _split_json_flag(argv: list[str]) -> tuple[list[str], bool]:
    """``--json`` is accepted anywhere before a ``--`` (the sandbox's flags are not argparse's)."""
    end = argv.index("--") if "--" in argv else len(argv)
    head = [a for a in argv[:end] if a != "--json"]
    return head + argv[end:], len(head) != end


def _command_of(argv: list[str]) -> str | None:
    return next((a for a in argv if not a.startswith("-")), None)


def _quiet_library_warnings() -> None:
    """Without PAYSTACK_LOG, the library's warnings (an outcome-unknown charge) are not printed by
    logging's last-resort handler: the command's own error line says the same, with what to do."""
    if not os.environ.get("PAYSTACK_LOG"):
        import logging

        logger = logging.getLogger("paystack_rs")
        if not logger.handlers:
            logger.addHandler(logging.NullHandler())


def main(argv: Sequence[str] | None = None) -> int:
    raw = list(sys.argv[1:] if argv is None else argv)
    _quiet_library_warnings()
    args_list, as_json = _split_json_flag(raw)
    out = Output(as_json=as_json)
    command = _command_of(args_list)
    out.set(command=command)
    try:
        code = _dispatch(args_list, command, out)
    except CommandError as exc:
        code = _fail(out, exc.code, exc.message, exc.kind, exc.details)
    except KeyboardInterrupt:
        code = _fail(out, _output.EXIT_INTERRUPTED, "interrupted", "interrupted", {})
    except BrokenPipeError:
        # The reader went away (`| head`): nothing more can be said on stdout.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 (interpreter exit closes it)
        return _output.EXIT_FAILED
    except Exception as exc:
        code = _fail(out, *_classify(exc))
    out.set(ok=code == _output.EXIT_OK, exit_code=code)
    out.finish()
    return code


def _dispatch(argv: list[str], command: str | None, out: Output) -> int:
    if command == "sandbox" and argv and argv[0] == "sandbox":
        from ._commands import run_sandbox

        return run_sandbox(argv[1:], out)
    args = _parser().parse_args(argv)
    from . import _commands

    handler = {
        "bulk-charge": _commands.run_bulk_charge,
        "batch": _commands.run_batch,
        "reconcile": _commands.run_reconcile,
        "export": _commands.run_export,
        "verify": _commands.run_verify,
        "payouts": _run_payouts,
        "refund": _run_refund,
    }[args.command]
    return handler(args, out)


def _run_payouts(args: argparse.Namespace, out: Output) -> int:
    from . import _payouts

    progress = progress_arg(out, "pages read")
    return _payouts.run(args, out, make_client(request_timeout=args.request_timeout), progress)


def _run_refund(args: argparse.Namespace, out: Output) -> int:
    from . import _refund

    return _refund.run(args, out, make_client(request_timeout=args.request_timeout))


def _classify(exc: Exception) -> tuple[int, str, str, dict[str, Any]]:  # noqa: PLR0911 (one per kind)
    """The exit code, message and kind of an exception raised by the SDK (or anything else)."""
    from ..errors import (
        APIConnectionError,
        APIError,
        AuthenticationError,
        ConfigurationError,
        ValidationError,
    )

    kind = type(exc).__name__
    message = str(exc) or kind
    if isinstance(exc, AuthenticationError):
        hint = " (check PAYSTACK_SECRET_KEY: it is refused by the server at PAYSTACK_BASE_URL)"
        return _output.EXIT_CONFIG, message + hint, kind, {"status_code": exc.status_code}
    if isinstance(exc, ConfigurationError):
        return _output.EXIT_CONFIG, message, kind, {}
    if isinstance(exc, ValidationError):
        return _output.EXIT_USAGE, message, kind, {"errors": getattr(exc, "errors", None) or []}
    if isinstance(exc, APIConnectionError):
        return _output.EXIT_CONNECTION, message, kind, {}
    if isinstance(exc, APIError):
        details = {"status_code": exc.status_code, "code": exc.code, "paystack_message": exc.paystack_message}
        if exc.outcome_unknown_reference:
            details["outcome_unknown_reference"] = exc.outcome_unknown_reference
        return _output.EXIT_FAILED, message, kind, details
    if isinstance(exc, OSError):
        return _output.EXIT_FAILED, f"{exc.filename + ': ' if exc.filename else ''}{exc.strerror or exc}", kind, {}
    return _output.EXIT_FAILED, f"unexpected {kind}: {message}", kind, {}


def _fail(out: Output, code: int, message: str, kind: str, details: dict[str, Any]) -> int:
    print(f"{PROGRAM}: {message}", file=sys.stderr, flush=True)
    out.set(error={"kind": kind, "message": message, **details})
    return code


if __name__ == "__main__":
    sys.exit(main())

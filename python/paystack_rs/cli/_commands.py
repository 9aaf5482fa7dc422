"""The commands other than ``bulk-charge`` (``_bulk``): each a thin view of the SDK's own calls
(``bulk_charge.fetch`` / ``wait``, ``reconcile.batch`` / ``transactions``, ``transaction.verify``,
the sandbox server), so the command and the library share one code path."""

from __future__ import annotations

import datetime
import json
import os
import signal
import sys
import threading
from typing import TYPE_CHECKING, Any

from . import _output
from ._output import CommandError, Output, masked_authorization, money, plural, waiting_stopped, wrap
from ._report_file import report_format, write_report
from ._session import make_client, progress_arg

if TYPE_CHECKING:
    import argparse

    from ..reconcile import Report


def _client(args: argparse.Namespace) -> Any:
    return make_client(request_timeout=args.request_timeout)


# -- bulk-charge -----------------------------------------------------------------------------


def run_bulk_charge(args: argparse.Namespace, out: Output) -> int:
    from . import _bulk

    _check_waiting(args)
    return _bulk.run(args, out, lambda: _client(args))


def _check_waiting(args: argparse.Namespace) -> None:
    if args.timeout is not None and args.timeout <= 0:
        raise CommandError(_output.EXIT_USAGE, f"--timeout must be a positive number of seconds, not {args.timeout}")
    if args.poll_interval <= 0:
        raise CommandError(
            _output.EXIT_USAGE, f"--poll-interval must be a positive number of seconds, not {args.poll_interval}"
        )


# -- batch -----------------------------------------------------------------------------------

_BATCH_FIELDS = ("batch_code", "status", "total_charges", "pending_charges", "createdAt", "updatedAt")


def run_batch(args: argparse.Namespace, out: Output) -> int:
    """One or more batches (a run of a file over 1000 rows is several): each shown, with
    ``--wait`` followed to the end in turn and its totals shown."""
    _check_waiting(args)
    client = _client(args)
    codes = list(dict.fromkeys(args.codes))
    shown: list[dict[str, Any]] = []
    failed = 0
    totals: dict[str, Any] = {}
    for code in codes:
        if args.wait:
            try:
                batch = client.bulk_charge.wait(
                    code, timeout=args.timeout, poll_interval=args.poll_interval, progress=progress_arg(out)
                ).data
            except KeyboardInterrupt:
                # Only the waiting stops: the operator must not take it for a paused batch.
                rest = codes[codes.index(code) :]
                raise waiting_stopped(
                    out,
                    rest,
                    f"interrupted while waiting: batch {code} carries on at Paystack "
                    f"(follow it again with: paystack-rs batch {' '.join(rest)} --wait)",
                ) from None
        else:
            batch = client.bulk_charge.fetch(code).data
        shown.append(dict(batch))
        if len(codes) > 1 and len(shown) > 1:
            out.line()
        for name in _BATCH_FIELDS:
            value = batch.get(name)
            out.line(f"{name:<16}{'-' if value is None else value}")
        if args.wait:
            from .. import reconcile

            report = reconcile.batch(str(batch.get("batch_code") or code), client=client)
            _show_totals(out, report)
            failed += len(report.failed)
            totals[str(batch.get("batch_code") or code)] = report.totals
    out.set(batch=shown[0] if len(shown) == 1 else None, batches=shown)
    if not args.wait:
        return _output.EXIT_OK
    if len(codes) == 1:
        out.set(totals=next(iter(totals.values())), failed=failed)
    else:
        out.set(totals_by_batch=totals, failed=failed)
    return _output.EXIT_FAILED if failed else _output.EXIT_OK


def _show_totals(out: Output, report: Report) -> None:
    for status, currencies in sorted(report.totals.items()):
        for currency, t in sorted(currencies.items()):
            out.line(f"  {status:<22}{t['count']:>7}  {money(t['amount'], currency)}")


# -- reconcile -------------------------------------------------------------------------------


def run_reconcile(args: argparse.Namespace, out: Output) -> int:
    """Batches against the file that was charged: several codes, or ``--run FILE.csv`` (the run's
    batches found from the file), the whole file matched across all of them."""
    from .. import _charge_file, reconcile

    out_format = report_format(args.out) if args.out else None
    if args.retry_out and os.path.splitext(args.retry_out)[1].lower() != ".csv":
        raise CommandError(
            _output.EXIT_USAGE, f"--retry-out {args.retry_out}: the retry file is a charge file, FILE.csv"
        )
    if args.run and args.expected:
        raise CommandError(
            _output.EXIT_USAGE, "give the charged file once: --run FILE.csv or --expected FILE.csv, not both"
        )
    source = args.run or args.expected
    if not args.codes and not args.run:
        raise CommandError(
            _output.EXIT_USAGE, "give the batch codes (BCH_...), or the file that was charged: --run FILE.csv"
        )
    client = _client(args)
    codes = list(dict.fromkeys(args.codes))
    expected = None
    if source:
        from . import _bulk

        try:
            charges = _charge_file.read(source, run=args.run_name, require_authorization=False)
        except _charge_file.InvalidFile as invalid:
            raise _bulk.invalid_file(invalid) from None
        plan = _charge_file.plan(client, charges)
        # Each row under the reference of the charge that holds it (or would hold it: then missing).
        expected = [
            {**row.item, "reference": d["reference"]} for row, d in zip(charges.rows, plan["rows"], strict=True)
        ]
        if not codes:
            held = [d.get("charge") or {} for d in plan["rows"]] + plan["orphans"]
            codes = list(dict.fromkeys(str(c["batch_code"]) for c in held if c.get("batch_code")))
            if not codes:
                raise CommandError(
                    _output.EXIT_FAILED,
                    f"no batch of run {charges.name!r} holds a row of {source}: nothing of it was charged "
                    "(--run-name NAME if it was charged under another run name)",
                    kind="not_charged",
                )
    report = reconcile.batches(codes, client=client, expected=expected, progress=progress_arg(out, "charges read"))
    failed, pending = len(report.failed), len(report.pending)
    problems: dict[str, Any] = {"failed": failed, "pending": pending}
    statuses = ", ".join(str(b.get("status")) for b in report.batches)
    out.line(
        wrap(
            f"{plural(len(codes), 'batch', 'batches')} {report.source}: {plural(len(report), 'charge')} ({statuses})", 2
        )
    )
    _show_totals(out, report)
    if expected is not None:
        checks = {
            "missing": report.missing or [],
            "unexpected": report.unexpected.to_records() if report.unexpected is not None else [],
            "amount_mismatch": report.amount_mismatch or [],
            "duplicates": report.duplicates or [],
        }
        out.line(f"against {plural(len(expected), 'expected charge')} in {source}:")
        for name, found in checks.items():
            out.line(f"  {name:<22}{len(found):>7}")
            for entry in found[:20]:
                out.line(f"    {_describe(entry)}")
            if len(found) > 20:
                out.line(f"    ... and {len(found) - 20} more (--out writes every charge)")
            problems[name] = len(found)
        out.set(**checks)
    out.set(batch_code=codes[0] if len(codes) == 1 else None, batch_codes=codes)
    out.set(count=len(report), totals=report.totals, problems=problems)
    if args.out:
        write_report(args.out, out_format or "csv", to_csv=report.to_csv, html=lambda: _report_html(report))
        out.set(out=args.out)
        out.line(f"wrote {plural(len(report), 'charge')} to {args.out}")
    for row in report.failed:
        amount = money(row["amount"], row["currency"] or "")
        out.line(
            wrap(
                f"  failed: {row['reference']} {amount}: {row['gateway_response']}",
                4,
            )
        )
    if args.retry_out:
        retry = report.retry_items()
        _write_retry_file(retry.charges, args.retry_out)
        out.set(retry_out=args.retry_out, retry_count=len(retry.charges))
        out.line(
            wrap(
                f"wrote {plural(len(retry.charges), 'retry', 'retries')} to {args.retry_out}: charge them with "
                f"paystack-rs bulk-charge {args.retry_out} (their references are derived from the failed ones: "
                "running it twice charges no one twice)",
                0,
            )
        )
    return _output.EXIT_FAILED if any(problems.values()) else _output.EXIT_OK


def _write_retry_file(items: Any, path: str) -> None:
    """The failed charges again as a charge file (``reconcile.Report.retry_items``: the same
    authorization and amount, the retry's reference), written beside ``path`` and renamed."""
    import csv

    partial = f"{path}.partial"
    with open(partial, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["authorization", "amount", "reference", "metadata"])
        for item in items:
            metadata = item.metadata
            writer.writerow([item.authorization, item.amount, item.reference, json.dumps(metadata) if metadata else ""])
    os.replace(partial, path)


def _describe(entry: dict[str, Any]) -> str:
    keys = ("reference", "expected_amount", "amount", "status", "where", "count")
    return ", ".join(f"{k}={entry[k]}" for k in keys if entry.get(k) is not None)


def _report_html(report: Report) -> str:
    from html import escape

    from .._html import table
    from ..reconcile import COLUMNS

    shown = [name for name in COLUMNS if name != "metadata"]
    rows = [[row[name] for name in shown] for row in report]
    title = escape(f"paystack-rs reconcile {report.source}")
    summary = report._repr_html_()  # the totals and checks, as in Jupyter
    return (
        f'<!doctype html>\n<html><head><meta charset="utf-8"><title>{title}</title></head><body>'
        f"<h1>{title}</h1>{summary}<h2>Every charge</h2>{table(shown, rows)}</body></html>\n"
    )


# -- export ----------------------------------------------------------------------------------


def _date(flag: str, value: str) -> datetime.date:
    import re

    text = value.strip()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            year, month, day = (int(part) for part in text.split("-"))
            if not 1 <= month <= 12:
                raise CommandError(_output.EXIT_USAGE, f"{flag} {value!r}: there is no month {month}") from None
            raise CommandError(_output.EXIT_USAGE, f"{flag} {value!r}: {year}-{month:02d} has no day {day}") from None
        raise CommandError(
            _output.EXIT_USAGE, f"{flag} {value!r}: a date is written YYYY-MM-DD, e.g. 2024-08-31"
        ) from None


def run_export(args: argparse.Namespace, out: Output) -> int:
    from .. import reconcile

    start, end = _date("--from", args.start), _date("--to", args.end)
    if start > end:
        raise CommandError(_output.EXIT_USAGE, f"--from {start} is after --to {end}")
    directory = os.path.dirname(os.path.abspath(args.out))
    if not os.path.isdir(directory):
        raise CommandError(_output.EXIT_USAGE, f"--out {args.out}: the folder {directory} does not exist")
    client = _client(args)
    report = reconcile.transactions(
        client=client,
        _from=start.isoformat(),
        to=end.isoformat(),
        status=args.status,
        progress=progress_arg(out, "transactions read"),
    )
    partial = f"{args.out}.partial"
    report.to_csv(partial)
    os.replace(partial, args.out)
    out.set(out=args.out, count=len(report), totals=report.totals, source=report.source)
    out.line(f"wrote {plural(len(report), 'transaction')} ({report.source}) to {args.out}")
    _show_totals(out, report)
    return _output.EXIT_OK


# -- verify ----------------------------------------------------------------------------------


def run_verify(args: argparse.Namespace, out: Output) -> int:
    """The transaction, its authorization code masked in the text and in the ``--json`` document
    alike (``--show-authorization`` shows it whole): output is pasted into tickets and CI logs."""
    transaction = dict(_client(args).transaction.verify(args.reference).data)
    customer = transaction.get("customer") or {}
    authorization = transaction.get("authorization") or {}
    if isinstance(authorization, dict) and authorization.get("authorization_code") and not args.show_authorization:
        authorization = {
            **authorization,
            "authorization_code": masked_authorization(authorization["authorization_code"]),
        }
        transaction["authorization"] = authorization
    shown = {
        "reference": transaction.get("reference"),
        "status": transaction.get("status"),
        "amount": money(transaction.get("amount"), str(transaction.get("currency") or "")),
        "gateway_response": transaction.get("gateway_response"),
        "paid_at": transaction.get("paid_at") or transaction.get("paidAt"),
        "customer": customer.get("email") if isinstance(customer, dict) else None,
        "card": _card(authorization),
        "authorization": authorization.get("authorization_code") if isinstance(authorization, dict) else None,
    }
    # The transaction under "data", as every other document of the command (and Paystack's envelope).
    out.set(data=transaction)
    for name, value in shown.items():
        out.line(f"{name:<18}{'-' if value in (None, '') else value}")
    return _output.EXIT_OK if transaction.get("status") == "success" else _output.EXIT_FAILED


def _card(authorization: Any) -> str | None:
    if not isinstance(authorization, dict) or not authorization.get("last4"):
        return None
    brand = str(authorization.get("brand") or authorization.get("card_type") or "card").strip()
    return f"{brand} ****{authorization['last4']}"


# -- sandbox ---------------------------------------------------------------------------------


def run_sandbox(argv: list[str], out: Output) -> int:
    """The sandbox binary's flags, parsed by the binary's own parser through the extension (one
    set of flags, defaults and errors); the base URL alone on stdout's first line, as the binary."""
    from .. import _core
    from ..errors import ConfigurationError
    from ..sandbox import Sandbox

    try:
        config_json = _core.sandbox_args(argv)
    except ConfigurationError as exc:
        raise CommandError(
            _output.EXIT_USAGE, f"sandbox: {exc} (see paystack-rs sandbox --help)", kind="usage"
        ) from None
    if config_json is None:
        print(_core.sandbox_usage("paystack-rs sandbox"), flush=True)
        out.as_json = False
        return _output.EXIT_OK
    config = json.loads(config_json)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    with Sandbox(**config) as sandbox:
        banner = _core.sandbox_banner(sandbox.base_url, config_json)
        if out.as_json:
            # A long-running command: its document is printed when it is ready, not at the end.
            document = {
                "command": "sandbox",
                "ok": True,
                "base_url": sandbox.base_url,
                "dashboard": f"{sandbox.base_url}/_sandbox/",
                "default_key": sandbox.secret_key == _core.SANDBOX_DEFAULT_SECRET_KEY,
                "keys": len(config.get("keys") or []),
            }
            print(json.dumps(document), flush=True)
            out.as_json = False
        else:
            print(sandbox.base_url, flush=True)
        print(banner, file=sys.stderr, flush=True)
        while not stop.wait(0.5):
            pass
    return _output.EXIT_OK

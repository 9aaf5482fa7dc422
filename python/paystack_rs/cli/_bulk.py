"""``paystack-rs bulk-charge FILE.csv``: check every row, show what will be charged, ask, submit in
batches of at most 1000, and with ``--wait`` follow the batches to the end and summarise them.

Re-running the same file is safe: the references are derived from the file and its rows
(``_charge_file``), so Paystack refuses a batch whose references it has seen ("Duplicate
Transaction Reference") instead of charging anyone again. When that happens the command finds out
which of the batch's references Paystack already has (a verify, then the whole batch that
charged it, page by page) and submits only the rest; a re-run of a file that went through submits
nothing and, with ``--wait``, reports on the batches that charged it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import _core
from ..errors import APIConnectionError, APIError, PaystackError
from . import _charge_file
from ._output import (
    EXIT_CONNECTION,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    Output,
    masked_authorization,
    money,
    plural,
)

if TYPE_CHECKING:
    import argparse

    from .._client import Paystack
    from ._charge_file import ChargeFile, Row


@dataclass
class Submitted:
    """What became of one batch of the file."""

    number: int
    rows: list[Row]
    #: The batch Paystack created for the rows sent now (None when every row was already there).
    batch_code: str | None = None
    #: Rows Paystack already had, by reference: the batch that has each (None: not a bulk charge).
    existing: dict[str, str | None] = field(default_factory=dict)
    #: Amounts Paystack has for existing rows, where they differ from the file's.
    changed_amounts: dict[str, int] = field(default_factory=dict)

    @property
    def sent(self) -> list[Row]:
        return [row for row in self.rows if row.reference not in self.existing]

    def batch_codes(self) -> list[str]:
        codes = [self.batch_code] if self.batch_code else []
        codes += [code for code in dict.fromkeys(self.existing.values()) if code and code not in codes]
        return codes

    def to_json(self) -> dict[str, Any]:
        return {
            "batch": self.number,
            "lines": [self.rows[0].line, self.rows[-1].line],
            "count": len(self.rows),
            "amount": sum(row.amount for row in self.rows),
            "batch_code": self.batch_code,
            "submitted": len(self.sent),
            "already_submitted": len(self.existing),
            "already_in": self.batch_codes() if self.existing else [],
        }


def run(args: argparse.Namespace, out: Output, make_client: Any) -> int:
    try:
        charges = _charge_file.read(args.file, run=args.run)
    except _charge_file.InvalidFile as invalid:
        raise invalid_file(invalid) from None
    currency = args.currency
    batches = charges.batches()
    total = charges.total
    fees = _core.estimated_card_fees([row.amount for row in charges.rows], currency)
    out.set(
        file=charges.path,
        run=charges.name,
        count=len(charges.rows),
        batches=len(batches),
        total=total,
        currency=currency,
        estimated_fees=fees,
        derived_references=charges.derived,
    )
    if args.dry_run:
        _show_plan(out, charges, len(batches), fees, currency, target=None)
        out.set(outcome="dry_run", references=[row.reference for row in charges.rows])
        out.line("Dry run: nothing was sent.")
        return EXIT_OK
    client: Paystack = make_client()
    _show_plan(out, charges, len(batches), fees, currency, target=client)
    if not args.yes:
        _confirm(out, charges, len(batches), currency, client)
    results: list[Submitted] = []
    out.set(outcome="submitting", submitted=results)
    try:
        for number, rows in enumerate(batches, start=1):
            results.append(_submit(client, out, number, len(batches), rows))
    except PaystackError as exc:
        _record(out, results)
        raise _stopped(exc, results, len(batches)) from None
    except KeyboardInterrupt:
        _record(out, results)
        out.set(outcome="interrupted")
        # One line, as every error: what was submitted, and that a re-run sends only the rest.
        raise CommandError(
            EXIT_INTERRUPTED, _resume_hint(results, len(batches), interrupted=True), kind="interrupted"
        ) from None
    _record(out, results)
    fresh = sum(len(r.sent) for r in results)
    again = sum(len(r.existing) for r in results)
    out.set(outcome="submitted", submitted_count=fresh, already_submitted_count=again)
    if again and not fresh:
        out.line(
            f"Nothing new to charge: all {plural(again, 'row')} of {charges.path} were already submitted "
            f"(run {charges.name!r}). To charge the same customers again, give the run a new name: --run NAME."
        )
    if not args.wait:
        codes = [code for r in results for code in r.batch_codes()]
        out.line(f"Follow them with: paystack-rs batch {' '.join(dict.fromkeys(codes))} --wait" if codes else "")
        return EXIT_OK
    return _wait_and_summarise(args, out, client, charges, results, currency)


# -- the plan and the confirmation -----------------------------------------------------------


def _show_plan(out: Output, charges: ChargeFile, batches: int, fees: int, currency: str, target: Any) -> None:
    count = len(charges.rows)
    out.line(f"{charges.path}: {plural(count, 'charge')} in {plural(batches, 'batch', 'batches')}")
    out.line(f"  total           {money(charges.total, currency)}  ({charges.total} in the subunit)")
    out.line(f"  estimated fees  {money(fees, currency)}  (Paystack's card pricing, an estimate)")
    if charges.derived:
        example = next(row.reference for row in charges.rows if row.derived)
        out.line(
            f"  references      {charges.derived} derived from the run name {charges.name!r} "
            f"(e.g. {example}; --run sets another name)"
        )
    if target is not None:
        mode = str(target.mode).upper()
        out.line(f"  to              {target.base_url} with a {mode} key")


def _confirm(out: Output, charges: ChargeFile, batches: int, currency: str, client: Any) -> None:
    question = (
        f"Charge {plural(len(charges.rows), 'customer')} {money(charges.total, currency)} "
        f"({str(client.mode).upper()} key) in {plural(batches, 'batch', 'batches')}? [y/N] "
    )
    stdin = sys.stdin
    if stdin is None or not stdin.isatty():
        raise CommandError(
            EXIT_USAGE,
            "refusing to charge without a confirmation: standard input is not a terminal (pass --yes to charge "
            "without asking, or --dry-run to check the file only); nothing was sent",
            kind="confirmation_required",
        )
    sys.stderr.write(question)
    sys.stderr.flush()
    answer = stdin.readline().strip().lower()
    if answer not in ("y", "yes"):
        out.set(outcome="cancelled")
        raise CommandError(EXIT_FAILED, "cancelled: nothing was charged", kind="cancelled")


# -- submitting ------------------------------------------------------------------------------


def _submit(client: Paystack, out: Output, number: int, of: int, rows: list[Row]) -> Submitted:
    result = Submitted(number, rows)
    label = f"batch {number}/{of} (lines {rows[0].line}-{rows[-1].line}, {plural(len(rows), 'charge')})"
    try:
        result.batch_code = _initiate(client, rows)
    except APIError as exc:
        if not _is_duplicate(exc):
            raise
        # Some (or all) of these references are Paystack's already: a re-run, or an edited file.
        result.existing, result.changed_amounts = _find_existing(client, rows)
        if not result.existing:
            raise
        if result.sent:
            result.batch_code = _initiate(client, result.sent)
    for reference, amount in result.changed_amounts.items():
        row = next(r for r in rows if r.reference == reference)
        out.note(
            f"warning: line {row.line}: {reference} was already submitted for {amount} (the file now says "
            f"{row.amount}); it is not charged again"
        )
    if result.existing and not result.sent:
        out.line(f"{label}: already submitted ({', '.join(result.batch_codes()) or 'as single charges'})")
    elif result.existing:
        out.line(
            f"{label}: {len(result.existing)} already submitted, {len(result.sent)} submitted as {result.batch_code}"
        )
    else:
        out.line(f"{label}: submitted as {result.batch_code}")
    return result


def _initiate(client: Paystack, rows: list[Row]) -> str:
    batch = _core.BulkChargeListObject([row.item for row in rows])
    data = client.bulk_charge.initiate(batch).data
    return str(data["batch_code"])


def _is_duplicate(exc: APIError) -> bool:
    if exc.code == _core.DUPLICATE_REFERENCE_CODE:
        return True
    return _core.DUPLICATE_REFERENCE_MESSAGE.lower() in str(exc.paystack_message or "").lower()


def _is_not_found(exc: APIError) -> bool:
    from ..errors import NotFoundError

    if isinstance(exc, NotFoundError) or exc.code == _core.NOT_FOUND_CODE:
        return True
    return _core.REFERENCE_NOT_FOUND_MESSAGE.lower().rstrip(".") in str(exc.paystack_message or "").lower()


def _find_existing(client: Paystack, rows: list[Row]) -> tuple[dict[str, str | None], dict[str, int]]:
    """Which of these rows' references Paystack has, and in which batch.

    One verify per reference not yet accounted for; a verified bulk charge names its batch, whose
    charges are then read page by page, so a whole batch already submitted costs one verify and
    its pages rather than a verify per row.
    """
    wanted = {row.reference: row for row in rows}
    existing: dict[str, str | None] = {}
    amounts: dict[str, int] = {}
    read_batches: set[str] = set()
    for reference, row in wanted.items():
        if reference in existing:
            continue
        try:
            transaction = client.transaction.verify(reference).data
        except APIError as exc:
            if _is_not_found(exc):
                continue
            raise
        code = _batch_code_of(transaction)
        existing[reference] = code
        amounts[reference] = _int(transaction.get("amount"), row.amount)
        if code is not None and code not in read_batches:
            read_batches.add(code)
            for charge in client.bulk_charge.charges(code, per_page=100).auto_paging_iter():
                found = _charge_reference(charge)
                if found in wanted and found not in existing:
                    existing[found] = code
                    amounts[found] = _int(charge.get("amount"), wanted[found].amount)
    changed = {ref: amount for ref, amount in amounts.items() if amount != wanted[ref].amount}
    return existing, changed


def _batch_code_of(transaction: Any) -> str | None:
    """The batch a bulk charge's transaction came from: Paystack's ``bulkcharge_batch_code``
    custom field (docs/paystack-api.md §3.6)."""
    metadata = transaction.get("metadata") if isinstance(transaction, dict) else None
    fields = metadata.get("custom_fields") if isinstance(metadata, dict) else None
    for entry in fields if isinstance(fields, list) else []:
        if isinstance(entry, dict) and entry.get("variable_name") == "bulkcharge_batch_code":
            value = entry.get("value")
            return str(value) if value else None
    return None


def _charge_reference(charge: Any) -> str | None:
    if not isinstance(charge, dict):
        return None
    reference = charge.get("reference")
    if not reference and isinstance(charge.get("transaction"), dict):
        reference = charge["transaction"].get("reference")
    return str(reference) if reference else None


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _record(out: Output, results: list[Submitted]) -> None:
    out.set(submitted=[r.to_json() for r in results])


def _resume_hint(results: list[Submitted], of: int, *, interrupted: bool) -> str:
    done = ", ".join(code for r in results for code in r.batch_codes()) or "none"
    what = "interrupted" if interrupted else "stopped"
    # Ctrl-C during a batch's request: it may have reached Paystack (a re-run finds it, not sends it).
    in_flight = interrupted and len(results) < of
    unsure = f"; batch {len(results) + 1} may or may not have reached Paystack" if in_flight else ""
    return (
        f"{what} after {len(results)} of {of} batches were submitted (submitted: {done}){unsure}; run the same "
        "command again to submit only the rest: the references are derived from the file, so nothing is "
        "charged twice"
    )


def _stopped(exc: PaystackError, results: list[Submitted], of: int) -> PaystackError:
    """The error that stopped the submission, its message telling what was submitted before it."""
    hint = _resume_hint(results, of, interrupted=False)
    if isinstance(exc, APIConnectionError):
        hint = f"the last batch may or may not have reached Paystack; {hint}"
    exc.message = f"{exc.message} ({hint})"
    return exc


def invalid_file(invalid: _charge_file.InvalidFile) -> CommandError:
    problems = invalid.problems
    shown = "\n".join(f"  {problem}" for problem in problems)
    return CommandError(
        EXIT_USAGE,
        f"{invalid.path}: {plural(len(problems), 'problem')}, nothing was sent:\n{shown}",
        kind="invalid_file",
        details={"problems": [p.to_json() for p in problems]},
    )


# -- waiting ---------------------------------------------------------------------------------


def _wait_and_summarise(
    args: argparse.Namespace,
    out: Output,
    client: Paystack,
    charges: ChargeFile,
    results: list[Submitted],
    currency: str,
) -> int:
    from .. import reconcile
    from ._commands import progress_arg

    by_reference = charges.by_reference()
    codes = list(dict.fromkeys(code for r in results for code in r.batch_codes()))
    summary = {"success": [0, 0], "failed": [0, 0], "pending": [0, 0]}
    failed: list[dict[str, Any]] = []
    try:
        for code in codes:
            client.bulk_charge.wait(
                code, timeout=args.timeout, poll_interval=args.poll_interval, progress=progress_arg(out)
            )
            report = reconcile.batch(code, client=client)
            for row in report:
                reference = row["reference"]
                if reference not in by_reference:
                    continue  # a charge of an earlier batch that is not in this file
                bucket = _bucket(row["status"])
                summary[bucket][0] += 1
                summary[bucket][1] += _int(row["amount"], 0)
                if bucket == "failed":
                    line = by_reference[reference].line
                    # An authorization code is a credential to charge the card: its last 4 only.
                    last4 = str(row["authorization"] or "")[-4:]
                    failed.append({"line": line, "reference": reference, "authorization_last4": last4})
                    failed[-1]["amount"] = row["amount"]
                    failed[-1]["status"] = row["status"]
                    failed[-1]["gateway_response"] = row["gateway_response"]
    except KeyboardInterrupt:
        out.set(outcome="wait_stopped", batch_codes=codes)
        raise CommandError(
            EXIT_INTERRUPTED,
            f"interrupted while waiting: every batch was submitted and carries on at Paystack "
            f"(follow them with: paystack-rs batch {' '.join(codes)} --wait)",
            kind="interrupted",
        ) from None
    except APIConnectionError as exc:
        out.set(outcome="wait_stopped", batch_codes=codes)
        raise CommandError(
            EXIT_CONNECTION,
            f"{exc.message} (the batches carry on at Paystack: paystack-rs batch {' '.join(codes)} --wait)",
            kind=type(exc).__name__,
        ) from None
    failed.sort(key=lambda f: f["line"])
    out.set(
        outcome="complete",
        batch_codes=codes,
        summary={k: {"count": v[0], "amount": v[1]} for k, v in summary.items()},
        failed=failed,
    )
    out.line(f"Complete: {', '.join(codes)}")
    out.line(f"  succeeded  {summary['success'][0]:>6}  {money(summary['success'][1], currency)}")
    out.line(f"  failed     {summary['failed'][0]:>6}  {money(summary['failed'][1], currency)}")
    if summary["pending"][0]:
        out.line(f"  pending    {summary['pending'][0]:>6}  {money(summary['pending'][1], currency)}")
    for entry in failed:
        card = masked_authorization(entry["authorization_last4"]) or "-"
        out.line(
            f"  line {entry['line']}: {entry['reference']} (card {card}) "
            f"{money(entry['amount'], currency)}: {entry['status']} ({entry['gateway_response'] or 'no reason given'})"
        )
    if failed:
        each = codes[0] if len(codes) == 1 else "CODE"
        out.line(
            f"To retry the failed charges: paystack-rs reconcile {each} --retry-out retry.csv"
            f"{'' if len(codes) == 1 else ' (for each batch)'}, then paystack-rs bulk-charge retry.csv"
        )
    return EXIT_FAILED if failed or summary["pending"][0] else EXIT_OK


def _bucket(status: Any) -> str:
    from ..reconcile import FAILED_STATUSES

    if status == "success":
        return "success"
    return "failed" if status in FAILED_STATUSES else "pending"

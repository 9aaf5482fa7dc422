"""``paystack-rs bulk-charge FILE.csv``: check every row, find what the run already charged, show
what will be charged, ask, submit the new rows in batches of at most 1000, and with ``--wait``
follow the batches to the end and summarise them.

Which rows are new is the core's row identity (``_core.ChargeFinder``, the rule in docs/cli.md):
the file is compared with the run's earlier charges at Paystack (a verify per reference the file
gives and per card's next slot, and the pages of the batches they name) before anything is sent.
Reordered, copied, grown or shrunk files, and references filled in later, charge nobody twice;
rows that cannot be told from earlier charges (an amount edited, or a row deleted and another
inserted) are refused before sending, with what to write to decide them. This module presents the
plan, asks, and sends; it decides nothing about Paystack.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import _charge_file, _core
from ..errors import APIConnectionError, APIError, PaystackError
from . import _output
from ._output import CommandError, Output, confirm, masked_authorization, money, plural, waiting_stopped, wrap

if TYPE_CHECKING:
    import argparse

    from .._charge_file import ChargeFile, Row
    from .._client import Paystack


@dataclass
class Submitted:
    """One batch of the rows sent now."""

    number: int
    rows: list[Row]
    references: list[str]
    batch_code: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "batch": self.number,
            "lines": [self.rows[0].line, self.rows[-1].line],
            "count": len(self.rows),
            "amount": sum(row.amount for row in self.rows),
            "batch_code": self.batch_code,
        }


def run(args: argparse.Namespace, out: Output, make_client: Any) -> int:
    try:
        charges = _charge_file.read(args.file, run=args.run)
    except _charge_file.InvalidFile as invalid:
        raise invalid_file(invalid) from None
    currency = args.currency
    out.set(
        file=charges.path,
        run=charges.name,
        count=len(charges.rows),
        cards=charges.cards,
        total=charges.total,
        currency=currency,
    )
    if args.dry_run:
        # Nothing is looked up: the references a first run of the file would use.
        fresh = _core.ChargeFinder(charges.name, [row.identity() for row in charges.rows]).plan()
        rows = list(charges.rows)
        fees = _core.estimated_card_fees([row.amount for row in rows], currency)
        out.set(
            batches=_batch_count(len(rows)),
            estimated_fees=fees,
            derived_references=charges.without_reference,
            references=[r["reference"] for r in fresh["rows"]],
            outcome="dry_run",
        )
        out.line(
            f"{charges.path}: {plural(len(rows), 'charge')} in {plural(_batch_count(len(rows)), 'batch', 'batches')}"
        )
        out.line(wrap(f"  total           {money(charges.total, currency)}  ({charges.total} in the subunit)", 18))
        out.line(wrap(f"  customers       {plural(charges.cards, 'card')}", 18))
        out.line(wrap(f"  estimated fees  {money(fees, currency)}  (Paystack's card pricing, an estimate)", 18))
        out.line(
            wrap(
                "Dry run: nothing was sent, nothing looked up. A run compares the file with what the run "
                f"{charges.name!r} already charged before it asks.",
                0,
            )
        )
        return _output.EXIT_OK
    client: Paystack = make_client()
    plan = _charge_file.plan(client, charges)
    decided = plan["rows"]
    _record_plan(out, plan)
    if plan["refused"]:
        raise _ambiguous(charges, plan)
    new = [(row, d["reference"]) for row, d in zip(charges.rows, decided, strict=True) if d["decision"] == "new"]
    batches = [new[i : i + _core.MAX_BATCH_SIZE] for i in range(0, len(new), _core.MAX_BATCH_SIZE)]
    fees = _core.estimated_card_fees([row.amount for row, _ in new], currency)
    out.set(batches=len(batches), estimated_fees=fees, derived_references=charges.without_reference)
    _show_plan(out, charges, plan, len(batches), fees, currency, client)
    for entry in plan["rows"]:
        if entry["decision"] == "edited":
            charge = entry["charge"]
            out.note(
                wrap(
                    f"warning: line {entry['line']}: {charge['reference']} was already submitted for "
                    f"{charge['amount']} (the file now says {entry['amount']}); it is not charged again",
                    2,
                    stream=sys.stderr,
                )
            )
    earlier = _earlier_batches(plan)
    if not new:
        done = plan["counts"]["charged"] + plan["counts"]["edited"]
        everything = "all " if done == len(charges.rows) else ""
        out.set(outcome="submitted", submitted=[], submitted_count=0, already_submitted_count=done)
        out.line(
            wrap(
                f"Nothing new to charge: {everything}{plural(done, 'row')} of {charges.path} were already "
                f"submitted (run {charges.name!r}). To charge the same customers again, give the run a new "
                "name: --run NAME.",
                0,
            )
        )
        if args.wait and earlier:
            return _wait_and_summarise(args, out, client, charges, plan, earlier, currency)
        if earlier:
            out.line(wrap(f"Follow them with: paystack-rs batch {' '.join(earlier)} --wait", 0))
        return _output.EXIT_OK
    if not args.yes:
        _confirm(out, plan, len(batches), currency, client)
    results: list[Submitted] = []
    out.set(outcome="submitting", submitted=results)
    try:
        for number, chunk in enumerate(batches, start=1):
            results.append(_submit(client, out, number, len(batches), chunk))
    except PaystackError as exc:
        _record(out, results)
        raise _stopped(exc, results, len(batches)) from None
    except KeyboardInterrupt:
        _record(out, results)
        out.set(outcome="interrupted")
        # One line, as every error: what was submitted, and that a re-run sends only the rest.
        raise CommandError(
            _output.EXIT_INTERRUPTED, _resume_hint(results, len(batches), interrupted=True), kind="interrupted"
        ) from None
    _record(out, results)
    already = plan["counts"]["charged"] + plan["counts"]["edited"]
    out.set(outcome="submitted", submitted_count=len(new), already_submitted_count=already)
    codes = list(dict.fromkeys([r.batch_code for r in results if r.batch_code] + earlier))
    if not args.wait:
        out.line(wrap(f"Follow them with: paystack-rs batch {' '.join(codes)} --wait", 0))
        return _output.EXIT_OK
    return _wait_and_summarise(args, out, client, charges, plan, codes, currency)


def _batch_count(rows: int) -> int:
    return -(-rows // _core.MAX_BATCH_SIZE)


def _earlier_batches(plan: dict[str, Any]) -> list[str]:
    """The batches holding rows of the file charged by earlier runs, in file order."""
    codes = [(d.get("charge") or {}).get("batch_code") for d in plan["rows"] if d["decision"] != "new"]
    return list(dict.fromkeys(code for code in codes if code))


def _record_plan(out: Output, plan: dict[str, Any]) -> None:
    out.set(
        plan={
            "counts": plan["counts"],
            "edited": [
                {
                    "line": d["line"],
                    "reference": d["reference"],
                    "amount": d["amount"],
                    "charged_amount": d["charge"]["amount"],
                }
                for d in plan["rows"]
                if d["decision"] == "edited"
            ],
            "not_in_file": [{"reference": c["reference"], "amount": c["amount"]} for c in plan["orphans"]],
        },
        rows=[{"line": d["line"], "reference": d["reference"], "decision": d["decision"]} for d in plan["rows"]],
    )


# -- the plan and the confirmation -----------------------------------------------------------


def _show_plan(
    out: Output, charges: ChargeFile, plan: dict[str, Any], batches: int, fees: int, currency: str, target: Any
) -> None:
    counts = plan["counts"]
    total = sum(d["amount"] for d in plan["rows"] if d["decision"] == "new")
    out.line(
        wrap(
            f"{charges.path}: {plural(counts['new'], 'charge')} in {plural(batches, 'batch', 'batches')} "
            f"({plural(len(charges.rows), 'row')} on {plural(counts['cards'], 'card')}, run {charges.name!r})",
            2,
        )
    )
    if counts["new"]:
        out.line(
            wrap(
                f"  to charge       {plural(counts['new'], 'new row')} on {plural(counts['new_cards'], 'card')}: "
                f"{money(total, currency)} in {plural(batches, 'batch', 'batches')}",
                18,
            )
        )
        out.line(wrap(f"  estimated fees  {money(fees, currency)}  (Paystack's card pricing, an estimate)", 18))
    else:
        out.line(wrap("  to charge       nothing", 18))
    if counts["charged"]:
        out.line(wrap(f"  already charged {plural(counts['charged'], 'row')} (skipped)", 18))
    if counts["edited"]:
        out.line(
            wrap(
                f"  edited          {plural(counts['edited'], 'row')} charged earlier for another amount "
                "(not charged again)",
                18,
            )
        )
    if counts["orphans"]:
        out.line(
            wrap(
                f"  not in the file {plural(counts['orphans'], 'earlier charge')} of the run that no line holds "
                "now (nothing is charged for them)",
                18,
            )
        )
    derived = [d for d in plan["rows"] if d["decision"] == "new" and d["given_reference"] is None]
    if derived:
        out.line(
            wrap(
                f"  references      {len(derived)} derived from the run name {charges.name!r} "
                f"(e.g. {derived[0]['reference']}; --run sets another name)",
                18,
            )
        )
    mode = str(target.mode).upper()
    out.line(wrap(f"  to              {target.base_url} with a {mode} key", 18))


def _confirm(out: Output, plan: dict[str, Any], batches: int, currency: str, client: Any) -> None:
    counts = plan["counts"]
    total = sum(d["amount"] for d in plan["rows"] if d["decision"] == "new")
    # Customers are cards: 1,500 rows on 7 cards charge 7 customers, in 1,500 charges.
    customers, count = counts["new_cards"], counts["new"]
    charges = "" if count == customers else f" in {count:,} charges"
    question = (
        f"Charge {plural(customers, 'customer')} {money(total, currency)}{charges} "
        f"({str(client.mode).upper()} key) in {plural(batches, 'batch', 'batches')}? [y/N] "
    )
    confirm(
        out,
        wrap(question, 0, stream=sys.stderr, keep_end=True),
        refusal="refusing to charge without a confirmation: standard input is not a terminal (pass --yes to charge "
        "without asking, or --dry-run to check the file only); nothing was sent",
        cancelled="cancelled: nothing was charged",
    )


def _ambiguous(charges: ChargeFile, plan: dict[str, Any]) -> CommandError:
    """The refusal when rows cannot be told from earlier charges: which, and what decides them."""
    parts = []
    details = []
    for ambiguity in plan["ambiguities"]:
        card = masked_authorization(ambiguity["authorization"]) or "-"
        rows = ambiguity["rows"]
        earlier = ambiguity["charges"]
        lines = ", ".join(f"line {r['line']} ({r['amount']})" for r in rows)
        held = ", ".join(f"{c['reference']} ({c['amount']})" for c in earlier)
        first_line, first_charge = rows[0]["line"], earlier[0]["reference"]
        parts.append(
            f"  card {card}: {lines} and earlier {plural(len(earlier), 'charge')} no line holds: {held}.\n"
            f"    If line {first_line} is {first_charge} with its amount changed, write {first_charge} in its "
            "reference column (it is not charged again).\n"
            f"    If it is a new charge, keep {first_charge}'s row in the file: a row for card {card} with "
            f"amount {earlier[0]['amount']} and reference {first_charge} (it is not charged again); line "
            f"{first_line} is then charged.\n"
            "    Each line and each earlier charge listed is decided the same way."
        )
        details.append(
            {
                "authorization": card,
                "lines": [r["line"] for r in rows],
                "rows": [{"line": r["line"], "amount": r["amount"]} for r in rows],
                "charges": [{"reference": c["reference"], "amount": c["amount"]} for c in earlier],
            }
        )
    cards = plural(len(details), "card")
    return CommandError(
        _output.EXIT_USAGE,
        f"{charges.path}: rows of {cards} cannot be told from the run's earlier charges (an amount edited, "
        "or a row deleted and another inserted), nothing was sent:\n" + "\n".join(parts),
        kind="ambiguous_rows",
        details={"ambiguities": details},
    )


# -- submitting ------------------------------------------------------------------------------


def _submit(client: Paystack, out: Output, number: int, of: int, chunk: list[tuple[Row, str]]) -> Submitted:
    rows = [row for row, _ in chunk]
    result = Submitted(number, rows, [reference for _, reference in chunk])
    label = f"batch {number}/{of} (lines {rows[0].line}-{rows[-1].line}, {plural(len(rows), 'charge')})"
    items = [{**row.item, "reference": reference} for row, reference in chunk]
    try:
        data = client.bulk_charge.initiate(_core.BulkChargeListObject(items)).data
    except APIError as exc:
        if exc.reason != "duplicate_reference":  # the core's reading of the refusal
            raise
        # The look-ups found none of these references, yet Paystack has one: a batch of this run
        # still being created, or a reference used elsewhere. Never charge when unsure.
        raise CommandError(
            _output.EXIT_FAILED,
            f"{label}: Paystack already has one of its references, though the look-ups before sending did not "
            "find it (a batch of this run still being created, or a reference used elsewhere); nothing of "
            "this batch was charged. Run the same command again in a minute: it looks again before sending",
            kind="duplicate_reference",
        ) from None
    result.batch_code = str(data["batch_code"])
    out.line(f"{label}: submitted as {result.batch_code}")  # one line: the code is what is copied
    return result


def _record(out: Output, results: list[Submitted]) -> None:
    out.set(submitted=[r.to_json() for r in results])


def _resume_hint(results: list[Submitted], of: int, *, interrupted: bool) -> str:
    done = ", ".join(r.batch_code for r in results if r.batch_code) or "none"
    what = "interrupted" if interrupted else "stopped"
    # Ctrl-C during a batch's request: it may have reached Paystack (a re-run finds it, not sends it).
    in_flight = interrupted and len(results) < of
    unsure = f"; batch {len(results) + 1} may or may not have reached Paystack" if in_flight else ""
    return (
        f"{what} after {len(results)} of {of} batches were submitted (submitted: {done}){unsure}; run the same "
        "command again to submit only the rest: it finds what the run already charged first, so nothing is "
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
        _output.EXIT_USAGE,
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
    plan: dict[str, Any],
    codes: list[str],
    currency: str,
) -> int:
    from .. import reconcile
    from ._session import progress_arg

    line_of = {d["reference"]: d["line"] for d in plan["rows"]}
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
                if reference not in line_of:
                    continue  # a charge of an earlier batch that is not in this file
                bucket = _bucket(row["status"])
                summary[bucket][0] += 1
                summary[bucket][1] += _int(row["amount"], 0)
                if bucket == "failed":
                    line = line_of[reference]
                    # An authorization code is a credential to charge the card: its last 4 only.
                    last4 = str(row["authorization"] or "")[-4:]
                    failed.append({"line": line, "reference": reference, "authorization_last4": last4})
                    failed[-1]["amount"] = row["amount"]
                    failed[-1]["status"] = row["status"]
                    failed[-1]["gateway_response"] = row["gateway_response"]
    except KeyboardInterrupt:
        raise waiting_stopped(
            out,
            codes,
            f"interrupted while waiting: every batch was submitted and carries on at Paystack "
            f"(follow them with: paystack-rs batch {' '.join(codes)} --wait)",
        ) from None
    except APIConnectionError as exc:
        raise waiting_stopped(
            out,
            codes,
            f"{exc.message} (the batches carry on at Paystack: paystack-rs batch {' '.join(codes)} --wait)",
            code=_output.EXIT_CONNECTION,
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
        out.line(
            wrap(
                f"To retry the failed charges: paystack-rs reconcile {' '.join(codes)} --retry-out retry.csv, "
                "then paystack-rs bulk-charge retry.csv",
                0,
            )
        )
    return _output.EXIT_FAILED if failed or summary["pending"][0] else _output.EXIT_OK


def _bucket(status: Any) -> str:
    from ..reconcile import FAILED_STATUSES

    if status == "success":
        return "success"
    return "failed" if status in FAILED_STATUSES else "pending"


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default

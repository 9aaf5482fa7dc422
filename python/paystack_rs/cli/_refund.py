"""``paystack-rs refund REFERENCE [--amount N]``: refund a transaction, after asking (as
``bulk-charge`` does: ``--yes`` not to ask; without a terminal ``--yes`` is required). The client
checks what is left to refund before sending, and never sends a refund twice (docs/paystack-api.md
§8.3)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._output import EXIT_OK, EXIT_USAGE, CommandError, Output, confirm, money

if TYPE_CHECKING:
    import argparse


def add_parser(command: Any) -> None:
    refund = command(
        "refund",
        "refund a transaction (in full, or --amount of it)",
        "Verifies transaction REFERENCE, shows what it was paid and what is left to refund, asks for "
        "confirmation (--yes: do not ask; without a terminal --yes is required), then refunds it once.",
    )
    refund.add_argument("reference", metavar="REFERENCE", help="the transaction's reference (or id)")
    refund.add_argument("--amount", type=int, metavar="N", help="refund N subunits (kobo, pesewas, cents) only")
    refund.add_argument("--yes", "-y", action="store_true", help="refund without asking")
    refund.add_argument("--note", metavar="TEXT", help="the merchant's note on the refund")


def run(args: argparse.Namespace, out: Output, client: Any) -> int:
    if args.amount is not None and args.amount <= 0:
        raise CommandError(EXIT_USAGE, f"--amount must be a positive number of subunits, not {args.amount}")
    tx = client.transaction.verify(args.reference).data
    currency = str(tx.get("currency") or "")
    amount = args.amount if args.amount is not None else tx.get("amount")
    out.line(
        f"transaction {tx.get('reference')} ({tx.get('id')}): {tx.get('status')}, "
        f"paid {money(tx.get('amount'), currency)}"
    )
    if not args.yes:
        confirm(
            out,
            f"Refund {money(amount, currency)} of {args.reference} ({str(client.mode).upper()} key)? [y/N] ",
            refusal="refusing to refund without a confirmation: standard input is not a terminal (pass --yes to "
            "refund without asking); nothing was sent",
            cancelled="cancelled: nothing was refunded",
        )
    kwargs: dict[str, Any] = {}
    if args.amount is not None:
        kwargs["amount"] = args.amount
    if args.note:
        kwargs["merchant_note"] = args.note
    refund = client.refund.create(args.reference, **kwargs)
    data = refund.data
    refunded = data.get("amount")
    out.line(
        f"refund {data.get('id')}: {money(refunded, currency)} {data.get('status')}"
        + (" (recovered)" if refund.recovered else "")
    )
    out.set(outcome="refunded", refund=dict(data), recovered=bool(refund.recovered))
    return EXIT_OK

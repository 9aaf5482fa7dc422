"""``paystack-rs payouts --from --to``: each settlement of a period, checked (the report of
``reconcile.payouts``), and where the money did not add up."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._output import EXIT_FAILED, EXIT_OK, Output, money, plural
from ._report_file import report_format, write_report

if TYPE_CHECKING:
    import argparse

    from .._payouts import PayoutReport


def add_parser(command: Any) -> None:
    """Registers the command (``command`` is the CLI's subcommand factory)."""
    payouts = command(
        "payouts",
        "each settlement (payout to the bank) of a period, checked against its transactions",
        "Reads the settlements dated --from to --to (inclusive), each one's transactions and the refunds "
        "deducted from it, and checks that Paystack's figures equal their sums; lists the successful "
        "transactions in no settlement. Exit 1 when a settlement does not add up or a transaction went unsettled.",
    )
    payouts.add_argument("--from", dest="start", required=True, metavar="DATE", help="first day, YYYY-MM-DD")
    payouts.add_argument("--to", dest="end", required=True, metavar="DATE", help="last day, YYYY-MM-DD")
    payouts.add_argument(
        "--out", metavar="REPORT", help="write the settlements to REPORT.csv, or the whole report to REPORT.html"
    )


def run(args: argparse.Namespace, out: Output, client: Any, progress: Any) -> int:
    from .. import reconcile

    kind = report_format(args.out) if args.out else None
    report = reconcile.payouts(_from=args.start, to=args.end, client=client, progress=progress)
    out.line(f"payouts {report.source}: {plural(len(report.settlements), 'settlement')}")
    for row in report.settlements:
        state = "balanced" if row["balanced"] else "NOT balanced"
        out.line(
            f"  {row['id']:>10}  {(row['settlement_date'] or '')[:10]}  {row['status'] or '':<10} "
            f"{money(row['effective_amount'], row['currency'] or ''):>20}  "
            f"{plural(row['transactions'] or 0, 'transaction'):>18}  {state}"
        )
        if row["problems"]:
            out.line(f"      {row['problems']}")
    for currency, t in sorted(report.totals().items()):
        out.line(
            f"  {currency}: processed {money(t['total_processed'], currency)}, "
            f"fees {money(t['total_fees'], currency)}, deductions {money(t['deductions'], currency)}, "
            f"paid out {money(t['effective_amount'], currency)}"
        )
    out.line(f"  mismatched {len(report.mismatched)}, unsettled {len(report.unsettled)}, refunds {len(report.refunds)}")
    for row in list(report.unsettled)[:20]:
        out.line(f"  unsettled: {row['reference']} {money(row['amount'], row['currency'] or '')} paid {row['paid_at']}")
    out.set(
        settlements=report.settlements.to_records(),
        mismatched=report.mismatched.to_records(),
        unsettled=report.unsettled.to_records(),
        refunds=report.refunds.to_records(),
        totals=report.totals(),
        balanced=report.balanced,
    )
    if args.out:
        write_report(args.out, kind or "csv", to_csv=report.settlements.to_csv, html=lambda: _html(report))
        out.set(out=args.out)
        out.line(f"wrote {args.out}")
    return EXIT_OK if report.balanced and not len(report.unsettled) else EXIT_FAILED


def _html(report: PayoutReport) -> str:
    views = [report.settlements, report.mismatched, report.unsettled, report.refunds, report.transactions]
    body = report._repr_html_() + "".join(view.wide()._repr_html_() for view in views)
    return f"<!doctype html><meta charset=utf-8><title>payouts</title>{body}"

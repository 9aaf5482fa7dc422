"""Charge files (the CSV ``paystack-rs bulk-charge`` charges) for your own code, e.g. a Celery
producer: read and check one, and plan a run of it against what its run already charged.

    from paystack_rs import charge_file

    charges = charge_file.read("august.csv")           # every problem, with its line
    plan = charge_file.plan(client, charges)           # the core's row identity (docs/cli.md)
    if plan["refused"]:
        ...                                            # plan["ambiguities"]: lines, earlier charges
    new = [(row, d["reference"]) for row, d in zip(charges.rows, plan["rows"]) if d["decision"] == "new"]

``batch_of(client, reference)`` is the batch holding a charge, or None when Paystack does not
know the reference. Nothing here charges anyone.
"""

from __future__ import annotations

from ._charge_file import ChargeFile, InvalidFile, Problem, Row, batch_of, plan, read

__all__ = ["ChargeFile", "InvalidFile", "Problem", "Row", "batch_of", "plan", "read"]

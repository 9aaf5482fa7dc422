"""The promise an operator relies on, as a property: a charge file run again, reordered, grown,
shrunk, with amounts edited, references filled in and duplicate (card, amount) rows, never charges
a row twice, and charges each new row once. Checked through the real command
(``paystack_rs.cli.main``, in this process) against the sandbox over HTTP, by its ledger and its
transaction list (each card's successful charges).

The test keeps the truth the rule cannot see: which row is which (an id per row), which charge
each row holds, which rows were ever new. When the command refuses (rows it cannot tell from
earlier charges), nothing may have been sent, and the test writes what the message asks for from
its history (a charge's reference in the row that is that charge; the row of a charge no line
holds kept in the file under its reference) and runs again.

Inserted and edited amounts are fresh (never charged on that card before): a row equal in card and
amount to an earlier charge that no line holds is taken for that charge (docs/cli.md, "What cannot
be told"), which no history can contradict; duplicates copy a row only when no such charge exists.

``PAYSTACK_RS_PROPERTY_EXAMPLES`` sets the examples (default 200; a nightly run uses thousands).
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from paystack_rs import _core
from paystack_rs.cli import main
from paystack_rs.sandbox import Sandbox

from .conftest import key_for

EXAMPLES = int(os.environ.get("PAYSTACK_RS_PROPERTY_EXAMPLES", "200"))
CARDS = (Sandbox.AUTH_SUCCESS, Sandbox.AUTH_SUCCESS_PLAIN, Sandbox.AUTH_SUCCESS_FULL)
#: Every run is counted, for the report on how many ran.
RUNS = Counter[str]()


@contextlib.contextmanager
def environment(sb: Sandbox) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in ("PAYSTACK_SECRET_KEY", "PAYSTACK_BASE_URL", "PAYSTACK_LOG")}
    os.environ.update(PAYSTACK_SECRET_KEY=sb.secret_key, PAYSTACK_BASE_URL=sb.base_url)
    os.environ.pop("PAYSTACK_LOG", None)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def command(sb: Sandbox, args: list[str]) -> tuple[int, dict[str, Any], str]:
    """``paystack-rs ARGS --json`` in this process: exit code, its document, stderr."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with environment(sb), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main([*args, "--json"])
    RUNS["command"] += 1
    assert "Traceback" not in stderr.getvalue(), stderr.getvalue()
    return code, json.loads(stdout.getvalue()), stderr.getvalue()


# -- the operator's file, and the truth the test keeps -------------------------------------------


@dataclass
class Line:
    id: int
    card: str
    amount: int
    reference: str | None = None


@dataclass
class Held:
    """A charge the run made: its reference and amount at Paystack."""

    reference: str
    amount: int
    card: str
    batch: str


@dataclass
class World:
    lines: list[Line] = field(default_factory=list)
    #: The charge each row (by id) holds, deleted rows included.
    holds: dict[int, Held] = field(default_factory=dict)
    #: What Paystack should have charged each card: the amounts of the rows that were ever new.
    charged: dict[str, Counter[int]] = field(default_factory=dict)
    ids: Iterator[int] = field(default_factory=itertools.count)
    amounts: Iterator[int] = field(default_factory=lambda: itertools.count(1000, 100))
    fills: Iterator[int] = field(default_factory=itertools.count)

    def new_line(self, card: str, amount: int | None = None, reference: str | None = None) -> Line:
        return Line(next(self.ids), card, amount if amount is not None else next(self.amounts), reference)

    def free_charges(self, card: str, amount: int) -> bool:
        """A charge of ``card`` for ``amount`` that no row of that amount holds (a copy would be
        taken for it)."""
        held = Counter(h.amount for i, h in self.holds.items() if h.card == card)
        by_rows = Counter(
            self.holds[line.id].amount
            for line in self.lines
            if line.id in self.holds and line.card == card and line.amount == self.holds[line.id].amount
        )
        return held[amount] > by_rows[amount]

    def visible(self, batch: str) -> bool:
        """Whether the command can find this batch: it holds a derived reference of a card in the
        file (each card's slots are looked up) or a reference written in the file."""
        cards = {line.card for line in self.lines}
        written = {line.reference for line in self.lines if line.reference}
        return any(
            h.batch == batch and ((h.card in cards and not h.reference.startswith("own-")) or h.reference in written)
            for h in self.holds.values()
        )

    def take_over(self) -> None:
        """The convention no history can contradict: a row without a charge, equal in card and amount
        to a charge the command can find that no row of that amount holds by amount (its row was
        deleted, or edited without its reference written in), is that charge; the edited row, if
        any, is then the new one. (A copy of a row with the original then edited is the same file
        as the original kept and a new row inserted.)"""
        lines = {line.id: line for line in self.lines}

        def free(i: int) -> bool:
            held, line = self.holds[i], lines.get(i)
            if line is None:
                return self.visible(held.batch)
            return line.amount != held.amount and line.reference != held.reference

        for line in self.lines:
            if line.id in self.holds:
                continue
            owner = next(
                (i for i, h in self.holds.items() if (h.card, h.amount) == (line.card, line.amount) and free(i)), None
            )
            if owner is not None:
                self.holds[line.id] = self.holds.pop(owner)
                RUNS["taken_over"] += 1

    def write(self, path: Path) -> None:
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["authorization", "amount", "reference"])
            for line in self.lines:
                writer.writerow([line.card, line.amount, line.reference or ""])


# -- the edits an operator makes to a spreadsheet ------------------------------------------------

EDITS = st.lists(
    st.tuples(
        st.sampled_from(["reorder", "insert", "delete", "amount", "fill", "duplicate", "insert_with_reference"]),
        st.integers(0, 10_000),
        st.sampled_from(CARDS),
    ),
    min_size=1,
    max_size=4,
)


def edit(world: World, kind: str, pick: int, card: str) -> None:
    lines = world.lines
    chosen = lines[pick % len(lines)] if lines else None
    if kind == "reorder":
        world.lines = sorted(lines, key=lambda line: hash((pick, line.id)))
    elif kind == "insert":
        lines.insert(pick % (len(lines) + 1), world.new_line(card))
    elif kind == "insert_with_reference":
        lines.insert(pick % (len(lines) + 1), world.new_line(card, reference=f"own-{next(world.fills)}"))
    elif chosen is None:
        return
    elif kind == "delete":
        lines.remove(chosen)
    elif kind == "amount":
        chosen.amount = next(world.amounts)
    elif kind == "fill" and chosen.reference is None:
        # The reference the row was charged under, or one of the operator's own. Only a row without
        # one: a reference written in the file is the row's identity at Paystack, and changing it
        # is a new charge (the shrinker's first find; docs/cli.md says so).
        held = world.holds.get(chosen.id)
        chosen.reference = held.reference if held and pick % 2 else f"own-{next(world.fills)}"
    elif kind == "duplicate" and not world.free_charges(chosen.card, chosen.amount):
        lines.insert(pick % (len(lines) + 1), world.new_line(chosen.card, chosen.amount))


# -- a run, and the oracle -----------------------------------------------------------------------


def charge(sb: Sandbox, world: World, path: Path) -> dict[str, Any]:
    """Runs the file; on a refusal, checks nothing was sent, writes what the message asks for
    (from the test's history) and runs again. Returns the document of the run that went through."""
    for _ in range(6):
        world.take_over()
        world.write(path)
        sent_before = len(sb.requests(method="POST", path="/bulkcharge"))
        code, document, stderr = command(sb, ["bulk-charge", str(path), "--yes"])
        if code != 2 or document.get("error", {}).get("kind") != "ambiguous_rows":
            assert code == 0, (stderr, document)
            break
        RUNS["refused"] += 1
        assert len(sb.requests(method="POST", path="/bulkcharge")) == sent_before, "a refusal sends nothing"
        for ambiguity in document["error"]["ambiguities"]:
            for earlier in ambiguity["charges"]:
                resolve(world, earlier["reference"])
    else:
        pytest.fail("still refused after writing what the messages asked for")
    # The rows the run sent are the rows the test knows as new, card and amount for card and amount
    # (two rows of one card and amount are the same to anyone reading the file).
    lines = {index + 2: line for index, line in enumerate(world.lines)}
    sent: dict[tuple[str, int], list[str]] = {}
    for row in document["rows"]:
        if row["decision"] == "new":
            line = lines[row["line"]]
            sent.setdefault((line.card, line.amount), []).append(row["reference"])
    new: dict[tuple[str, int], list[Line]] = {}
    for line in world.lines:
        if line.id not in world.holds:
            new.setdefault((line.card, line.amount), []).append(line)
    assert {k: len(v) for k, v in sent.items()} == {k: len(v) for k, v in new.items()}, (document["rows"], world)
    (batch,) = {b["batch_code"] for b in document.get("submitted", [])} or {""}
    for key, references in sent.items():
        for line, reference in zip(new[key], references, strict=True):
            world.holds[line.id] = Held(reference, line.amount, line.card, batch)
            world.charged.setdefault(line.card, Counter())[line.amount] += 1
    for code in {b["batch_code"] for b in document.get("submitted", [])}:
        sb.client().bulk_charge.wait(code, poll_interval=0.02, timeout=30)
    RUNS["run"] += 1
    return document


def resolve(world: World, reference: str) -> None:
    """What the refusal asks for, for one earlier charge: its reference in the row that is it, or
    (no row is) its row kept in the file under its reference."""
    (owner,) = [i for i, h in world.holds.items() if h.reference == reference]
    RUNS["resolved"] += 1
    line = next((line for line in world.lines if line.id == owner), None)
    if line is not None:
        line.reference = reference
    else:
        held = world.holds[owner]
        world.lines.append(Line(owner, held.card, held.amount, reference))


def ledger_by_card(sb: Sandbox) -> dict[str, Counter[int]]:
    """Each card's successful charges (amounts), from Paystack's side; no reference charged twice."""
    counts = sb.ledger()["counts"]
    assert all(c["successful_charges"] <= 1 for c in counts.values()), counts
    found: dict[str, Counter[int]] = {}
    transactions = sb.client().transaction.list(per_page=100, status="success").data
    for tx in transactions:
        found.setdefault(tx["authorization"]["authorization_code"], Counter())[tx["amount"]] += 1
    return found


def check(sb: Sandbox, world: World) -> None:
    expected = {card: counts for card, counts in world.charged.items() if counts}
    assert ledger_by_card(sb) == expected


@pytest.fixture(scope="module")
def sandbox_url(sandbox: Sandbox) -> str:
    return sandbox.base_url


_keys = itertools.count()


def fresh(base_url: str) -> Sandbox:
    """The session's sandbox through a key of its own: an integration with no charges yet."""
    return Sandbox.connect(base_url, key_for(f"properties-{os.getpid()}-{next(_keys)}"))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    first=st.lists(st.tuples(st.sampled_from(CARDS), st.booleans()), min_size=1, max_size=5),
    steps=st.lists(EDITS, min_size=1, max_size=3),
)
@example(  # shrunk: a row's own reference charged, then the reference "filled in" again (left alone)
    first=[(CARDS[0], True)],
    steps=[[("fill", 0, CARDS[0])]],
)
@example(  # shrunk: a row copied and the original deleted (the file is the same as before: nothing new)
    first=[(CARDS[0], False)],
    steps=[[("duplicate", 0, CARDS[0]), ("delete", 1, CARDS[0])]],
)
@example(  # shrunk: a row copied, then the original's amount edited (the same file as a row inserted)
    first=[(CARDS[0], False)],
    steps=[[("duplicate", 0, CARDS[0]), ("reorder", 0, CARDS[0]), ("amount", 0, CARDS[0])]],
)
@example(  # shrunk: one of two equal rows deleted, then a new row of that card (refused, resolved)
    first=[(CARDS[0], False)],
    steps=[[("duplicate", 0, CARDS[0])], [("delete", 0, CARDS[0]), ("insert", 0, CARDS[0])]],
)
@example(  # shrunk: an amount edited, then the row's reference filled in with the operator's own
    first=[(CARDS[0], False), (CARDS[0], False)],
    steps=[[("amount", 0, CARDS[0])], [("fill", 0, CARDS[0])]],
)
def test_edited_files_charge_each_new_row_once(sandbox_url, tmp_path_factory, first, steps):
    sb = fresh(sandbox_url)
    path = tmp_path_factory.mktemp("runs") / "rent.csv"
    world = World()
    world.lines = [world.new_line(card, reference=f"own-{next(world.fills)}" if own else None) for card, own in first]
    charge(sb, world, path)
    check(sb, world)
    for edits in steps:
        for kind, pick, card in edits:
            edit(world, kind, pick, card)
        if not world.lines:
            world.lines.append(world.new_line(CARDS[0]))
        world.take_over()
        held_before, charged_before = set(world.holds), sum(sum(c.values()) for c in world.charged.values())
        charge(sb, world, path)
        check(sb, world)
        # k new rows charge exactly k (rows added back to settle a refusal are old rows).
        new_rows = [line for line in world.lines if line.id not in held_before]
        assert sum(sum(c.values()) for c in world.charged.values()) - charged_before == len(new_rows)
        # Run again untouched, then reordered: nothing more is sent.
        for _ in range(2):
            document = charge(sb, world, path)
            assert document["submitted_count"] == 0
            world.lines.reverse()
        check(sb, world)
    RUNS["examples"] += 1


def test_the_issues_repro_sorted_by_amount_charges_ten_not_eleven(sandbox_url, tmp_path):
    # 10 rows for one card, one of them with its own reference; run; the same rows sorted by amount.
    sb = fresh(sandbox_url)
    path = tmp_path / "rent.csv"
    rows = [[Sandbox.AUTH_SUCCESS, 1000 * i, "rent-own" if i == 4 else ""] for i in range(1, 11)]
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows([["authorization", "amount", "reference"], *rows])
    code, first, _ = command(sb, ["bulk-charge", str(path), "--yes", "--wait", "--poll-interval", "0.02"])
    assert code == 0
    assert first["summary"]["success"] == {"count": 10, "amount": 55_000}
    with path.open("w", newline="") as handle:
        csv.writer(handle).writerows([["authorization", "amount", "reference"], *sorted(rows, key=lambda r: -r[1])])
    code, again, _ = command(sb, ["bulk-charge", str(path), "--yes", "--wait", "--poll-interval", "0.02"])
    assert code == 0
    assert (again["submitted_count"], again["already_submitted_count"]) == (0, 10)
    assert again["summary"]["success"] == {"count": 10, "amount": 55_000}
    assert ledger_by_card(sb) == {Sandbox.AUTH_SUCCESS: Counter(1000 * i for i in range(1, 11))}
    assert sum(1 for c in sb.ledger()["counts"].values() if c["successful_charges"]) == 10


def test_a_v1_file_is_recognised(sandbox_url, tmp_path):
    # A file charged by the first version (references: run name, card, occurrence in file order)
    # is the same slots: running it now charges nothing.
    sb = fresh(sandbox_url)
    client = sb.client()
    items = [
        {"authorization": card, "amount": amount, "reference": _core.derive_row_reference("rent", card, k)}
        for card, amount, k in [(CARDS[0], 500, 0), (CARDS[1], 600, 0), (CARDS[0], 700, 1)]
    ]
    client.bulk_charge.wait(client.bulk_charge.initiate(items).data["batch_code"], poll_interval=0.02)
    path = tmp_path / "rent.csv"
    path.write_text(f"authorization,amount\n{CARDS[1]},600\n{CARDS[0]},700\n{CARDS[0]},500\n")
    code, document, _ = command(sb, ["bulk-charge", str(path), "--yes"])
    assert code == 0
    assert (document["submitted_count"], document["already_submitted_count"]) == (0, 3)


def test_a_failed_lookup_sends_nothing(sandbox_url, tmp_path):
    # Not knowing what the run charged is never a reason to charge: the command stops.
    sb = fresh(sandbox_url)
    path = tmp_path / "rent.csv"
    path.write_text(f"authorization,amount\n{CARDS[0]},500\n")
    sb.set_faults([{"kind": "error", "status": 503, "route": "/transaction/verify/*"}])
    code, document, _ = command(sb, ["bulk-charge", str(path), "--yes", "--request-timeout", "2"])
    sb.set_faults([])
    assert code != 0
    assert document["error"]["kind"] == "ServerError"
    assert sb.requests(method="POST", path="/bulkcharge") == []


def test_examples_ran():
    # Runs last in this module (pytest keeps file order): how many examples and runs, for the report.
    print(
        f"\nproperty examples: {RUNS['examples']}, runs: {RUNS['run']}, refusals: {RUNS['refused']} "
        f"(charges settled: {RUNS['resolved']}), rows taken for an earlier charge: {RUNS['taken_over']}"
    )

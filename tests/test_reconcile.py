"""paystack_rs.reconcile against the sandbox, sync and async: the rows of a batch and of a period
of transactions, totals, failures, matching against expected items (dicts, BulkChargeItems, a
BulkChargeListObject, a CSV), the exports, the HTML, and a retry batch that cannot charge twice."""

from __future__ import annotations

import asyncio
import csv
import io
import sys

import pytest

import paystack_rs
from paystack_rs import reconcile
from paystack_rs.sandbox import Sandbox

from .helpers import MODES, charge, wait_for_batch

GOOD = [{"authorization": Sandbox.AUTH_SUCCESS, "amount": 10000 + i, "reference": f"rc-ok-{i}"} for i in range(8)]
BAD = [
    {"authorization": Sandbox.AUTH_DECLINED, "amount": 20000, "reference": "rc-declined"},
    {"authorization": Sandbox.AUTH_LOW_BALANCE, "amount": 900000, "reference": "rc-poor"},
    {"authorization": Sandbox.AUTH_FLAKY_5, "amount": 30000, "reference": "rc-flaky", "metadata": {"order": 7}},
]


def run_batch(client: paystack_rs.Paystack, items: list[dict]) -> str:
    code = str(client.bulk_charge.initiate(items).data["batch_code"])
    wait_for_batch(client, code)
    return code


def report_of(mode: str, name: str, *args, **kwargs) -> reconcile.Report:
    if mode == "sync":
        return getattr(reconcile, name)(*args, **kwargs)
    return asyncio.run(getattr(reconcile, f"{name}_async")(*args, **kwargs))


@pytest.fixture
def mixed(client, sb) -> str:
    sb.configure(process_interval_ms=0)
    return run_batch(client, GOOD + BAD)


@pytest.mark.parametrize("mode", MODES)
def test_a_batch_as_flat_rows_with_totals_and_failures(mode, client, mixed):
    report = report_of(mode, "batch", mixed, client=client, per_page=4)
    assert len(report) == 11
    assert report.kind == "batch"
    assert report.source == mixed
    assert report.batch["status"] == "complete"
    rows = report.to_records()
    assert [r["reference"] for r in rows] == [i["reference"] for i in GOOD + BAD]
    assert {r["batch_code"] for r in rows} == {mixed}
    assert list(rows[0]) == list(reconcile.COLUMNS)
    first = rows[0]
    assert first["authorization"] == Sandbox.AUTH_SUCCESS
    assert first["customer_email"] == "success@example.com"
    assert (first["amount"], first["currency"], first["status"]) == (10000, "NGN", "success")
    assert first["paid_at"].endswith("Z")
    assert isinstance(first["transaction_id"], int)
    # A batch's charges carry fees: null: the report reads them from the transactions; a failed
    # charge has none (None, not 0) and nets nothing.
    fees = sum(client.transaction.verify(i["reference"]).data["fees"] for i in GOOD)
    assert fees > 0
    amount = sum(i["amount"] for i in GOOD)
    assert report.totals == {
        "success": {"NGN": {"count": 8, "amount": amount, "fees": fees, "net": amount - fees}},
        "failed": {"NGN": {"count": 3, "amount": 950000, "fees": None, "net": 0}},
    }
    failed = report.failed
    assert len(failed) == 3
    assert {r["reference"]: r["gateway_response"] for r in failed} == {
        "rc-declined": "Declined",
        "rc-poor": "Insufficient Funds",
        "rc-flaky": "Issuer or Switch Inoperative",
    }
    assert len(report.pending) == 0
    assert len(report.succeeded) == 8
    assert report.missing is None
    assert report.duplicates is None


def test_a_batch_still_running_has_its_pending_rows(client, sb):
    sb.configure(process_interval_ms=5000)
    code = str(client.bulk_charge.initiate(GOOD[:3]).data["batch_code"])
    report = reconcile.batch(code, client=client)
    assert len(report.pending) >= 2
    assert set(report.column("status")) <= {"pending", "success"}
    sb.configure(process_interval_ms=0)


@pytest.mark.parametrize(
    "kind", ["dicts", "items", "list_object", "csv"], ids=["dicts", "BulkChargeItems", "BulkChargeListObject", "csv"]
)
def test_against_what_was_expected(kind, client, mixed, tmp_path):
    wanted = [dict(i) for i in GOOD + BAD if i["reference"] != "rc-ok-3"]  # rc-ok-3 was not expected
    wanted.append({"authorization": Sandbox.AUTH_SUCCESS, "amount": 1234, "reference": "rc-never-sent"})
    wanted[0]["amount"] = 99999  # rc-ok-0 was charged 10000
    if kind == "dicts":
        expected = wanted
    elif kind == "items":
        expected = [paystack_rs.BulkChargeItem(**i) for i in wanted]
    elif kind == "list_object":
        expected = paystack_rs.BulkChargeListObject(wanted)
    else:
        path = tmp_path / "expected.csv"
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["reference", "amount", "email"])
            for i in wanted:
                writer.writerow([i["reference"], i["amount"], "x@example.com"])
        expected = str(path)
    report = reconcile.batch(mixed, client=client, expected=expected)
    assert [m["reference"] for m in report.missing] == ["rc-never-sent"]
    assert [r["reference"] for r in report.unexpected] == ["rc-ok-3"]
    assert report.amount_mismatch == [
        {
            "reference": "rc-ok-0",
            "expected_reference": "rc-ok-0",
            "expected_amount": 99999,
            "amount": 10000,
            "status": "success",
        }
    ]
    assert report.duplicates == []
    assert "missing 1, unexpected 1, amount_mismatch 1, duplicates 0" in repr(report)


@pytest.mark.parametrize("mode", MODES)
def test_several_batches_as_one_report(mode, client, sb, mixed):
    second = run_batch(client, [{"authorization": Sandbox.AUTH_SUCCESS, "amount": 7000, "reference": "rc-second"}])
    wanted = [{"reference": i["reference"], "amount": i["amount"]} for i in GOOD + BAD]
    wanted.append({"reference": "rc-second", "amount": 7000})
    wanted.append({"reference": "rc-in-no-batch", "amount": 100})
    # A code given twice is read once.
    report = report_of(mode, "batches", [mixed, second, mixed], client=client, expected=wanted, per_page=4)
    assert report.kind == "batch"
    assert report.source == f"{mixed}, {second}"
    assert report.batch is None
    assert [b["batch_code"] for b in report.batches] == [mixed, second]
    assert [r["reference"] for r in report] == [i["reference"] for i in GOOD + BAD] + ["rc-second"]
    assert {r["reference"]: r["batch_code"] for r in report}["rc-second"] == second
    assert [m["reference"] for m in report.missing] == ["rc-in-no-batch"]
    assert len(report.unexpected) == 0
    assert report.totals["success"]["NGN"]["count"] == 9
    # Fees are read for every batch of the run (a batch's charges carry none), in one listing.
    fees = {r["reference"]: r["fees"] for r in report}
    for reference in ("rc-second", GOOD[0]["reference"]):
        assert fees[reference] == client.transaction.verify(reference).data["fees"] > 0
    assert all((row["fees"] is not None) == (row["status"] == "success") for row in report)
    one = report_of(mode, "batches", [second], client=client)
    assert (one.source, one.batch["batch_code"], len(one)) == (second, second, 1)


def test_a_charge_and_its_retry_both_charged_are_duplicates(client, sb):
    sb.configure(process_interval_ms=0)
    run_batch(client, [{"authorization": Sandbox.AUTH_SUCCESS, "amount": 5000, "reference": "dup-a"}])
    # Someone "retried" a charge that had gone through.
    charge(client, amount=5000, reference="dup-a-r1")
    report = reconcile.transactions(client=client, expected=[{"reference": "dup-a", "amount": 5000}] * 2)
    assert report.missing == []
    assert report.unexpected is not None
    assert len(report.unexpected) == 0
    assert sorted(report.duplicates, key=lambda d: d["where"]) == [
        {"reference": "dup-a", "where": "charged", "count": 2, "references": ["dup-a-r1", "dup-a"]},
        {"reference": "dup-a", "where": "expected", "count": 2, "references": ["dup-a"]},
    ]


def test_expected_items_need_a_reference_and_a_csv_its_columns(client, mixed, tmp_path):
    with pytest.raises(paystack_rs.ValidationError, match=r"expected\[1\]\.reference") as caught:
        reconcile.batch(mixed, client=client, expected=[{"reference": "a", "amount": 1}, {"amount": 2}])
    assert caught.value.errors[0]["index"] == 1
    path = tmp_path / "no-amount.csv"
    path.write_text("reference,email\nrc-ok-1,a@example.com\n")
    with pytest.raises(paystack_rs.ValidationError, match="no 'amount' column"):
        reconcile.batch(mixed, client=client, expected=str(path))
    path.write_text("reference,amount\nrc-ok-1,12.50\n")
    with pytest.raises(paystack_rs.ValidationError, match="positive integer"):
        reconcile.batch(mixed, client=client, expected=path)
    with pytest.raises(paystack_rs.ValidationError, match="cannot read"):
        reconcile.batch(mixed, client=client, expected=str(tmp_path / "absent.csv"))


@pytest.mark.parametrize("mode", MODES)
def test_retry_items_cannot_charge_anyone_twice(mode, client, sb, mixed):
    report = report_of(mode, "batch", mixed, client=client)
    retry = report.retry_items()
    assert isinstance(retry, paystack_rs.BulkChargeListObject)
    assert [(i.reference, i.authorization, i.amount) for i in retry.charges] == [
        ("rc-declined-r1", Sandbox.AUTH_DECLINED, 20000),
        ("rc-poor-r1", Sandbox.AUTH_LOW_BALANCE, 900000),
        ("rc-flaky-r1", Sandbox.AUTH_FLAKY_5, 30000),
    ]
    # Paystack's custom_fields are left for Paystack to add again; the caller's metadata is kept.
    assert retry.charges[2].metadata == {"order": 7}
    # The same retry built twice is the same batch.
    assert report.retry_items() == retry
    second = run_batch(client, retry.use_as_list)
    with pytest.raises(paystack_rs.InvalidRequestError, match="Duplicate Transaction Reference"):
        client.bulk_charge.initiate(report.retry_items())
    ledger = sb.ledger()
    for item in retry.charges:
        assert ledger["counts"][item.reference]["successful_charges"] <= 1
    # flaky5 has failed its five attempts: the retry's first attempt goes through.
    again = report_of(mode, "batch", second, client=client)
    assert {r["reference"]: r["status"] for r in again} == {
        "rc-declined-r1": "failed",
        "rc-poor-r1": "failed",
        "rc-flaky-r1": "success",
    }
    assert [i.reference for i in again.retry_items().charges] == ["rc-declined-r2", "rc-poor-r2"]


def test_a_failure_already_retried_in_the_report_is_left_out(client, sb):
    sb.configure(process_interval_ms=0)
    run_batch(client, [BAD[0]])
    run_batch(client, [{**BAD[0], "reference": "rc-declined-r1"}])
    report = reconcile.transactions(client=client)
    assert [i.reference for i in report.retry_items().charges] == ["rc-declined-r2"]
    assert reconcile.retry_reference("a-r9") == "a-r10"
    assert reconcile.retry_reference("a-r0") == "a-r0-r1"


@pytest.mark.parametrize("mode", MODES)
def test_a_period_of_transactions(mode, client, sb, mixed):
    charge(client, amount=4321, reference="rc-direct")
    everything = report_of(mode, "transactions", client=client, per_page=3)
    assert len(everything) == 12
    assert everything.kind == "transactions"
    by_reference = {r["reference"]: r for r in everything}
    assert by_reference["rc-ok-1"]["batch_code"] == mixed
    assert by_reference["rc-direct"]["batch_code"] is None
    assert by_reference["rc-direct"]["fees"] is not None
    successes = report_of(mode, "transactions", client=client, status="success")
    assert len(successes) == 9
    assert successes.source == "status success"
    assert set(successes.column("status")) == {"success"}
    newest = by_reference["rc-direct"]["created_at"]
    window = report_of(mode, "transactions", client=client, _from=newest, to=newest)
    assert [r["reference"] for r in window] == ["rc-direct"]


def test_the_global_client_is_the_default(global_client, client, mixed):
    assert len(reconcile.batch(mixed)) == 11


def test_to_pandas(client, mixed):
    pd = pytest.importorskip("pandas")
    report = reconcile.batch(mixed, client=client)
    frame = report.to_pandas()
    assert list(frame.columns) == list(reconcile.COLUMNS)
    assert len(frame) == 11
    assert str(frame["amount"].dtype) == "Int64"
    # Read from the transactions (a batch's charges carry none); a failed charge has none.
    assert frame["fees"].isna().tolist() == [status != "success" for status in frame["status"]]
    assert str(frame["paid_at"].dt.tz) == "UTC"
    assert frame["reference"].tolist() == report.column("reference")
    failed = frame[frame["status"] == "failed"]
    assert failed["reference"].tolist() == ["rc-declined", "rc-poor", "rc-flaky"]
    assert pd.isna(frame.loc[frame["reference"] == "rc-declined", "paid_at"]).all()
    assert report.failed.to_pandas()["gateway_response"].tolist() == [
        "Declined",
        "Insufficient Funds",
        "Issuer or Switch Inoperative",
    ]


def test_to_pandas_without_pyarrow_builds_the_same_frame(client, mixed, monkeypatch):
    pytest.importorskip("pandas")
    report = reconcile.batch(mixed, client=client)
    through_arrow = report.to_pandas()
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    through_lists = report.to_pandas()
    assert list(through_lists.columns) == list(through_arrow.columns)

    def values(series):
        return series.astype(object).where(series.notna(), None).tolist()

    for name in reconcile.COLUMNS:
        assert values(through_lists[name]) == values(through_arrow[name]), name
        assert through_lists[name].dtype == through_arrow[name].dtype, name
    assert str(through_lists["transaction_id"].dtype) == "Int64"


def test_to_polars_and_to_arrow(client, mixed):
    pytest.importorskip("polars")
    pytest.importorskip("pyarrow")
    report = reconcile.batch(mixed, client=client)
    frame = report.to_polars()
    assert frame.columns == list(reconcile.COLUMNS)
    assert frame["amount"].to_list() == report.column("amount")
    assert str(frame.schema["paid_at"]).startswith("Datetime")
    table = report.to_arrow()
    assert table.column_names == list(reconcile.COLUMNS)
    assert table.column("reference").to_pylist() == report.column("reference")
    assert str(table.schema.field("created_at").type) == "timestamp[ms, tz=UTC]"
    assert table.column("metadata").to_pylist()[10] is not None


@pytest.mark.parametrize(
    ("method", "extra", "module"),
    [
        ("to_pandas", "pandas", "pandas"),
        ("to_polars", "polars", "polars"),
        ("to_arrow", "arrow", "pyarrow"),
    ],
)
def test_a_missing_extra_names_it(client, mixed, monkeypatch, method, extra, module):
    report = reconcile.batch(mixed, client=client)
    monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(ImportError, match=rf"pip install paystack-rs\[{extra}\]"):
        getattr(report, method)()


def test_to_csv_round_trips(client, mixed, tmp_path):
    report = reconcile.batch(mixed, client=client)
    path = tmp_path / "out.csv"
    report.to_csv(path)
    rows = list(csv.DictReader(path.open()))
    assert [r["reference"] for r in rows] == report.column("reference")
    assert [int(r["amount"]) for r in rows] == report.column("amount")
    assert rows[8]["paid_at"] == ""  # declined: never paid
    assert '"order": 7' not in rows[10]["metadata"]
    assert '"order":7' in rows[10]["metadata"]
    buffer = io.StringIO()
    report.failed.to_csv(buffer)
    assert buffer.getvalue().splitlines()[0] == ",".join(reconcile.COLUMNS)
    assert len(buffer.getvalue().splitlines()) == 4
    # A report's CSV is a valid expected= file.
    again = reconcile.batch(mixed, client=client, expected=path)
    assert (again.missing, len(again.unexpected), again.amount_mismatch) == ([], 0, [])


def test_display(client, mixed):
    report = reconcile.batch(mixed, client=client, expected=GOOD)
    text = repr(report)
    assert text.startswith(f"<Report batch {mixed}: 11 charges; failed 3 (NGN 9,500.00), success 8 (NGN 800.28)")
    assert "\n" not in text
    html = report._repr_html_()
    assert "<table" in html
    assert "rc-ok-0" in html
    assert "800.28" in html
    assert "against 8 expected" in html


@pytest.mark.parametrize("mode", MODES)
def test_progress_counts_the_rows_read(mode, client, mixed):
    seen: list[tuple[int, int]] = []
    report = report_of(
        mode, "batch", mixed, client=client, per_page=3, progress=lambda done, total: seen.append((done, total))
    )
    assert seen[-1] == (11, 11)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert len(seen) == 4  # one report per page of 3
    assert len(report) == 11

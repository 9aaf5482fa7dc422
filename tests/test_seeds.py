"""The code samples of Paystack's official Python SDK documentation (Bulk Charge and Transaction,
tests/data/interfaces/) run unchanged, with
``import paystack_rs as paystack`` and real values in place of the ``*_example`` strings."""

from __future__ import annotations

import contextlib
import io
import re

import pytest

from paystack_rs.sandbox import Sandbox

from .conftest import DATA
from .helpers import wait_for_batch

INTERFACES = DATA / "interfaces"


def samples(seed: str) -> list[str]:
    """Every ``import paystack ... pprint(response)`` block of an interface document."""
    text = (INTERFACES / seed).read_text()
    return [m.group(0) for m in re.finditer(r"^import paystack\n.*?pprint\(response\)", text, re.S | re.M)]


def real_values(sb: Sandbox, sample_pauses: bool = False, pausing: bool = False) -> dict[str, str]:
    client = sb.client()
    tx = client.transaction.charge_authorization("success@example.com", 5000, Sandbox.AUTH_SUCCESS).data
    batch = client.bulk_charge.initiate([{"authorization": Sandbox.AUTH_SUCCESS, "amount": 100}]).data
    wait_for_batch(client, batch["batch_code"])
    # A batch still being processed, for the pause and resume samples.
    sb.configure(process_interval_ms=60_000)
    running = client.bulk_charge.initiate(
        [{"authorization": Sandbox.AUTH_SUCCESS, "amount": 100, "reference": f"run-{i}"} for i in range(3)]
    ).data
    if pausing:
        client.bulk_charge.pause(running["batch_code"])
    return {
        "code": repr(running["batch_code"] if sample_pauses else batch["batch_code"]),
        "id": repr(str(tx["id"])),
        "id_or_reference": repr(tx["reference"]),
        "reference": repr(tx["reference"]),
        "email": repr("success@example.com"),
        "authorization_code": repr(Sandbox.AUTH_SUCCESS),
        "currency": repr("NGN"),
        "metadata": repr('{"cart_id": 398}'),
        "split_code": repr("SPL_98WF13Eb3w"),
        "subaccount": repr("ACCT_8f4s1eq7ml6rlzj"),
        "transaction_charge": repr("1000"),
        "bearer": repr("account"),
        "callback_url": repr("https://example.com/callback"),
        "plan": repr("PLN_gx2wn530m0i3w3m"),
        "channels": repr(["card", "bank"]),
        "at_least": repr("50"),
    }


def adapt(sample: str, values: dict[str, str], key: str, new_reference: str) -> str:
    code = sample.replace("import paystack\n", "import paystack_rs as paystack\n", 1)
    code = code.replace("from paystack.rest import ApiException", "from paystack_rs.rest import ApiException")
    code = code.replace("'sk_domain_xxxxxxxx'", repr(key))
    code = re.sub(r"^(\w+) = '(\w+)_example'", lambda m: f"{m.group(1)} = {values[m.group(1)]}", code, flags=re.M)
    if "charge_authorization(" in code or "initialize(" in code or "partial_debit(" in code:
        # A charge needs a reference of its own (Paystack refuses to reuse one).
        code = re.sub(r"^reference = .*$", f"reference = {new_reference!r}", code, flags=re.M)
    return code


def run(code: str, sb: Sandbox) -> str:
    out = io.StringIO()
    namespace: dict = {}
    import paystack_rs

    saved = (paystack_rs.api_key, paystack_rs.base_url)
    paystack_rs.base_url = sb.base_url
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(code, "<seed sample>", "exec"), namespace)
    finally:
        paystack_rs.api_key, paystack_rs.base_url = saved
    return out.getvalue()


BULK = samples("paystack-python-bulk-charge.md")
TRANSACTION = samples("paystack-python-transaction.md")


def test_the_seeds_have_the_samples_we_expect():
    assert len(BULK) == 6
    assert len(TRANSACTION) == 12


@pytest.mark.parametrize(
    "sample",
    BULK + TRANSACTION,
    ids=lambda s: (
        re.search(r"\.(\w+)\(", s.split("# ")[-1]).group(1) if re.search(r"\.(\w+)\(", s.split("# ")[-1]) else "sample"
    ),
)
def test_seed_sample_runs_unchanged(sample, sb, monkeypatch):
    monkeypatch.setenv("PAYSTACK_SECRET_KEY", sb.secret_key)
    values = real_values(sb, sample_pauses="pause(" in sample or "resume(" in sample, pausing="resume(" in sample)
    code = adapt(sample, values, sb.secret_key, new_reference=f"seed-{abs(hash(sample)) % 10**8}")
    assert "_example'" not in code
    if "BulkCharge.initiate()" in code:
        # The official SDK's document (tests/data/interfaces/paystack-python-bulk-charge.md) shows
        # initiate() with no parameter; Paystack needs the charges (docs/paystack-api.md §3.1), so the
        # call is refused before anything is sent, naming the parameter.
        with pytest.raises(TypeError, match="charges"):
            run(code, sb)
        return
    printed = run(code, sb)
    assert "'status': True" in printed

"""paystack_rs.contrib.django over real HTTP: the test project (tests/django_project) under
``manage.py runserver`` and uvicorn, nginx in front where addresses matter, and the sandbox's real
signed deliveries of bulk charges.

Addresses: every process here is on loopback, so the sandbox delivers from 127.0.0.1, which is
not one of Paystack's addresses. nginx connects to Django from 127.0.0.3 (its ``proxy_bind``) and
appends the address it saw to X-Forwarded-For; 127.0.0.5 plays a load balancer in front of nginx
that has seen Paystack's address. Django trusts the proxies it is told to and no one else.
"""

from __future__ import annotations

import base64
import json
import shutil
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from paystack_rs import webhooks
from paystack_rs.sandbox import Sandbox

from .conftest import DATA, key_for
from .helpers import wait_for_batch
from .servers import DjangoServer, Nginx, post

KEY_A = key_for("django-webhooks-a")
KEY_B = key_for("django-webhooks-b")  # the second configured key (test + live, or a rotation)
KEY_UNKNOWN = key_for("django-webhooks-unknown")  # a key the site does not have
PAYSTACK_IP = webhooks.SOURCE_IPS[0]
NGINX_ADDRESS = "127.0.0.3"
BALANCER_ADDRESS = "127.0.0.5"
CARD_DATA = ("AUTH_", "408408", "SIG_", "@example.com", "authorization_code", "exp_month")

SYNC_PATH = "/paystack/webhook/"
ASYNC_PATH = "/paystack/webhook-async/"


# -- servers -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dev_site() -> Iterator[DjangoServer]:
    """DEBUG on, nothing but the keys configured: the address check is off."""
    with DjangoServer("runserver", {"PAYSTACK_SECRET_KEY": [KEY_A, KEY_B]}, debug=True) as site:
        yield site


@pytest.fixture(scope="module")
def asgi_site() -> Iterator[DjangoServer]:
    with DjangoServer("uvicorn", {"PAYSTACK_SECRET_KEY": [KEY_A, KEY_B]}, debug=True) as site:
        yield site


@pytest.fixture(scope="module")
def shared_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[DjangoServer, DjangoServer]]:
    """Two processes of one site (runserver and uvicorn) sharing a database cache, as workers do."""
    database = tmp_path_factory.mktemp("shared-cache") / "site.sqlite3"
    settings = {
        "PAYSTACK_SECRET_KEY": [KEY_A, KEY_B],
        # IMMEDIATE: concurrent writers wait for each other instead of failing ("database is
        # locked" when two read transactions both try to write), as a site on SQLite should.
        "DATABASES": {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(database),
                "OPTIONS": {"transaction_mode": "IMMEDIATE"},
            }
        },
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "webhooks"}},
    }
    first = DjangoServer("runserver", settings, debug=True)
    created = first.manage("createcachetable")
    assert created.returncode == 0, created.stderr
    with first, DjangoServer("uvicorn", settings, debug=True) as second:
        yield first, second


@pytest.fixture(scope="module")
def prod_site() -> Iterator[DjangoServer]:
    """DEBUG off and no PAYSTACK_WEBHOOK_CHECK_IP: the address check is on, for Paystack's addresses."""
    settings = {"PAYSTACK_SECRET_KEY": KEY_A, "PAYSTACK_WEBHOOK_TRUSTED_PROXIES": [NGINX_ADDRESS, BALANCER_ADDRESS]}
    with DjangoServer("runserver", settings, debug=False) as site:
        yield site


@pytest.fixture(scope="module")
def allow_site() -> Iterator[DjangoServer]:
    """DEBUG off, the sandbox's address allowed, behind nginx (uvicorn, async view)."""
    settings = {
        "PAYSTACK_SECRET_KEY": KEY_A,
        "PAYSTACK_WEBHOOK_TRUSTED_PROXIES": [f"{NGINX_ADDRESS}/32"],
        "PAYSTACK_WEBHOOK_ALLOWED_IPS": ["127.0.0.1"],
    }
    with DjangoServer("uvicorn", settings, debug=False) as site:
        yield site


@pytest.fixture(scope="module")
def proxy(prod_site: DjangoServer, allow_site: DjangoServer) -> Iterator[Nginx]:
    with Nginx({"prod": prod_site.port, "allow": allow_site.port}, bind=NGINX_ADDRESS) as nginx:
        yield nginx


#: The sandbox's delivery settings each test starts from (a key's settings outlive a test).
DELIVERY = {"webhook_max_attempts": 5, "webhook_retry_interval_ms": 50, "webhook_timeout_ms": 2000}


def integration(sandbox: Sandbox, key: str, webhook_url: str, **settings: Any) -> Sandbox:
    """The sandbox seen through ``key``, delivering that integration's webhooks to ``webhook_url``."""
    sb = Sandbox.connect(sandbox.base_url, key)
    sb.configure(webhook_url=webhook_url, **{**DELIVERY, **settings})
    return sb


# -- helpers -------------------------------------------------------------------------------------


def bulk_charge(sb: Sandbox, prefix: str, successes: int = 12) -> tuple[list[str], list[str]]:
    """A batch of ``successes`` good cards (three of them fail 3 times first) and 3 declines;
    waits until it is complete. Returns (references that succeed, references that fail)."""
    kinds = [Sandbox.AUTH_SUCCESS, Sandbox.AUTH_SUCCESS_PLAIN, Sandbox.AUTH_SUCCESS_FULL]
    good = [f"{prefix}-ok-{i}" for i in range(successes)]
    bad = [f"{prefix}-declined-{i}" for i in range(3)]
    items = [{"authorization": kinds[i % 3], "amount": 10_000 + i, "reference": ref} for i, ref in enumerate(good)]
    for item in items[:3]:
        flaky = sb.add_customer(f"{item['reference']}@example.com", behaviour={"kind": "fail_first", "failures": 3})
        item["authorization"] = flaky["authorization"]["authorization_code"]
    items += [{"authorization": Sandbox.AUTH_DECLINED, "amount": 5000, "reference": ref} for ref in bad]
    client = sb.client()
    code = client.bulk_charge.initiate(items).data["batch_code"]
    batch = wait_for_batch(client, code)
    assert batch["pending_charges"] == 0
    return good, bad


def deliveries(sb: Sandbox, references: list[str], *, timeout: float = 20.0) -> dict[str, dict[str, Any]]:
    """The sandbox's delivery of each of ``references``, once all exist and none is pending."""
    wanted = set(references)
    deadline = time.monotonic() + timeout
    while True:
        found = [d for d in sb.webhooks() if d["reference"] in wanted]
        if {d["reference"] for d in found} == wanted and all(d["status"] != "pending" for d in found):
            assert len(found) == len(wanted), Counter(d["reference"] for d in found)
            return {d["reference"]: d for d in found}
        if time.monotonic() > deadline:
            summary = sorted((d["reference"], d["status"], statuses(d)) for d in found)
            raise AssertionError(f"deliveries of {sorted(wanted)} not done after {timeout}s: {summary}")
        time.sleep(0.05)


def delivered_references(sb: Sandbox, references: list[str]) -> set[str]:
    return {d["reference"] for d in sb.webhooks() if d["reference"] in set(references)}


def exact_body(delivery: dict[str, Any], key: str) -> bytes:
    """The bytes the sandbox sent: its payload re-serialised compactly, proven by its signature."""
    body = json.dumps(delivery["payload"], separators=(",", ":"), ensure_ascii=False).encode()
    assert webhooks.verify(body, delivery["signature"], key), "could not rebuild the delivered bytes"
    return body


def records_for(site: DjangoServer, references: list[str] | set[str]) -> list[dict[str, Any]]:
    wanted = set(references)
    return [r for r in site.records() if r["reference"] in wanted]


def settle(site: DjangoServer, references: list[str], expected: int, timeout: float = 10.0) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while True:
        found = records_for(site, references)
        if len(found) >= expected or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def statuses(delivery: dict[str, Any]) -> list[int | None]:
    return [a["status_code"] for a in delivery["attempts"]]


def assert_no_card_data(text: str) -> None:
    for marker in CARD_DATA:
        assert marker not in text, f"{marker!r} reached the log"


# -- every charge.success arrives once -----------------------------------------------------------


@pytest.mark.parametrize(("site_name", "path", "view"), [
    ("dev_site", SYNC_PATH, "PaystackWebhookView"),
    ("asgi_site", ASYNC_PATH, "AsyncPaystackWebhookView"),
    ("asgi_site", SYNC_PATH, "PaystackWebhookView"),
])  # fmt: skip
def test_bulk_charge_deliveries_run_each_receiver_once(
    request: pytest.FixtureRequest, sandbox: Sandbox, site_name: str, path: str, view: str
):
    site: DjangoServer = request.getfixturevalue(site_name)
    sb = integration(sandbox, KEY_A, site.url(path))
    prefix = f"bulk-{site_name}-{view}".lower().replace("_", "-")
    good, bad = bulk_charge(sb, prefix)
    sent = deliveries(sb, good)
    assert delivered_references(sb, bad) == set(), "Paystack sends charge.success only"
    for delivery in sent.values():
        assert delivery["status"] == "delivered"
        assert statuses(delivery) == [200]

    records = settle(site, good + bad, expected=3 * len(good))
    calls = Counter((r["receiver"], r["reference"]) for r in records)
    assert calls == Counter({(receiver, ref): 1 for receiver in ("sync", "async", "every") for ref in good})
    by_ref = {r["reference"]: r for r in records if r["receiver"] == "sync"}
    for ref, delivery in sent.items():
        assert by_ref[ref]["id"] == delivery["transaction_id"]
        assert by_ref[ref]["amount"] == delivery["payload"]["data"]["amount"]
    assert {r["view"] for r in records} == {view}
    assert {r["event"] for r in records} == {"charge.success"}

    # Paystack delivering the same events again (its retries): acknowledged, receivers not run.
    for delivery in sent.values():
        body = exact_body(delivery, KEY_A)
        status, answer, _ = post(site.url(path), body, {"x-paystack-signature": delivery["signature"]})
        assert (status, answer) == (200, {"received": True, "message": "already handled"})
    time.sleep(0.2)
    assert len(records_for(site, good)) == 3 * len(good)
    assert "delivered again: already handled" in site.log()
    assert_no_card_data(site.log())


def test_concurrent_deliveries_of_one_event_run_it_once(sandbox: Sandbox, dev_site: DjangoServer):
    sb = integration(sandbox, KEY_A, dev_site.url("/nowhere/"), webhook_max_attempts=1)
    good, _ = bulk_charge(sb, "concurrent-one-process", successes=1)
    delivery = deliveries(sb, good)[good[0]]
    body, headers = exact_body(delivery, KEY_A), {"x-paystack-signature": delivery["signature"]}
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: post(dev_site.url(SYNC_PATH), body, headers)[:2], range(16)))
    handled = [a for a in answers if a == (200, {"received": True, "message": "handled"})]
    assert len(handled) == 1, answers
    assert all(a in handled or a[0] in (200, 409) for a in answers), answers
    assert Counter(r["receiver"] for r in settle(dev_site, good, expected=3)) == {"sync": 1, "async": 1, "every": 1}


def test_processes_sharing_a_cache_run_an_event_once(sandbox: Sandbox, shared_sites: tuple[DjangoServer, DjangoServer]):
    first, second = shared_sites
    # The sandbox delivers a bulk charge to one process; Paystack's retries reach the other.
    sb = integration(sandbox, KEY_B, first.url(SYNC_PATH))
    good, _ = bulk_charge(sb, "shared-cache", successes=6)
    sent = deliveries(sb, good)
    assert [statuses(d) for d in sent.values()] == [[200]] * len(good)
    assert len(settle(first, good, expected=18)) == 18
    for delivery in sent.values():
        status, answer, _ = post(
            second.url(ASYNC_PATH), exact_body(delivery, KEY_B), {"x-paystack-signature": delivery["signature"]}
        )
        assert (status, answer["message"]) == (200, "already handled")
    # One new event, delivered to both processes at once, many times.
    fresh = integration(sandbox, KEY_B, first.url("/nowhere/"), webhook_max_attempts=1)
    one, _ = bulk_charge(fresh, "shared-cache-race", successes=1)
    delivery = deliveries(fresh, one)[one[0]]
    body, headers = exact_body(delivery, KEY_B), {"x-paystack-signature": delivery["signature"]}
    urls = [first.url(SYNC_PATH), second.url(ASYNC_PATH)] * 8
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda url: post(url, body, headers)[:2], urls))
    assert [a for a in answers if a[1].get("message") == "handled"] == [(200, {"received": True, "message": "handled"})]
    time.sleep(0.3)
    calls = Counter(r["receiver"] for r in records_for(first, one) + records_for(second, one))
    assert calls == {"sync": 1, "async": 1, "every": 1}
    assert records_for(second, good) == []


@pytest.mark.parametrize(
    ("settings", "debug", "expected"),
    [
        ({"PAYSTACK_SECRET_KEY": KEY_A}, True, None),
        ({}, True, "paystack_rs.E001"),
        ({"PAYSTACK_SECRET_KEY": KEY_A, "PAYSTACK_WEBHOOK_TRUSTED_PROXIES": ["nginx"]}, True, "paystack_rs.E001"),
        ({"PAYSTACK_SECRET_KEY": KEY_A, "PAYSTACK_WEBHOOK_CACHE": "webhooks"}, True, "paystack_rs.E002"),
        ({"PAYSTACK_SECRET_KEY": KEY_A}, False, "paystack_rs.W002"),
        (
            {
                "PAYSTACK_SECRET_KEY": KEY_A,
                "CACHES": {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}},
            },
            True,
            "paystack_rs.W001",
        ),
    ],
)
def test_manage_check_reports_the_webhook_settings(settings: dict[str, Any], debug: bool, expected: str | None):
    site = DjangoServer("runserver", settings, debug=debug)
    done = site.manage("check")
    shutil.rmtree(site.dir)
    output = done.stdout + done.stderr
    if expected is None:
        assert done.returncode == 0, output
        assert "paystack_rs." not in output
    else:
        assert f"({expected})" in output, output
        assert done.returncode == (1 if ".E" in expected else 0), output
    assert KEY_A not in output


def test_a_second_key_is_accepted_and_an_unknown_key_refused(sandbox: Sandbox, dev_site: DjangoServer):
    second = integration(sandbox, KEY_B, dev_site.url(SYNC_PATH))
    good, _ = bulk_charge(second, "second-key", successes=3)
    assert [statuses(d) for d in deliveries(second, good).values()] == [[200]] * 3
    assert len(settle(dev_site, good, expected=9)) == 9

    unknown = integration(sandbox, KEY_UNKNOWN, dev_site.url(SYNC_PATH), webhook_max_attempts=2)
    good, _ = bulk_charge(unknown, "unknown-key", successes=3)
    for delivery in deliveries(unknown, good).values():
        assert delivery["status"] == "failed"
        assert statuses(delivery) == [400, 400]
    assert records_for(dev_site, good) == []
    assert "the signature matches none of the 2 secret key(s)" in dev_site.log()


def test_every_paystack_sample_event_is_received(dev_site: DjangoServer):
    """Paystack's documented sample events (tests/data), signed as Paystack signs them: each is
    acknowledged and sent once; on_event("charge.success") receivers see only charge.success."""
    samples = sorted((DATA / "paystack" / "samples" / "doc" / "payments" / "webhooks" / "events").glob("*.json"))
    assert len(samples) >= 24
    before = len(dev_site.records())  # what earlier tests had this server record
    sent = Counter()
    for sample in samples:
        body = sample.read_bytes()
        event = json.loads(body)["event"]
        status, answer, _ = post(dev_site.url(SYNC_PATH), body, {"x-paystack-signature": webhooks.sign(body, KEY_B)})
        assert (status, answer["message"]) == (200, "handled"), sample.name
        sent[event] += 1
    time.sleep(0.2)
    records = dev_site.records()[before:]
    assert Counter(r["event"] for r in records if r["receiver"] == "every") == sent
    assert {"subscription.expiring_cards", "transfer.success", "refund.processed"} <= set(sent)
    charge_only = Counter((r["receiver"], r["event"]) for r in records if r["receiver"] != "every")
    assert charge_only == {("sync", "charge.success"): 1, ("async", "charge.success"): 1}
    assert_no_card_data(dev_site.log())


def test_a_delivery_replays_from_its_exact_bytes(sandbox: Sandbox, dev_site: DjangoServer, asgi_site: DjangoServer):
    """docs/django.md, "Replaying a delivery": a webhook log that keeps the raw body and the
    signature replays to the real servers; the parsed JSON written out again does not verify."""
    sb = integration(sandbox, KEY_A, dev_site.url(SYNC_PATH))
    reference = "replay-exact-bytes"
    sb.client().transaction.charge_authorization("success@example.com", 7000, Sandbox.AUTH_SUCCESS, reference)
    delivery = deliveries(sb, [reference])[reference]
    assert statuses(delivery) == [200]
    logged = [r for r in settle(dev_site, [reference], expected=3) if r["receiver"] == "every"]
    assert len(logged) == 1
    body, signature = base64.b64decode(logged[0]["body"]), logged[0]["signature"]
    assert signature == delivery["signature"]
    # The sandbox's own log holds the parsed payload: its compact form is these bytes.
    assert body == exact_body(delivery, KEY_A)

    # To the server that handled it: the signature holds, and the event is recognised as handled.
    status, answer, _ = post(dev_site.url(SYNC_PATH), body, {"x-paystack-signature": signature})
    assert (status, answer["message"]) == (200, "already handled")
    assert len(records_for(dev_site, [reference])) == 3, "no receiver ran again"
    # To a process that has not seen it (its own cache): handled, every receiver runs once.
    status, answer, _ = post(asgi_site.url(ASYNC_PATH), body, {"x-paystack-signature": signature})
    assert (status, answer["message"]) == (200, "handled")
    assert len(settle(asgi_site, [reference], expected=3)) == 3
    # json.dumps of the parsed event is other bytes: the signature does not match, and it is refused.
    rewritten = json.dumps(json.loads(body)).encode()
    assert rewritten != body
    status, _, _ = post(asgi_site.url(ASYNC_PATH), rewritten, {"x-paystack-signature": signature})
    assert status == 400


# -- forged, malformed, wrong method --------------------------------------------------------------


@pytest.mark.parametrize(("site_name", "path"), [("dev_site", SYNC_PATH), ("asgi_site", ASYNC_PATH)])
def test_forged_and_malformed_deliveries_are_refused(
    request: pytest.FixtureRequest, sandbox: Sandbox, site_name: str, path: str
):
    site: DjangoServer = request.getfixturevalue(site_name)
    url = site.url(path)
    # A real delivery to copy from, sent to nowhere that accepts it.
    sb = integration(sandbox, KEY_A, site.url("/nowhere/"), webhook_max_attempts=1)
    good, _ = bulk_charge(sb, f"forged-{site_name.replace('_', '-')}", successes=1)
    delivery = deliveries(sb, good)[good[0]]
    body, signature = exact_body(delivery, KEY_A), delivery["signature"]
    tampered = body.replace(b'"amount":10000', b'"amount":99999999', 1)
    assert tampered != body

    def refused(body: bytes, headers: dict[str, str]) -> tuple[int, str]:
        status, answer, _ = post(url, body, headers)
        assert answer["received"] is False
        return status, answer["message"]

    assert refused(tampered, {"x-paystack-signature": signature}) == (400, "invalid signature")
    assert refused(body, {"x-paystack-signature": webhooks.sign(body, KEY_UNKNOWN)}) == (400, "invalid signature")
    assert refused(body, {"x-paystack-signature": signature[:-2]}) == (400, "invalid signature")
    assert refused(body, {"x-paystack-signature": "zz" * 64}) == (400, "invalid signature")
    assert refused(body, {}) == (400, "missing signature")
    for malformed in (b"not json", b"[1, 2]", b'{"data": {}}', b'{"event": "charge.success"}', b'{"event": 1}', b""):
        assert refused(malformed, {"x-paystack-signature": webhooks.sign(malformed, KEY_A)}) == (400, "malformed event")
    for method in ("GET", "PUT", "DELETE", "OPTIONS", "PATCH"):
        status, _, headers = post(url, body, {"x-paystack-signature": signature}, method=method)
        assert (status, headers.get("allow")) == (405, "POST"), method
    assert records_for(site, good) == []

    # The genuine one still goes through once; CSRF never asked for a token.
    status, answer, _ = post(url, body, {"x-paystack-signature": signature})
    assert (status, answer["message"]) == (200, "handled")
    assert len(settle(site, good, expected=3)) == 3
    log = site.log()
    assert "no x-paystack-signature header" in log
    assert "signed, but not a Paystack event" in log
    assert_no_card_data(log)


# -- receivers that fail or take their time --------------------------------------------------------


def test_a_failing_receiver_gets_the_delivery_again(sandbox: Sandbox, dev_site: DjangoServer):
    sb = integration(sandbox, KEY_A, dev_site.url(SYNC_PATH))
    reference = "receiver-fails-once"
    dev_site.tell("fail", reference)
    client = sb.client()
    client.transaction.charge_authorization("success@example.com", 7000, Sandbox.AUTH_SUCCESS, reference=reference)
    delivery = deliveries(sb, [reference])[reference]
    # The first answer is 500, so the sandbox (like Paystack) delivers again; the second is handled.
    assert statuses(delivery) == [500, 200]
    assert delivery["status"] == "delivered"
    calls = Counter(r["receiver"] for r in settle(dev_site, [reference], expected=5))
    # The failing receiver ran to the end once; the others ran for each attempt (they must be
    # idempotent: a retry after a failure runs every receiver).
    assert calls == {"sync": 1, "async": 2, "every": 2}
    log = dev_site.log()
    assert f"charge.success:test:id={delivery['transaction_id']}: receiver" in log
    assert "RuntimeError: told to fail once" in log
    assert "answered 500 so that Paystack delivers it again" in log


@pytest.mark.parametrize(("site_name", "path"), [("dev_site", SYNC_PATH), ("asgi_site", ASYNC_PATH)])
def test_a_retry_during_a_slow_receiver_waits_for_it(
    request: pytest.FixtureRequest, sandbox: Sandbox, site_name: str, path: str
):
    site: DjangoServer = request.getfixturevalue(site_name)
    # The sandbox gives up on an attempt after 500 ms and tries again 300 ms later.
    sb = integration(
        sandbox,
        KEY_A,
        site.url(path),
        webhook_timeout_ms=500,
        webhook_retry_interval_ms=300,
        webhook_max_attempts=10,
    )
    reference = f"slow-receiver-{site_name.replace('_', '-')}"
    site.tell("slow", reference, "1.5")
    sb.client().transaction.charge_authorization("success@example.com", 7000, Sandbox.AUTH_SUCCESS, reference=reference)
    delivery = deliveries(sb, [reference], timeout=30)[reference]
    codes = statuses(delivery)
    assert delivery["status"] == "delivered"
    assert codes[0] is None  # the first attempt timed out
    assert delivery["attempts"][0]["error"] == "timeout"
    assert 409 in codes, codes  # retried while the first was still being handled
    assert codes[-1] == 200
    calls = Counter(r["receiver"] for r in settle(site, [reference], expected=3))
    time.sleep(0.2)
    assert calls == {"sync": 1, "async": 1, "every": 1}
    assert "delivered again while being handled: answered 409" in site.log()


# -- addresses -----------------------------------------------------------------------------------


def test_production_refuses_the_sandbox_address_through_the_proxy(
    sandbox: Sandbox, prod_site: DjangoServer, proxy: Nginx
):
    sb = integration(sandbox, KEY_A, proxy.url("prod", SYNC_PATH), webhook_max_attempts=2)
    good, _ = bulk_charge(sb, "prod-refused", successes=3)
    for delivery in deliveries(sb, good).values():
        assert statuses(delivery) == [403, 403]
        assert delivery["status"] == "failed"
    assert records_for(prod_site, good) == []
    assert "Paystack webhook refused (403): 127.0.0.1 is not an allowed sender address (REMOTE_ADDR 127.0.0.3)" in (
        prod_site.log()
    )


def test_production_believes_only_trusted_proxies(sandbox: Sandbox, prod_site: DjangoServer, proxy: Nginx):
    sb = integration(sandbox, KEY_A, prod_site.url("/nowhere/"), webhook_max_attempts=1)
    good, _ = bulk_charge(sb, "prod-forwarded", successes=1)
    delivery = deliveries(sb, good)[good[0]]
    body = exact_body(delivery, KEY_A)
    signed = {"x-paystack-signature": delivery["signature"]}
    claims_paystack = {**signed, "X-Forwarded-For": PAYSTACK_IP}

    # Straight to Django from an address it does not trust: the header is the sender's claim.
    assert post(prod_site.url(SYNC_PATH), body, claims_paystack)[0] == 403
    # Through nginx from such an address: nginx appends what it saw, and that decides.
    assert post(proxy.url("prod", SYNC_PATH), body, claims_paystack)[0] == 403
    assert records_for(prod_site, good) == []

    # Through nginx from the trusted balancer that saw Paystack's address: allowed, then verified.
    from_balancer = {"source": BALANCER_ADDRESS}
    garbled = {**claims_paystack, "X-Forwarded-For": "garbage"}
    assert post(proxy.url("prod", SYNC_PATH), body, garbled, **from_balancer)[0] == 403
    forged = {**claims_paystack, "x-paystack-signature": webhooks.sign(body, KEY_UNKNOWN)}
    assert post(proxy.url("prod", SYNC_PATH), body, forged, **from_balancer)[0] == 400
    status, answer, _ = post(proxy.url("prod", SYNC_PATH), body, claims_paystack, **from_balancer)
    assert (status, answer["message"]) == (200, "handled")
    assert len(settle(prod_site, good, expected=3)) == 3
    log = prod_site.log()
    assert f"{PAYSTACK_IP} is not an allowed" not in log
    assert "127.0.0.1 is not an allowed sender address (REMOTE_ADDR 127.0.0.1)" in log
    assert "an unreadable address is not an allowed sender address" in log
    assert_no_card_data(log)


def test_allowed_addresses_behind_the_proxy_receive_a_bulk_charge_once(
    sandbox: Sandbox, allow_site: DjangoServer, proxy: Nginx
):
    sb = integration(sandbox, KEY_A, proxy.url("allow", ASYNC_PATH))
    good, bad = bulk_charge(sb, "allowed-behind-proxy")
    sent = deliveries(sb, good)
    assert delivered_references(sb, bad) == set()
    assert all(statuses(d) == [200] for d in sent.values())
    records = settle(allow_site, good, expected=3 * len(good))
    assert Counter(r["reference"] for r in records) == Counter({ref: 3 for ref in good})
    # Any other address, straight to Django: refused.
    delivery = next(iter(sent.values()))
    status, _, _ = post(
        allow_site.url(ASYNC_PATH),
        exact_body(delivery, KEY_A),
        {"x-paystack-signature": delivery["signature"]},
        source="127.0.0.9",
    )
    assert status == 403

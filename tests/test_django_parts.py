"""paystack_rs.contrib.django piece by piece, in this process: the sender address behind proxies,
the settings and their errors, what makes two deliveries the same event, ``on_event``, and the
extra's import guard. The whole view runs over real HTTP in test_django.py."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap

import django
import pytest
from django.conf import settings

if not settings.configured:
    settings.configure(DEBUG=False, CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
    django.setup()

from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from paystack_rs import webhooks
from paystack_rs.contrib.django import conf, on_event, webhook_received
from paystack_rs.contrib.django.ip import client_ip, is_allowed, parse_address, parse_networks
from paystack_rs.contrib.django.views import PaystackWebhookView, delivery_identity

PAYSTACK_IP = webhooks.SOURCE_IPS[0]
TRUSTED = parse_networks(["10.0.0.0/8", "127.0.0.3", "fd00::/8"], "test")


# -- addresses -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("52.31.139.75", "52.31.139.75"),
        (" 52.31.139.75 ", "52.31.139.75"),
        ("52.31.139.75:5678", "52.31.139.75"),
        ("::1", "::1"),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("[2001:db8::1]", "2001:db8::1"),
        ("::ffff:52.31.139.75", "52.31.139.75"),
        ("unknown", None),
        ("", None),
        ("[::1", None),
        ("1.2.3.4.5", None),
    ],
)
def test_parse_address(text: str, expected: str | None):
    address = parse_address(text)
    assert (None if address is None else str(address)) == expected


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # Not from a trusted proxy: the header is the sender's own claim and is ignored.
        ("198.51.100.7", PAYSTACK_IP, "198.51.100.7"),
        ("198.51.100.7", None, "198.51.100.7"),
        # From a trusted proxy: the rightmost address that is not a trusted proxy.
        ("127.0.0.3", PAYSTACK_IP, PAYSTACK_IP),
        ("127.0.0.3", f"198.51.100.7, {PAYSTACK_IP}", PAYSTACK_IP),
        ("127.0.0.3", f"{PAYSTACK_IP}, 198.51.100.7", "198.51.100.7"),  # a claim the proxy did not make
        ("127.0.0.3", f"{PAYSTACK_IP}, 10.1.2.3", PAYSTACK_IP),  # two proxies
        ("127.0.0.3", f"{PAYSTACK_IP},10.1.2.3,,", PAYSTACK_IP),
        ("127.0.0.3", f"{PAYSTACK_IP}:4711, [fd00::1]:80", PAYSTACK_IP),
        ("::ffff:127.0.0.3", PAYSTACK_IP, PAYSTACK_IP),
        # Only trusted hops, or no header: the leftmost trusted host sent it.
        ("127.0.0.3", "10.1.2.3", "10.1.2.3"),
        ("127.0.0.3", None, "127.0.0.3"),
        ("127.0.0.3", "", "127.0.0.3"),
        # A hop that is not an address where the decision is made: unreadable.
        ("127.0.0.3", f"{PAYSTACK_IP}, garbage", None),
        ("127.0.0.3", f"garbage, {PAYSTACK_IP}", PAYSTACK_IP),  # left of the sender: never read
        ("", PAYSTACK_IP, None),
        (None, None, None),
    ],
)
def test_client_ip_behind_trusted_proxies(remote: str | None, forwarded: str | None, expected: str | None):
    assert client_ip(remote, forwarded, TRUSTED) == expected


def test_client_ip_without_trusted_proxies_ignores_the_header():
    assert client_ip("127.0.0.3", PAYSTACK_IP, ()) == "127.0.0.3"


def test_is_allowed():
    for ip in webhooks.SOURCE_IPS:
        assert is_allowed(ip, None)
    assert not is_allowed("127.0.0.1", None)
    assert not is_allowed(None, None)
    allowed = parse_networks(["127.0.0.0/30", "2001:db8::/32"], "test")
    assert is_allowed("127.0.0.2", allowed)
    assert not is_allowed("127.0.0.4", allowed)
    assert is_allowed("2001:db8::5", allowed)
    assert not is_allowed(PAYSTACK_IP, allowed)  # a list replaces Paystack's, it does not extend it


def test_parse_networks_names_the_setting_and_the_entry():
    with pytest.raises(ValueError, match=r"PAYSTACK_WEBHOOK_TRUSTED_PROXIES: 'nginx' is not an IP address"):
        parse_networks(["127.0.0.1", "nginx"], "PAYSTACK_WEBHOOK_TRUSTED_PROXIES")
    with pytest.raises(ValueError, match="must be a list"):
        parse_networks("127.0.0.1", "PAYSTACK_WEBHOOK_TRUSTED_PROXIES")


# -- settings ------------------------------------------------------------------------------------


@override_settings(PAYSTACK_SECRET_KEY="sk_test_one")
def test_defaults_in_production_and_in_debug():
    production = conf.load()
    assert production.secret_keys == ("sk_test_one",)
    assert production.check_ip is True
    assert production.allowed_ips is None
    assert production.trusted_proxies == ()
    assert production.cache_alias == "default"
    assert production.dedupe_timeout == 4 * 24 * 3600
    assert production.processing_timeout == 300
    assert production.retry_on_error is True
    with override_settings(DEBUG=True):
        assert conf.load().check_ip is False
    with override_settings(DEBUG=True, PAYSTACK_WEBHOOK_CHECK_IP=True):
        assert conf.load().check_ip is True
    with override_settings(PAYSTACK_WEBHOOK_CHECK_IP=False):
        assert conf.load().check_ip is False


def test_keys_from_a_list_or_the_environment(monkeypatch: pytest.MonkeyPatch):
    with override_settings(PAYSTACK_SECRET_KEY=["sk_test_one", " sk_live_two "]):
        loaded = conf.load()
        assert loaded.secret_keys == ("sk_test_one", "sk_live_two")
        assert "sk_" not in repr(loaded)
        assert "2 key(s)" in repr(loaded)
    monkeypatch.setenv("PAYSTACK_SECRET_KEY", "sk_test_from_env")
    assert conf.load().secret_keys == ("sk_test_from_env",)


@pytest.mark.parametrize(
    ("overrides", "named"),
    [
        ({"PAYSTACK_SECRET_KEY": None}, "PAYSTACK_SECRET_KEY"),
        ({"PAYSTACK_SECRET_KEY": []}, "PAYSTACK_SECRET_KEY"),
        ({"PAYSTACK_SECRET_KEY": ["sk_test_one", ""]}, "PAYSTACK_SECRET_KEY"),
        ({"PAYSTACK_SECRET_KEY": 12}, "PAYSTACK_SECRET_KEY"),
        ({"PAYSTACK_WEBHOOK_TRUSTED_PROXIES": "127.0.0.1"}, "PAYSTACK_WEBHOOK_TRUSTED_PROXIES"),
        ({"PAYSTACK_WEBHOOK_TRUSTED_PROXIES": ["localhost"]}, "PAYSTACK_WEBHOOK_TRUSTED_PROXIES: 'localhost'"),
        ({"PAYSTACK_WEBHOOK_ALLOWED_IPS": ["52.31.139.300"]}, "PAYSTACK_WEBHOOK_ALLOWED_IPS"),
        ({"PAYSTACK_WEBHOOK_CHECK_IP": "yes"}, "PAYSTACK_WEBHOOK_CHECK_IP"),
        ({"PAYSTACK_WEBHOOK_RETRY_ON_ERROR": 1}, "PAYSTACK_WEBHOOK_RETRY_ON_ERROR"),
        ({"PAYSTACK_WEBHOOK_DEDUPE_TIMEOUT": 0}, "PAYSTACK_WEBHOOK_DEDUPE_TIMEOUT"),
        ({"PAYSTACK_WEBHOOK_PROCESSING_TIMEOUT": "300"}, "PAYSTACK_WEBHOOK_PROCESSING_TIMEOUT"),
        ({"PAYSTACK_WEBHOOK_CACHE": 3}, "PAYSTACK_WEBHOOK_CACHE"),
    ],
)
def test_bad_settings_are_named(monkeypatch: pytest.MonkeyPatch, overrides: dict, named: str):
    monkeypatch.delenv("PAYSTACK_SECRET_KEY", raising=False)
    with (
        override_settings(**{"PAYSTACK_SECRET_KEY": "sk_test_one", **overrides}),
        pytest.raises(ImproperlyConfigured, match=named) as caught,
    ):
        conf.load()
    assert "sk_test_one" not in str(caught.value)


# -- the same event --------------------------------------------------------------------------------


def test_delivery_identity():
    body = b'{"event":"x"}'
    assert delivery_identity("charge.success", {"id": 3725529423, "domain": "test"}, body) == (
        "charge.success:test:id=3725529423"
    )
    assert delivery_identity("charge.success", {"id": 1, "reference": "r", "domain": "live"}, body) == (
        "charge.success:live:id=1"
    )
    assert delivery_identity("transfer.success", {"reference": "tr-1"}, body) == "transfer.success::reference=tr-1"
    assert delivery_identity("charge.success", {"id": True, "reference": "r"}, body) == "charge.success::reference=r"
    by_body = delivery_identity("subscription.create", {"domain": "test"}, body)
    assert by_body.startswith("subscription.create:test:body=")
    assert by_body == delivery_identity("subscription.create", {"domain": "test"}, body)
    assert by_body != delivery_identity("subscription.create", {"domain": "test"}, body + b" ")
    # subscription.expiring_cards has a list for data.
    assert delivery_identity("subscription.expiring_cards", [{"id": 1}], body).startswith(
        "subscription.expiring_cards::body="
    )
    # Another event about the same transaction is another event.
    dispute = delivery_identity("charge.dispute.create", {"id": 1}, body)
    assert dispute != delivery_identity("charge.success", {"id": 1}, body)


# -- on_event ------------------------------------------------------------------------------------


def test_on_event_filters_by_event_type_and_connects_once():
    calls: list[tuple[str, str]] = []

    def paid(sender, event, data, **kwargs):
        calls.append((event, data["reference"]))
        return "ok"

    assert on_event("charge.success", "transfer.success")(paid) is paid
    on_event("charge.success", "transfer.success")(paid)  # a module imported twice
    try:
        for event in ("charge.success", "transfer.failed", "transfer.success"):
            webhook_received.send(sender=PaystackWebhookView, event=event, data={"reference": event}, request=None)
        assert calls == [("charge.success", "charge.success"), ("transfer.success", "transfer.success")]
        assert paid(None, "direct", {"reference": "r"}) == "ok"  # still the plain function
    finally:
        assert webhook_received.disconnect(
            dispatch_uid=f"paystack_rs.on_event:{__name__}.{paid.__qualname__}:charge.success,transfer.success"
        )


async def test_on_event_with_an_async_receiver():
    calls: list[str] = []

    @on_event("charge.success", dispatch_uid="async-test")
    async def paid(sender, event, data, **kwargs):
        calls.append(data["reference"])

    try:
        await webhook_received.asend(sender=None, event="charge.success", data={"reference": "a"}, request=None)
        await webhook_received.asend(sender=None, event="charge.failed", data={"reference": "b"}, request=None)
        # Sent by the sync view (in a thread, as under ASGI): the async receiver runs too.
        await asyncio.to_thread(
            webhook_received.send, sender=None, event="charge.success", data={"reference": "c"}, request=None
        )
    finally:
        webhook_received.disconnect(dispatch_uid="async-test")
    assert calls == ["a", "c"]


def test_on_event_needs_event_names():
    with pytest.raises(TypeError, match="event names"):
        on_event()
    with pytest.raises(TypeError, match="event names"):
        on_event("")
    with pytest.raises(TypeError, match="decorates a function"):
        on_event("charge.success")("not a function")  # type: ignore[type-var]


# -- the extra -----------------------------------------------------------------------------------


def test_without_django_the_import_names_the_extra():
    script = textwrap.dedent(
        """
        import sys

        class NoDjango:
            def find_spec(self, name, path=None, target=None):
                if name == "django" or name.startswith("django."):
                    raise ModuleNotFoundError(f"No module named {name!r}", name=name)

        sys.meta_path.insert(0, NoDjango())
        import paystack_rs
        assert "django" not in sys.modules
        try:
            import paystack_rs.contrib.django
        except ImportError as exc:
            print(exc)
        else:
            raise SystemExit("imported without Django")
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "pip install 'paystack-rs[django]'" in done.stdout


def test_importing_the_package_does_not_import_django():
    script = "import sys, paystack_rs, paystack_rs.webhooks; print(sorted(m for m in sys.modules if 'django' in m))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]"


# -- settings that change what the view does (the view itself, called in this process) -----------

EVENT = b'{"event":"charge.success","data":{"id":987654321,"domain":"test","reference":"in-process"}}'


def deliver(view=None, body: bytes = EVENT, key: str = "sk_test_one"):
    from django.test import RequestFactory

    from paystack_rs.contrib.django import webhook_view

    request = RequestFactory().post(
        "/paystack/webhook/", body, content_type="application/json", HTTP_X_PAYSTACK_SIGNATURE=webhooks.sign(body, key)
    )
    return (view or webhook_view)(request)


@pytest.fixture
def received():
    from django.core.cache import cache

    cache.clear()
    calls: list[str] = []
    failures: list[str] = []

    def receiver(sender, event, data, **kwargs):
        calls.append(data["reference"])
        if failures:
            raise RuntimeError(failures.pop())

    webhook_received.connect(receiver, dispatch_uid="parts-receiver")
    yield calls, failures
    webhook_received.disconnect(dispatch_uid="parts-receiver")
    cache.clear()


@override_settings(PAYSTACK_SECRET_KEY="sk_test_one", PAYSTACK_WEBHOOK_CHECK_IP=False)
def test_a_receiver_error_is_retried_by_default(received):
    calls, failures = received
    failures.append("database away")
    assert deliver().status_code == 500
    assert deliver().status_code == 200  # Paystack's retry runs it again
    assert deliver().status_code == 200  # and then it is handled
    assert calls == ["in-process", "in-process"]


@override_settings(
    PAYSTACK_SECRET_KEY="sk_test_one", PAYSTACK_WEBHOOK_CHECK_IP=False, PAYSTACK_WEBHOOK_RETRY_ON_ERROR=False
)
def test_a_receiver_error_acknowledged_when_told_to(received, caplog: pytest.LogCaptureFixture):
    calls, failures = received
    failures.append("database away")
    assert deliver().status_code == 200
    assert deliver().status_code == 200
    assert calls == ["in-process"]  # acknowledged: not run again
    assert "raised RuntimeError" in caplog.text


@override_settings(PAYSTACK_SECRET_KEY="sk_test_one", PAYSTACK_WEBHOOK_CHECK_IP=False, PAYSTACK_WEBHOOK_CACHE=None)
def test_without_a_cache_every_delivery_runs(received):
    calls, _ = received
    assert [deliver().status_code for _ in range(3)] == [200, 200, 200]
    assert calls == ["in-process"] * 3


@override_settings(PAYSTACK_SECRET_KEY="sk_test_one", PAYSTACK_WEBHOOK_CHECK_IP=False)
def test_a_subclass_decides_what_is_the_same_event(received):
    class ByReference(PaystackWebhookView):
        def identify(self, event, data, body):
            return f"{event}:{data['reference']}"

    view = ByReference.as_view()
    other = EVENT.replace(b"987654321", b"111")  # another id, the same reference
    assert deliver(view).status_code == 200
    answer = deliver(view, other)
    assert (answer.status_code, answer.content) == (200, b'{"received": true, "message": "already handled"}')
    assert received[0] == ["in-process"]


@override_settings(PAYSTACK_WEBHOOK_CHECK_IP=False)
def test_no_key_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch, received):
    monkeypatch.delenv("PAYSTACK_SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="PAYSTACK_SECRET_KEY"):
        deliver()
    assert received[0] == []

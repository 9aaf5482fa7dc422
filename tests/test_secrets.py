"""The secret key never reaches a repr, str, log record, exception or printed output: every error
path is driven with a recognisable key and all of it is searched."""

from __future__ import annotations

import asyncio
import logging
import pickle
import socket
import traceback

import pytest

import paystack_rs
from paystack_rs import webhooks
from paystack_rs.sandbox import Sandbox, SandboxError

MARK = "LEAKCHECK7f3a9c"
KEY = f"sk_test_{MARK}"


def everything_about(exc: BaseException) -> str:
    parts = [str(exc), repr(exc), repr(exc.args), "".join(traceback.format_exception(exc))]
    parts += [repr(v) for v in vars(exc).values()]
    response = getattr(exc, "response", None)
    if response is not None:
        parts += [repr(response), repr(response.headers), repr(vars(response) if hasattr(response, "__dict__") else "")]
    parts.append(repr(pickle.loads(pickle.dumps(exc)).args))
    return "\n".join(parts)


def error_paths(sb: Sandbox) -> list[BaseException]:
    """Calls that fail in every way the SDK can fail, all with KEY."""
    sb_key = Sandbox.connect(sb.base_url, KEY)
    sb_key.reset()
    client = sb_key.client(max_retries=1, timeout=2)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    calls = [
        lambda: client.transaction.verify("missing"),  # 400
        lambda: client.bulk_charge.fetch("BCH_missing"),  # 404
        lambda: client.transaction.initialize("bad", -1),  # validation
        lambda: client.bulk_charge.initiate([{"authorization": "", "amount": 0}]),  # validation, indexed
        lambda: paystack_rs.Paystack(KEY, base_url="http://example.com"),  # configuration
        lambda: paystack_rs.Paystack(KEY + " with space", base_url=sb.base_url),  # malformed key
        lambda: paystack_rs.Paystack(
            KEY, base_url=f"http://127.0.0.1:{closed_port}", max_retries=0
        ).transaction.charge_authorization("a@b.co", 100, "AUTH_x"),  # connection refused
        paystack_rs.Paystack(KEY.replace("test", "nope"), base_url=sb.base_url).transaction.totals,  # 401
        lambda: webhooks.construct_event(b"{}", "00", KEY),  # signature
        lambda: Sandbox.connect(sb.base_url, "not-a-key").fixtures(),  # sandbox control 401
        lambda: asyncio.run(client.transaction.verify_async("missing-async")),
    ]
    faulted = [
        ([{"kind": "rate_limit", "limit": 0, "window_ms": 60000}], lambda: client.transaction.totals(max_retries=0)),
        ([{"kind": "error", "status": 503}], client.transaction.totals),
        ([{"kind": "latency", "ms": 800}], lambda: client.transaction.totals(timeout=0.2)),
        ([{"kind": "truncate"}], client.transaction.totals),
        (
            [{"kind": "drop_after"}],
            lambda: client.transaction.charge_authorization("success@example.com", 100, Sandbox.AUTH_SUCCESS),
        ),
    ]
    raised: list[BaseException] = []
    for call in calls:
        try:
            call()
        except (paystack_rs.PaystackError, SandboxError) as exc:
            raised.append(exc)
    for rules, call in faulted:
        sb_key.set_faults(rules)
        try:
            call()
        except paystack_rs.PaystackError as exc:
            raised.append(exc)
        sb_key.clear_faults()
    return raised


def test_no_error_path_shows_the_key(sb, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    logging.getLogger().setLevel(logging.DEBUG)
    raised = error_paths(sb)
    kinds = {type(e).__name__ for e in raised}
    assert kinds >= {
        "InvalidRequestError",
        "NotFoundError",
        "ValidationError",
        "ConfigurationError",
        "APIConnectionError",
        "AuthenticationError",
        "SignatureVerificationError",
        "SandboxError",
        "RateLimitError",
        "ServerError",
        "Timeout",
    }
    assert len(raised) == 16
    for exc in raised:
        assert MARK not in everything_about(exc), type(exc).__name__
    out, err = capfd.readouterr()
    assert MARK not in out + err
    assert MARK not in caplog.text
    # Nor does the server's request log: the Authorization header is redacted there too.
    assert MARK not in repr(Sandbox.connect(sb.base_url, KEY).requests())


def test_reprs_of_every_object_holding_the_key(sb):
    client = paystack_rs.Paystack(KEY, base_url=sb.base_url)
    with Sandbox(secret_key=KEY) as own:
        objects = [client, client.transaction, client.bulk_charge, client._core, own, own.client()]
        for obj in objects:
            assert MARK not in repr(obj)
            assert MARK not in str(obj)
    assert MARK not in repr(vars(paystack_rs))


def test_the_key_is_only_sent_in_the_authorization_header(sb):
    marked = Sandbox.connect(sb.base_url, KEY)
    marked.reset()
    marked.client().transaction.initialize("ada@example.com", 100, metadata={"note": "hello"})
    [request] = marked.requests()
    assert request["headers"]["authorization"] == "[redacted]"
    assert MARK not in repr(request)


@pytest.mark.parametrize("bad", ["", " ", "sk_test_x\n", "sk_test_é"])
def test_malformed_keys_are_refused_without_echo(bad, sb):
    with pytest.raises((paystack_rs.ConfigurationError, paystack_rs.AuthenticationError)) as caught:
        paystack_rs.Paystack(bad, base_url=sb.base_url)
    if bad.strip():
        assert bad.strip() not in str(caught.value)

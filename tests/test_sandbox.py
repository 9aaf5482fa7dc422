"""The sandbox as users run it: embedded with `with Sandbox()`, and standalone as a command."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

import paystack_rs
from paystack_rs.sandbox import DEFAULT_SECRET_KEY, Sandbox, SandboxError


def test_embedded_sandbox_starts_on_a_random_port_and_stops_cleanly():
    with Sandbox(seed=7) as sb:
        assert sb.base_url.startswith("http://127.0.0.1:")
        assert sb.port > 0
        assert sb.secret_key == DEFAULT_SECRET_KEY
        assert sb.client().transaction.totals().status
        port = sb.port
    assert "not running" in repr(sb)
    with pytest.raises(SandboxError):
        _ = sb.base_url
    # The port is free again: the server really stopped.
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", port))


def test_two_sandboxes_side_by_side_with_their_own_keys():
    with Sandbox(secret_key="sk_test_one") as a, Sandbox(secret_key="sk_live_two") as b:
        assert a.base_url != b.base_url
        assert a.client().mode == "test"
        assert b.client().mode == "live"
        r = a.client().transaction.charge_authorization("success@example.com", 100, Sandbox.AUTH_SUCCESS)
        assert r.data["domain"] == "test"
        assert (
            b.client().transaction.charge_authorization("success@example.com", 100, Sandbox.AUTH_SUCCESS).data["domain"]
            == "live"
        )


def test_fixture_constants_match_the_server(sb):
    codes = {a["authorization_code"] for a in sb.fixtures()["authorizations"]}
    constants = {v for k, v in vars(Sandbox).items() if k.startswith("AUTH_")}
    assert constants == codes


def test_added_customers_and_their_behaviour(sb, client):
    added = sb.add_customer("new@example.com", behaviour={"kind": "balance", "amount": 1000})
    code = added["authorization"]["authorization_code"]
    assert client.transaction.charge_authorization("new@example.com", 800, code).data["status"] == "success"
    assert client.transaction.charge_authorization("new@example.com", 800, code).data["status"] == "failed"
    assert any(c["email"] == "new@example.com" for c in sb.customers())


def test_a_checkout_can_fail_for_a_reason_of_the_tests_choosing(client, sb):
    r = client.transaction.initialize("ada@example.com", 20000)
    done = sb.complete_transaction(r.reference, "failed", gateway_response="Insufficient Funds")
    assert (done["status"], done["gateway_response"]) == ("failed", "Insufficient Funds")
    verified = client.transaction.verify(r.reference).data
    assert (verified["status"], verified["gateway_response"]) == ("failed", "Insufficient Funds")
    assert verified["authorization"] == {}


def test_bad_sandbox_settings_are_configuration_errors():
    with pytest.raises(paystack_rs.ConfigurationError):
        Sandbox(process_interval_ms=-1).start()
    with pytest.raises(paystack_rs.ConfigurationError):
        Sandbox(colour="red").start()


def test_the_sandbox_command(tmp_path: Path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = Path(sys.executable).with_name("paystack-rs")
    assert command.exists(), "the paystack-rs console script is installed with the package"
    process = subprocess.Popen([str(command), "sandbox", "--port", str(port)], stdout=subprocess.PIPE, text=True)
    try:
        first_line = process.stdout.readline() if process.stdout else ""
        assert first_line.strip() == f"http://127.0.0.1:{port}", "the base URL alone, as the crate's binary prints it"
        remote = Sandbox.connect(f"http://127.0.0.1:{port}")
        client = remote.client()
        assert client.transaction.totals().status
        assert remote.fixtures()["domain"] == "test"
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def test_the_crate_binary_runs_standalone():
    repo = Path(__file__).resolve().parents[1]
    # Where cargo puts it: CARGO_TARGET_DIR when set (.ci/run shares the checkout's build cache).
    binary = Path(os.environ.get("CARGO_TARGET_DIR") or repo / "target") / "release" / "paystack-sandbox"
    # Always through cargo: a binary left by an earlier build would test old code (a no-op when fresh).
    subprocess.run(
        ["cargo", "build", "--release", "-q", "-p", "paystack-sandbox", "--bin", "paystack-sandbox"],
        check=True,
        cwd=repo,
    )
    # One parser for both commands (paystack_sandbox::args): the same usage, defaults and errors.
    helped = subprocess.run([str(binary), "--help"], capture_output=True, text=True, check=False)
    assert helped.returncode == 0
    assert helped.stderr.strip() == paystack_rs._core.sandbox_usage("paystack-sandbox").strip()
    refused = subprocess.run([str(binary), "--faults", "[{"], capture_output=True, text=True, check=False)
    assert refused.returncode == 2
    assert refused.stderr.startswith("paystack-sandbox: --faults: ")
    process = subprocess.Popen([str(binary), "--port", "0"], stdout=subprocess.PIPE, text=True)
    try:
        base_url = (process.stdout.readline() if process.stdout else "").strip()
        assert base_url.startswith("http://127.0.0.1:")
        assert Sandbox.connect(base_url).client().transaction.totals().status
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def test_keys_make_every_other_key_invalid():
    with Sandbox(keys=["sk_test_only_this_one", "sk_live_and_this_one"]) as sb:
        assert sb.secret_key == "sk_test_only_this_one"
        assert sb.client().transaction.totals().status
        assert sb.client("sk_live_and_this_one").transaction.totals().status
        for wrong in ["sk_test_wrong", DEFAULT_SECRET_KEY]:
            with pytest.raises(paystack_rs.AuthenticationError, match=r"^Invalid key \(HTTP 401\)") as raised:
                sb.client(wrong).transaction.verify("anything")
            assert raised.value.status_code == 401
            with pytest.raises(SandboxError, match="HTTP 401"):
                sb.control("GET", "fixtures", secret_key=wrong)
    with Sandbox(keys=["sk_test_a_key", "sk_test_b_key"], secret_key="sk_test_b_key") as sb:
        assert sb.secret_key == "sk_test_b_key"
    with pytest.raises(paystack_rs.ConfigurationError, match="secret_key must be one of keys"):
        Sandbox(keys=["sk_test_a_key"], secret_key="sk_test_c_key").start()
    with pytest.raises(paystack_rs.ConfigurationError, match=r"keys\[1\]"):
        Sandbox(keys=["sk_test_a_key", "pk_test_public"]).start()
    with pytest.raises(SandboxError, match="list of secret keys"):
        Sandbox(keys="sk_test_a_key")


def test_the_sandbox_command_takes_keys():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = Path(sys.executable).with_name("paystack-rs")
    args = [str(command), "sandbox", "--port", str(port), "--key", "sk_test_cli_one", "--key", "sk_test_cli_two"]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
    try:
        assert (process.stdout.readline() if process.stdout else "").strip() == f"http://127.0.0.1:{port}"
        remote = Sandbox.connect(f"http://127.0.0.1:{port}", "sk_test_cli_two")
        assert remote.client().transaction.totals().status
        with pytest.raises(paystack_rs.AuthenticationError, match="Invalid key"):
            remote.client("sk_test_cli_three").transaction.totals()
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0

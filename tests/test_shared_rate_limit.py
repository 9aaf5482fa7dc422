"""A rate limit shared through a real ``redis-server``: eight worker processes keep one integration
under its quota together (the sandbox's 429 rule set to that quota sees no excess), where eight
per-process limiters meet 429s; Redis killed mid-run, the calls go on under the local limiter
(one warning), and share the quota again once it is back; a 429 pauses every process sharing it.

Figures go to target/redis-run.json."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

import paystack_rs
from paystack_rs.sandbox import Sandbox

from .redis_server import RedisServer, free_port

WORKER = Path(__file__).resolve().parent / "workers" / "quota_worker.py"
REPORT = Path(__file__).resolve().parents[1] / "target" / "redis-run.json"
PROCESSES = 8
CALLS = 100
#: The quota of the 8 x 100 runs: 800 calls need 4 windows, so at least 3 s.
QUOTA = (200, 1.0)


@pytest.fixture(scope="module")
def redis_server() -> object:
    with RedisServer() as server:
        yield server


def record(name: str, figures: dict[str, object]) -> None:
    REPORT.parent.mkdir(exist_ok=True)
    data = json.loads(REPORT.read_text()) if REPORT.exists() else {}
    data[name] = figures
    REPORT.write_text(json.dumps(data, indent=2))
    print(f"\n{name}: {json.dumps(figures)}")


def at(entry: dict[str, object]) -> float:
    return datetime.fromisoformat(str(entry["at"]).replace("Z", "+00:00")).timestamp()


def run_workers(sb: Sandbox, rate_limit: object, max_retries: int) -> tuple[list[dict[str, object]], float]:
    """PROCESSES workers, started together once all are ready; their results and the wall time."""
    spec = {"base_url": sb.base_url, "secret_key": sb.secret_key, "rate_limit": rate_limit}
    spec |= {"calls": CALLS, "max_retries": max_retries}
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), json.dumps(spec)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    try:
        for w in workers:
            assert w.stdout is not None
            assert w.stdout.readline().strip() == "ready"
        started = time.monotonic()
        for w in workers:
            assert w.stdin is not None
            w.stdin.write("go\n")
            w.stdin.flush()
        results = [json.loads(w.communicate(timeout=60)[0]) for w in workers]
        return results, time.monotonic() - started
    finally:
        for w in workers:
            w.kill()


def refused(sb: Sandbox) -> int:
    return sum(1 for q in sb.requests() if q["fault"] == "rate_limited")


def test_eight_processes_share_one_quota_and_meet_no_429(sb: Sandbox, redis_server: RedisServer) -> None:
    limit, window = QUOTA
    sb.set_faults([{"kind": "rate_limit", "limit": limit, "window_ms": int(window * 1000)}])
    shared = {"url": redis_server.url, "quota": list(QUOTA)}
    results, wall = run_workers(sb, shared, max_retries=0)
    log = sb.requests()
    sb.clear_faults()
    calls = PROCESSES * CALLS
    bound = (calls / limit - 1) * window  # the first window's calls go at once
    span = at(log[-1]) - at(log[0])
    figures = {
        "calls": calls,
        "quota": QUOTA,
        "rate_limited": refused(sb),
        "ok": sum(r["outcomes"].get("ok", 0) for r in results),
        "bound_s": bound,
        "span_s": round(span, 3),
        "span_over_bound": round(span / bound, 3),
        "wall_s": round(wall, 3),
    }
    record("shared_limiter", figures)
    assert figures["rate_limited"] == 0
    assert figures["ok"] == calls
    assert len(log) == calls
    # Paced to the quota: never faster than its bound, and not wasting it either.
    assert bound * 0.98 <= span <= bound * 1.2, figures


def test_eight_per_process_limiters_meet_429s(sb: Sandbox) -> None:
    limit, window = QUOTA
    sb.set_faults([{"kind": "rate_limit", "limit": limit, "window_ms": int(window * 1000)}])
    results, wall = run_workers(sb, list(QUOTA), max_retries=0)
    sb.clear_faults()
    figures = {
        "calls": PROCESSES * CALLS,
        "rate_limited": refused(sb),
        "RateLimitError": sum(r["outcomes"].get("RateLimitError", 0) for r in results),
        "wall_s": round(wall, 3),
    }
    record("per_process_limiters", figures)
    # Each process keeps under the quota; together they send four times it at once, and meet 429s
    # (fewer than the excess: each process, once refused, waits out the server's window).
    assert figures["rate_limited"] > 0, figures
    assert figures["RateLimitError"] == figures["rate_limited"]


def test_redis_killed_mid_run_falls_back_to_the_local_limit_then_shares_again(
    sb: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="paystack_rs.ratelimit")
    with RedisServer() as server:
        limit = paystack_rs.RedisRateLimit(server.url, quota=(1000, 1.0), key="failover", timeout=0.5)
        log_key, _ = limit.redis_keys(sb.secret_key)
        client = sb.client(rate_limit=limit)
        outcomes: list[str] = []
        stop = threading.Event()

        def calls() -> None:
            while not stop.is_set():
                try:
                    client.transaction.list(per_page=1)
                    outcomes.append("ok")
                except paystack_rs.PaystackError as exc:
                    outcomes.append(type(exc).__name__)
                time.sleep(0.005)

        caller = threading.Thread(target=calls)
        caller.start()
        try:
            time.sleep(0.3)
            shared_before = int(server.cli("ZCARD", log_key))
            server.kill()
            killed_at = len(outcomes)
            time.sleep(1.0)
            during = len(outcomes) - killed_at
            server.start()  # empty: nothing persisted
            time.sleep(1.6)  # the limiter tries again a second after a failure
            shared_after = int(server.cli("ZCARD", log_key))
        finally:
            stop.set()
            caller.join()
    messages = [r for r in caplog.records if r.name == "paystack_rs.ratelimit"]
    warnings = [r for r in messages if r.levelno == logging.WARNING]
    backs = [r for r in messages if "answers again" in r.getMessage()]
    figures = {
        "shared_before_kill": shared_before,
        "calls_while_down": during,
        "shared_after_restart": shared_after,
        "warnings": len(warnings),
        "outcomes": {k: outcomes.count(k) for k in set(outcomes)},
    }
    record("failover", figures)
    assert shared_before > 10
    assert during > 20, figures  # the calls went on without Redis
    assert set(outcomes) == {"ok"}, figures
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert "cannot be reached" in warnings[0].getMessage()
    assert "own limit" in warnings[0].getMessage()
    assert warnings[0].paystack_store == server.url  # type: ignore[attr-defined]
    assert len(backs) == 1
    assert shared_after > 10, figures  # counted in Redis again


def test_a_429_pauses_every_process_sharing_the_quota(sb: Sandbox, redis_server: RedisServer) -> None:
    # The server's quota is smaller than the client's: the client meets a 429, and learns from it.
    sb.set_faults([{"kind": "rate_limit", "limit": 3, "window_ms": 1500}])
    limit = paystack_rs.RedisRateLimit(redis_server.url, quota=(100, 1.0), key="pause-test")
    first, second = sb.client(rate_limit=limit, max_retries=0), sb.client(rate_limit=limit, max_retries=0)
    for _ in range(3):
        first.transaction.list(per_page=1)
    with pytest.raises(paystack_rs.RateLimitError):
        first.transaction.list(per_page=1)
    _, pause_key = limit.redis_keys(sb.secret_key)
    paused_ms = int(redis_server.cli("PTTL", pause_key))
    started = time.monotonic()
    second.transaction.list(per_page=1)  # another client (its own connection): it waits too
    waited = time.monotonic() - started
    sb.clear_faults()
    record("pause", {"pause_ttl_ms": paused_ms, "other_client_waited_s": round(waited, 3)})
    assert paused_ms > 0
    assert waited > 0.5  # the rest of the server's window, not a 429
    assert refused(sb) == 1


def test_a_fork_child_gets_its_own_connection(sb: Sandbox, redis_server: RedisServer) -> None:
    key = "fork-test"
    spec = {"base_url": sb.base_url, "secret_key": sb.secret_key, "max_retries": 0, "calls": 20, "fork": True}
    spec["rate_limit"] = {"url": redis_server.url, "quota": [1000, 10.0], "key": key}
    command = [sys.executable, str(WORKER), json.dumps(spec)]
    out = subprocess.run(command, capture_output=True, text=True, timeout=60, check=True)
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    child = next(x["child"] for x in lines if "child" in x)
    parent = next(x for x in lines if "parent" in x)
    assert child["outcomes"] == {"ok": 20}, out
    assert parent["parent"]["outcomes"] == {"ok": 20}, out
    assert parent["child_status"] == 0
    log_key = paystack_rs.RedisRateLimit(redis_server.url, key=key).redis_keys(sb.secret_key)[0]
    assert int(redis_server.cli("ZCARD", log_key)) == 41  # both processes counted in Redis


def test_keys_are_a_hash_of_the_secret_key_never_the_key(sb: Sandbox, redis_server: RedisServer) -> None:
    client = sb.client(rate_limit=paystack_rs.RedisRateLimit(redis_server.url, quota="paystack-test"))
    client.transaction.list(per_page=1)
    keys = redis_server.cli("KEYS", "*").split()
    ours = paystack_rs.RedisRateLimit(redis_server.url).redis_keys(sb.secret_key)
    assert ours[0] in keys
    assert not any(sb.secret_key in k or sb.secret_key[8:] in k for k in keys)
    other = paystack_rs.RedisRateLimit(redis_server.url).redis_keys("sk_test_someone_else")
    assert other[0] != ours[0]


def test_the_url_form_and_the_global_setting(
    sb: Sandbox, redis_server: RedisServer, global_client: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paystack_rs, "rate_limit", redis_server.url)
    paystack_rs.Transaction.list(per_page=1)
    live = paystack_rs.RedisRateLimit(redis_server.url, quota="paystack-live")
    assert int(redis_server.cli("ZCARD", live.redis_keys(sb.secret_key)[0])) >= 1
    named = paystack_rs.RedisRateLimit(redis_server.url, key="global-test")
    monkeypatch.setattr(paystack_rs, "rate_limit", named)
    paystack_rs.Transaction.list(per_page=1)
    assert int(redis_server.cli("ZCARD", named.redis_keys(sb.secret_key)[0])) == 1


def test_unreachable_redis_raises_when_asked_to_and_sends_nothing(sb: Sandbox) -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"
    limit = paystack_rs.RedisRateLimit(url, quota=(10, 1.0), on_failure="raise", timeout=0.5)
    client = sb.client(rate_limit=limit)
    for _ in range(2):
        with pytest.raises(paystack_rs.APIConnectionError, match=r"shared rate limit's Redis at redis://127\.0\.0\.1"):
            client.transaction.list(per_page=1)
    assert sb.requests() == []


def test_while_redis_is_down_each_process_keeps_to_its_fallback_share(sb: Sandbox) -> None:
    """Eight workers falling back to the whole quota each would send eight times it: a
    ``fallback_quota`` of a share keeps them under it together while Redis is away."""
    url = f"redis://127.0.0.1:{free_port()}/0"
    shared = paystack_rs.RedisRateLimit(url, quota=(100, 1.0), fallback_quota=(2, 1.0), timeout=0.3)
    assert shared.fallback_quota == (2, 1.0)
    client = sb.client(rate_limit=shared)
    for _ in range(3):
        client.transaction.list(per_page=1)
    sent = [at(q) for q in sb.requests()]
    assert len(sent) == 3
    assert sent[1] - sent[0] < 0.9  # two at once (the share)
    assert sent[2] - sent[0] >= 1.0  # the third waited for the share's window
    # Without one, the fallback is the whole quota: three at once.
    whole = paystack_rs.RedisRateLimit(url, quota=(100, 1.0), timeout=0.3)
    assert whole.fallback_quota == (100, 1.0)
    sb.clear_requests()
    other = sb.client(rate_limit=whole)
    for _ in range(3):
        other.transaction.list(per_page=1)
    sent = [at(q) for q in sb.requests()]
    assert len(sent) == 3
    assert sent[2] - sent[0] < 0.9


def test_settings_are_checked_by_name_and_never_show_a_password() -> None:
    limit = paystack_rs.RedisRateLimit("redis://:hunter2@127.0.0.1:6390/2", quota=(5, 2.0), key="acme")
    assert limit.url == "redis://127.0.0.1:6390/2"
    assert limit.quota == (5, 2.0)
    assert limit.key == "acme"
    assert limit.on_failure == "local"
    assert "hunter2" not in repr(limit)
    assert "fallback_quota" not in repr(limit)
    split = paystack_rs.RedisRateLimit("redis://127.0.0.1", quota=(600, 60.0), fallback_quota=(75, 60.0))
    shown = 'RedisRateLimit("redis://127.0.0.1:6379/0", quota=(600, 60.0), on_failure="local", '
    assert repr(split) == shown + "fallback_quota=(75, 60.0))"

    assert paystack_rs.RedisRateLimit("redis://127.0.0.1").quota == (600, 60.0)
    bad: list[tuple[dict[str, object], str]] = [
        ({"url": "http://127.0.0.1:6379"}, "must start with redis://, rediss:// or unix://"),
        ({"url": "rediss://:hunter2@example.com/#insecure"}, r"not to check the server's certificate"),
        ({"url": "redis://:hunter2@127.0.0.1", "ca_bundle": __file__}, r"ca_bundle of rate_limit needs a rediss://"),
        ({"url": "rediss://127.0.0.1", "ca_bundle": __file__}, "ca_bundle of rate_limit holds no certificates"),
        ({"url": "rediss://127.0.0.1", "ca_bundle": "/nonexistent/ca.pem"}, "cannot read ca_bundle"),
        ({"url": "redis://127.0.0.1", "quota": "fast"}, 'quota "fast" is not a preset'),
        ({"url": "redis://127.0.0.1", "quota": (0, 1)}, "quota must be"),
        ({"url": "redis://127.0.0.1", "fallback_quota": (1, 0)}, r"^fallback_quota must be .* both positive$"),
        ({"url": "redis://127.0.0.1", "fallback_quota": "fast"}, r"fallback_quota \"fast\" is not a preset"),
        ({"url": "redis://127.0.0.1", "key": "a b"}, "key must not contain spaces"),
        ({"url": "redis://127.0.0.1", "on_failure": "ignore"}, 'on_failure must be "local" or "raise"'),
        ({"url": "redis://127.0.0.1", "timeout": -1}, "timeout must be a positive number"),
    ]
    for kwargs, message in bad:
        with pytest.raises(paystack_rs.ConfigurationError, match=message) as caught:
            paystack_rs.RedisRateLimit(**kwargs)  # type: ignore[arg-type]
        assert "hunter2" not in str(caught.value)
    with pytest.raises(paystack_rs.ConfigurationError, match="must start with redis://"):
        paystack_rs.Paystack("sk_test_x", base_url="http://127.0.0.1:1", rate_limit="http://127.0.0.1:6379")


async def test_async_calls_share_the_quota_too(sb: Sandbox, redis_server: RedisServer) -> None:
    import asyncio

    limit = paystack_rs.RedisRateLimit(redis_server.url, quota=(5, 1.0), key="async-test")
    client = sb.client(rate_limit=limit)
    started = time.monotonic()
    await asyncio.gather(*(client.transaction.list_async(per_page=1) for _ in range(10)))
    elapsed = time.monotonic() - started
    assert int(redis_server.cli("ZCARD", limit.redis_keys(sb.secret_key)[0])) == 5  # the second five
    assert elapsed >= 1.0  # five at once, five a window later


@pytest.fixture(scope="module")
def tls_redis() -> object:
    with RedisServer(tls=True) as server:
        yield server


def test_a_tls_redis_is_shared_through_when_its_ca_is_trusted(
    sb: Sandbox, tls_redis: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    limit = paystack_rs.RedisRateLimit(tls_redis.url, quota=(50, 1.0), key="tls-test", ca_bundle=tls_redis.ca_file)
    assert limit.url == tls_redis.url
    client = sb.client(rate_limit=limit)
    with caplog.at_level(logging.WARNING, logger="paystack_rs"):
        for _ in range(3):
            client.transaction.list(per_page=1)
    assert int(tls_redis.cli("ZCARD", limit.redis_keys(sb.secret_key)[0])) == 3
    assert not [r for r in caplog.records if "Redis" in r.getMessage()]


def test_an_untrusted_redis_certificate_is_refused_never_shared_with(sb: Sandbox, tls_redis: RedisServer) -> None:
    """The system's roots do not know the test CA: a Redis that cannot prove who it is is not used."""
    strict = paystack_rs.RedisRateLimit(tls_redis.url, quota=(50, 1.0), key="tls-untrusted", on_failure="raise")
    with pytest.raises(paystack_rs.APIConnectionError, match=r"(?i)certificate|issuer") as caught:
        sb.client(rate_limit=strict).transaction.list(per_page=1)
    assert "rediss://127.0.0.1" in str(caught.value)
    assert sb.requests() == []
    assert tls_redis.cli("EXISTS", strict.redis_keys(sb.secret_key)[0]) == "0"

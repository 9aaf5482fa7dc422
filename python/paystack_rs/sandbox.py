"""The Paystack sandbox: a stateful local emulator of the Bulk Charge and Transaction APIs.

    from paystack_rs.sandbox import Sandbox

    with Sandbox() as sb:                       # in-process, on a random loopback port
        client = sb.client()                    # a Paystack client pointed at it
        r = client.bulk_charge.initiate([{"authorization": Sandbox.AUTH_SUCCESS, "amount": 10000}])

It answers like Paystack (envelopes, messages, status codes, pagination), processes bulk-charge
batches in the background, settles successful transactions the next day, refunds, sends signed
``charge.success`` and ``refund.*`` webhooks, and injects faults on demand. Its clock can start at
a chosen instant and be moved forward by the test (``Sandbox(start=...)``, ``sb.advance(days=1)``).
The control methods below talk to its ``/_sandbox`` HTTP API, so they work the same against a
standalone one (``paystack-rs sandbox --port 8100``, then ``Sandbox.connect(url, key)``).
See docs/sandbox.md for the fixtures, the fault rules and the control API.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from types import TracebackType
from typing import Any

from . import _core
from ._client import Paystack
from .errors import PaystackError

__all__ = ["DEFAULT_SECRET_KEY", "Sandbox", "SandboxError"]

#: The key a sandbox reports unless told otherwise (without ``keys``, any well-formed sk_test_/sk_live_
#: key works, each with its own state).
DEFAULT_SECRET_KEY = _core.SANDBOX_DEFAULT_SECRET_KEY


class SandboxError(PaystackError):
    """A sandbox control call failed."""


class Sandbox:
    """A sandbox server: embedded (started by ``start()`` / ``with``) or connected to.

    Args (all optional; see docs/sandbox.md): ``secret_key``, ``keys`` (the only keys accepted:
    every other key gets Paystack's 401 ``Invalid key``; without it any well-formed key works, each
    with its own state; ``secret_key`` then defaults to the first of them), ``host``, ``port`` (0: random),
    ``process_interval_ms`` (time between two bulk charges), ``webhook_url``,
    ``webhook_retry_interval_ms``, ``webhook_max_attempts``, ``webhook_timeout_ms``,
    ``payment_session_timeout_ms`` (how long a checkout page stays open; 0, the default: no limit), ``faults``
    (a list of fault rules or ``{"seed": .., "rules": [..]}``), ``seed``, ``request_log_limit``,
    ``export_ttl_ms``, ``worker_threads``, ``start`` (where the clock starts, e.g.
    ``"2024-08-01T09:00:00Z"``: from there it runs at the speed of real time, and ``advance`` moves
    it forward; without it the clock reads real time). The defaults are the Rust side's
    ``SandboxConfig`` (``paystack-rs sandbox --help`` lists them).
    """

    #: Always succeeds.
    AUTH_SUCCESS = "AUTH_success001"
    #: Always succeeds (customer with an empty profile).
    AUTH_SUCCESS_PLAIN = "AUTH_success002"
    #: Always succeeds (customer with a full profile).
    AUTH_SUCCESS_FULL = "AUTH_success003"
    #: Always declines (HTTP 200, data.status "failed").
    AUTH_DECLINED = "AUTH_declined01"
    #: Holds NGN 5,000 (500000 kobo): larger charges fail for insufficient funds, partial debits
    #: take what is there.
    AUTH_LOW_BALANCE = "AUTH_lowbalance"
    #: Fails its first 3 attempts, then succeeds (bulk retries get it through).
    AUTH_FLAKY_3 = "AUTH_flaky3fail"
    #: Fails its first 5 attempts (a bulk charge gives up after 5).
    AUTH_FLAKY_5 = "AUTH_flaky5fail"

    def __init__(self, **config: Any) -> None:
        self._config = {k: v for k, v in config.items() if v is not None}
        self._server: _core.SandboxServer | None = None
        self._base_url: str | None = None
        keys = self._config.get("keys")
        if keys is not None:
            if isinstance(keys, str) or not all(isinstance(k, str) for k in keys):
                raise SandboxError("keys must be a list of secret keys, e.g. keys=['sk_test_a', 'sk_test_b']")
            self._config["keys"] = list(keys)
        default = self._config["keys"][0] if self._config.get("keys") else DEFAULT_SECRET_KEY
        self._secret_key: str = str(self._config.get("secret_key", default))

    @classmethod
    def connect(cls, base_url: str, secret_key: str = DEFAULT_SECRET_KEY) -> Sandbox:
        """A handle on a sandbox that is already running elsewhere (e.g. ``paystack-rs sandbox``)."""
        sandbox = cls(secret_key=secret_key)
        sandbox._base_url = base_url.rstrip("/")
        return sandbox

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> Sandbox:
        """Starts the embedded server (no-op when already running or connected)."""
        if self._base_url is None:
            self._server = _core.SandboxServer(json.dumps(self._config))
            self._base_url = self._server.base_url
            self._secret_key = self._server.secret_key
        return self

    def stop(self) -> None:
        """Stops the embedded server (requests in flight get two seconds)."""
        if self._server is not None:
            self._server.shutdown()
            self._server = None
            self._base_url = None

    close = stop

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._base_url is None:
            raise SandboxError("the sandbox is not running: use `with Sandbox() as sb:` or sb.start()")
        return self._base_url

    @property
    def secret_key(self) -> str:
        return self._secret_key

    @property
    def port(self) -> int:
        return int(urllib.parse.urlsplit(self.base_url).port or 0)

    def __repr__(self) -> str:
        state = self._base_url or "not running"
        return f"<Sandbox {state}>"

    # -- clients ---------------------------------------------------------------------------

    def client(self, secret_key: str | None = None, **kwargs: Any) -> Paystack:
        """A ``Paystack`` client pointed at this sandbox (its key unless ``secret_key`` is given)."""
        return Paystack(secret_key or self.secret_key, base_url=self.base_url, **kwargs)

    def use_globally(self) -> None:
        """Points ``paystack_rs.api_key`` / ``paystack_rs.base_url`` (the global classes) here."""
        import paystack_rs

        paystack_rs.api_key = self.secret_key
        paystack_rs.base_url = self.base_url

    # -- control API -----------------------------------------------------------------------

    def control(self, method: str, path: str, body: Any = None, *, secret_key: str | None = None) -> Any:
        """Calls ``/_sandbox/<path>`` and returns its ``data``."""
        url = f"{self.base_url}/_sandbox/{path.lstrip('/')}"
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Authorization", f"Bearer {secret_key or self.secret_key}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                payload = json.loads(answer.read() or b"{}")
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")
            raise SandboxError(f"sandbox {method} /_sandbox/{path}: HTTP {exc.code}: {detail}") from None
        except urllib.error.URLError as exc:
            raise SandboxError(f"sandbox {method} /_sandbox/{path}: {exc.reason}") from None
        return payload.get("data")

    def fixtures(self) -> dict[str, Any]:
        """The seeded authorizations and what each does."""
        return dict(self.control("GET", "fixtures"))

    def customers(self) -> list[dict[str, Any]]:
        return list(self.control("GET", "customers"))

    def add_customer(self, email: str, *, behaviour: dict[str, Any] | None = None, **fields: Any) -> dict[str, Any]:
        """Adds a customer with a reusable authorization; returns ``{"customer", "authorization"}``.

        ``behaviour``: ``{"kind": "success"}``, ``{"kind": "decline"}``, ``{"kind": "balance",
        "amount": 100000}`` or ``{"kind": "fail_first", "failures": 3}``. ``country_code="KE"`` (a
        field) issues the card in another country: it pays Paystack's international rate.
        """
        body: dict[str, Any] = {"email": email, **fields}
        if behaviour is not None:
            body["behaviour"] = behaviour
        return dict(self.control("POST", "customers", body))

    def complete_transaction(
        self,
        reference: str,
        status: str = "success",
        *,
        behaviour: dict[str, Any] | None = None,
        gateway_response: str | None = None,
    ) -> dict[str, Any]:
        """The customer pays (``status="success"``) or fails at checkout for an initialized transaction,
        as the checkout page's buttons do: ``behaviour`` is what the new authorization's later charges do,
        ``gateway_response`` why a failure failed (default ``"Declined"``; ``"Insufficient Funds"``...)."""
        body: dict[str, Any] = {"status": status}
        if behaviour is not None:
            body["behaviour"] = behaviour
        if gateway_response is not None:
            body["gateway_response"] = gateway_response
        return dict(self.control("POST", f"transactions/{urllib.parse.quote(reference, safe='')}/complete", body))

    def set_faults(self, rules: list[dict[str, Any]], *, seed: int | None = None) -> dict[str, Any]:
        """Replaces the fault rules, e.g. ``[{"kind": "error", "status": 503, "rate": 0.2}]``."""
        body: dict[str, Any] = {"rules": rules}
        if seed is not None:
            body["seed"] = seed
        return dict(self.control("PUT", "faults", body))

    def faults(self) -> dict[str, Any]:
        return dict(self.control("GET", "faults"))

    def clear_faults(self) -> None:
        self.control("DELETE", "faults")

    def ledger(self, reference: str | None = None, operation: str | None = None) -> dict[str, Any]:
        """What was really processed: ``{"entries": [...], "counts": {reference: {...}}}``."""
        query = urllib.parse.urlencode({k: v for k, v in (("reference", reference), ("operation", operation)) if v})
        return dict(self.control("GET", "ledger" + (f"?{query}" if query else "")))

    def clear_ledger(self) -> None:
        self.control("DELETE", "ledger")

    def requests(self, method: str | None = None, path: str | None = None) -> list[dict[str, Any]]:
        """The requests that reached the API (oldest first), without their Authorization header."""
        query = urllib.parse.urlencode({k: v for k, v in (("method", method), ("path", path)) if v})
        return list(self.control("GET", "requests" + (f"?{query}" if query else "")))

    def clear_requests(self) -> None:
        self.control("DELETE", "requests")

    def webhooks(self, reference: str | None = None) -> list[dict[str, Any]]:
        """Webhook deliveries with every attempt, signature and payload."""
        query = f"?reference={urllib.parse.quote(reference)}" if reference else ""
        return list(self.control("GET", f"webhooks{query}"))

    def configure(self, **settings: Any) -> dict[str, Any]:
        """Changes process_interval_ms, webhook_url, webhook_retry_interval_ms, ... while running."""
        return dict(self.control("PUT", "config", settings))

    # -- the clock -------------------------------------------------------------------------

    def clock(self) -> dict[str, Any]:
        """The clock: ``{"now", "start", "advanced_ms", "mode"}`` (``now`` as Paystack prints times)."""
        return dict(self.control("GET", "clock"))

    def now(self) -> str:
        """The sandbox's current time, e.g. ``"2024-08-01T09:00:00.123Z"``."""
        return str(self.clock()["now"])

    def advance(
        self, *, days: int = 0, hours: int = 0, minutes: int = 0, seconds: int = 0, to: str | None = None
    ) -> str:
        """Moves the clock forward (or ``to`` an instant) and returns the new time. Everything due
        in between has happened when this returns, in time order: batch charges, settlements,
        refunds, and the webhook attempts that fell due. Applies to the whole sandbox."""
        if to is not None:
            if days or hours or minutes or seconds:
                raise SandboxError("advance takes either to= or days/hours/minutes/seconds, not both")
            body: dict[str, Any] = {"to": to}
        else:
            amounts = {"days": days, "hours": hours, "minutes": minutes, "seconds": seconds}
            for name, value in amounts.items():
                if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                    raise SandboxError(f"advance: {name} must be a non-negative integer, got {value!r}")
            body = {name: value for name, value in amounts.items() if value}
        return str(self.control("POST", "clock/advance", body)["now"])

    def set_refund_status(self, refund_id: int, status: str) -> dict[str, Any]:
        """A pending or processing refund fails (``"failed"``) or needs the customer's bank details
        (``"needs-attention"``; ``Refund`` retry with customer details then takes it on)."""
        return dict(self.control("POST", f"refunds/{int(refund_id)}/status", {"status": status}))

    def reset(self) -> None:
        """Forgets this key's state (transactions, batches, ledger, logs) and reseeds the fixtures."""
        self.control("POST", "reset")

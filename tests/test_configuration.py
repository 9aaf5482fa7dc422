"""Configuration mistakes are errors that name the setting, with short messages: an empty or
control-character base URL never means production, and timeouts/retries of the wrong type or
out of range never reach a bare TypeError or OverflowError. Nothing is sent for any of them."""

from __future__ import annotations

import asyncio

import pytest

import paystack_rs
from paystack_rs import ConfigurationError, ValidationError

from .helpers import invoke

BAD_URLS = [
    "",
    "   ",
    "\n",
    "https://api.paystack.co\n/evil",
    "https://api.paystack.co\t",
    "http://127.0.0.1:1/\x00",
    "https://api.paystack.co/?key=1",
    "https://api.paystack.co/#top",
    "ftp://127.0.0.1",
    "http://example.com",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_bad_base_url_is_a_configuration_error_naming_it(sb, url):
    with pytest.raises(ConfigurationError) as caught:
        paystack_rs.Paystack(sb.secret_key, base_url=url)
    assert "base_url" in str(caught.value)
    assert len(str(caught.value)) < 300


@pytest.mark.parametrize("url", ["", "  ", "https://api.paystack.co\n/evil"])
def test_the_global_base_url_is_checked_the_same_way(sb, monkeypatch, url):
    monkeypatch.setattr(paystack_rs, "api_key", sb.secret_key)
    monkeypatch.setattr(paystack_rs, "base_url", url)
    with pytest.raises(ConfigurationError, match="base_url"):
        paystack_rs.Transaction.totals()
    with pytest.raises(ConfigurationError, match="base_url"):
        asyncio.run(paystack_rs.Transaction.totals_async())
    assert sb.requests() == []


def test_an_empty_base_url_in_the_environment_is_an_error_not_production(sb, monkeypatch):
    monkeypatch.setenv("PAYSTACK_BASE_URL", "")
    with pytest.raises(ConfigurationError, match="PAYSTACK_BASE_URL"):
        paystack_rs.Paystack(sb.secret_key)


def test_an_empty_secret_key_is_a_configuration_error_and_still_an_authentication_error(sb, monkeypatch):
    monkeypatch.delenv("PAYSTACK_SECRET_KEY", raising=False)
    for key in ("", None):
        with pytest.raises(paystack_rs.MissingSecretKeyError) as caught:
            paystack_rs.Paystack(key, base_url=sb.base_url)
        assert isinstance(caught.value, ConfigurationError)
        assert isinstance(caught.value, paystack_rs.AuthenticationError)
        assert caught.value.status_code is None
    with pytest.raises(ConfigurationError, match="secret_key must be a string"):
        paystack_rs.Paystack(1234, base_url=sb.base_url)  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="secret key contains spaces"):
        paystack_rs.Paystack("sk_test_a b", base_url=sb.base_url)


CLIENT_SETTINGS = [
    ({"timeout": "5"}, "timeout must be a number of seconds, not str '5'"),
    ({"timeout": True}, "timeout must be a number of seconds, not bool True"),
    ({"timeout": -1}, "timeout must be a positive number of seconds, not -1"),
    ({"timeout": 0}, "timeout must be a positive number of seconds, not 0"),
    ({"timeout": float("nan")}, "timeout must be a positive number of seconds, not NaN"),
    ({"timeout": float("inf")}, "timeout must be a positive number of seconds, not inf"),
    ({"timeout": 1e300}, "timeout must be at most 86400 seconds (a day), not 1e300"),
    ({"timeout": 10**400}, "timeout must be at most 86400 seconds (a day), not 100000"),
    ({"connect_timeout": "1"}, "connect_timeout must be a number of seconds"),
    ({"read_timeout": -0.5}, "read_timeout must be a positive number of seconds, not -0.5"),
    ({"timeout": paystack_rs.Timeouts(read=-2)}, "read_timeout must be a positive number of seconds, not -2"),
    ({"max_retries": -1}, "max_retries must be 0 or more, not -1"),
    ({"max_retries": 10**20}, "max_retries must be from 0 to 100, not 100000000000000000000"),
    ({"max_retries": 101}, "max_retries must be at most 100, not 101"),
    ({"max_retries": 2.0}, "max_retries must be an integer from 0 to 100, not float 2.0"),
    ({"max_retries": "2"}, "max_retries must be an integer from 0 to 100, not str '2'"),
    ({"rate_limit": (10, 1e300)}, "rate_limit must be"),
    ({"rate_limit": "paystack-staging"}, 'rate_limit "paystack-staging" is not a preset'),
]


@pytest.mark.parametrize(("settings", "message"), CLIENT_SETTINGS)
def test_client_settings_are_checked_by_name(sb, settings, message):
    with pytest.raises(ConfigurationError) as caught:
        paystack_rs.Paystack(sb.secret_key, base_url=sb.base_url, **settings)
    assert str(caught.value).startswith(message), str(caught.value)
    assert len(str(caught.value)) < 200


def test_global_settings_are_checked_at_call_time(sb, monkeypatch, global_client):
    monkeypatch.setattr(paystack_rs, "timeout", "5")
    with pytest.raises(ConfigurationError, match="timeout must be a number of seconds"):
        paystack_rs.Transaction.totals()
    monkeypatch.setattr(paystack_rs, "timeout", None)
    monkeypatch.setattr(paystack_rs, "max_retries", -1)
    with pytest.raises(ConfigurationError, match="max_retries must be 0 or more"):
        paystack_rs.Transaction.totals()
    assert sb.requests() == []


CALL_OPTIONS = [
    ({"timeout": "5"}, "timeout", "must be a number of seconds or paystack_rs.Timeouts(connect=, read=, total=)"),
    ({"timeout": -3}, "timeout", "must be a positive number of seconds, not -3"),
    ({"timeout": 1e300}, "timeout", "must be at most 86400 seconds (a day), not 1e300"),
    ({"timeout": paystack_rs.Timeouts(connect=float("nan"))}, "timeout.connect", "must be a positive number"),
    ({"timeout": object()}, "timeout", "must be a number of seconds or paystack_rs.Timeouts"),
    ({"max_retries": -1}, "max_retries", "must be 0 or more, not -1"),
    ({"max_retries": 10**20}, "max_retries", "must be from 0 to 100"),
    ({"max_retries": True}, "max_retries", "must be an integer from 0 to 100, not bool True"),
]


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize(("options", "field", "message"), CALL_OPTIONS)
def test_a_calls_options_are_a_validation_error_naming_them(client, sb, mode, options, field, message):
    with pytest.raises(ValidationError) as caught:
        invoke(mode, client.transaction, "totals", **options)
    assert caught.value.fields == [field]
    assert message in str(caught.value)
    assert sb.requests() == []

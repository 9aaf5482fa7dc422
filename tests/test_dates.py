"""`_from` / `to` are real calendar dates: impossible ones raise a ValidationError naming the
parameter before anything is sent (on every endpoint that takes them); real edge cases go out as
given. (Written to hold whether or not the sandbox itself also refuses those strings.)"""

from __future__ import annotations

import datetime

import pytest

import paystack_rs

from .helpers import MODES, invoke

IMPOSSIBLE = [
    ("2024-02-30", "February 2024 has 29 days"),
    ("2023-02-29", "February 2023 has 28 days"),
    ("2024-04-31", "April 2024 has 30 days"),
    ("2024-02-30T10:00:00Z", "February 2024 has 29 days"),
    ("2024-01-01T25:61:00Z", "hour 25"),
    ("2024-01-01T23:60:00Z", "minute 60"),
    ("2024-01-01T23:59:60Z", "second 60"),
    ("2024-01-01T10:00:00+14:30", "±14:00"),
    ("2024-13-01", "month 13"),
    ("2024-01-01Tnoon", "e.g. 2016-09-21"),
]

# Every endpoint with the two filters, and the arguments it needs besides them.
DATED = [
    ("transaction", "list", ()),
    ("transaction", "totals", ()),
    ("transaction", "download", ()),
    ("bulk_charge", "list", ()),
    ("bulk_charge", "charges", ("BCH_x",)),
]


@pytest.mark.parametrize(("value", "reason"), IMPOSSIBLE)
@pytest.mark.parametrize("param", ["_from", "to"])
def test_an_impossible_date_is_refused_naming_the_parameter(client, sb, value, reason, param):
    with pytest.raises(paystack_rs.ValidationError) as caught:
        client.transaction.list(**{param: value})
    assert caught.value.fields == [param]
    assert reason in str(caught.value)
    assert sb.requests() == []


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("resource", "method", "args"), DATED)
def test_every_dated_endpoint_checks_both_ends(client, sb, mode, resource, method, args):
    with pytest.raises(paystack_rs.ValidationError) as caught:
        invoke(mode, getattr(client, resource), method, *args, _from="2023-02-29", to="2024-01-01T24:00:00Z")
    assert caught.value.fields == ["_from", "to"]
    assert sb.requests() == []


def test_real_edge_dates_are_sent_as_given(client, sb):
    client.transaction.list(_from="2024-02-29", to="2024-12-31T23:59:59.999+14:00")
    client.transaction.totals(_from=datetime.date(2000, 2, 29), to=datetime.datetime(2024, 2, 29, 23, 59, 59))
    queries = [q["query"] for q in sb.requests()]
    assert queries == [
        "from=2024-02-29&to=2024-12-31T23%3A59%3A59.999%2B14%3A00",
        "from=2000-02-29&to=2024-02-29T23%3A59%3A59",
    ]

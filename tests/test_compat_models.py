"""pypaystack2's answers are pydantic models, and code calls their methods: the shim's ``Response``
and data models answer pydantic's ``BaseModel`` methods as pydantic does.

The surface is pydantic's own (``dir(pydantic.BaseModel)``): each public name is on the shim's
models or is listed in LEFT_OUT with its reason, which docs/migrating.md repeats. The behaviour is
checked against pydantic: the same fields in a pydantic model (and in pypaystack2's own
``Response``) dump, copy and validate to the same values and the same JSON text.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from http import HTTPStatus
from pathlib import Path
from typing import Any

import pytest

from paystack_rs.compat.pypaystack2 import PaystackClient
from paystack_rs.compat.pypaystack2.models import Model, Response, Transaction
from paystack_rs.compat.pypaystack2.models.response_models import normalize
from paystack_rs.sandbox import Sandbox

from .conftest import DATA

pydantic = pytest.importorskip("pydantic")
pypaystack2 = pytest.importorskip("pypaystack2")

DOCS = Path(__file__).resolve().parent.parent / "docs" / "migrating.md"

#: pydantic's names the shim's models do not have, and why (docs/migrating.md says the same).
LEFT_OUT = {
    "model_json_schema": "no schema: a model's fields are the ones Paystack sent",
    "model_rebuild": "pydantic's type machinery: nothing to rebuild",
    "model_parametrized_name": "pydantic's type machinery",
    "model_post_init": "pydantic's hook for subclasses: the shim's models are not subclassed to be validated",
    "model_validate_strings": "a pydantic mode for strict string input: use model_validate",
    # pydantic 1's names, deprecated in pydantic 2 (they warn there).
    "construct": "deprecated in pydantic 2: model_construct",
    "dict": "deprecated in pydantic 2: model_dump",
    "json": "deprecated in pydantic 2: model_dump_json",
    "from_orm": "deprecated in pydantic 2",
    "parse_file": "deprecated in pydantic 2",
    "parse_obj": "deprecated in pydantic 2: model_validate",
    "parse_raw": "deprecated in pydantic 2: model_validate_json",
    "schema": "deprecated in pydantic 2",
    "schema_json": "deprecated in pydantic 2",
    "update_forward_refs": "deprecated in pydantic 2",
    "validate": "deprecated in pydantic 2: model_validate",
}


def pydantic_surface() -> set[str]:
    return {name for name in dir(pydantic.BaseModel) if not name.startswith("_")}


def test_the_surface_is_pydantics_less_what_is_left_out():
    surface = pydantic_surface()
    assert "model_dump_json" in surface
    assert len(surface) > 20
    assert set(LEFT_OUT) <= surface, "LEFT_OUT names something pydantic does not have"
    model, response = Transaction({"id": 1}), Response(200, True, "ok", None, None, None, None, {})
    for name in sorted(surface - set(LEFT_OUT) - {"copy"}):
        assert hasattr(model, name), f"the data models lack {name}"
        assert hasattr(response, name), f"Response lacks {name}"
        assert hasattr(Response, name), f"the Response class lacks {name}"
    # copy() is pydantic 1's (deprecated); on a model it keeps the model's class (not dict.copy's dict).
    assert type(model.copy()) is Transaction
    docs = DOCS.read_text()
    assert [name for name in LEFT_OUT if f"`{name}`" not in docs] == [], "docs/migrating.md lists each"


def sample(name: str) -> dict[str, Any]:
    """A Paystack answer's data from its documentation samples."""
    answer = json.loads((DATA / "paystack" / "samples" / "api" / name / "response.json").read_text())
    return answer["200"]["data"]["data"]


def pydantic_twin(value: Any) -> Any:
    """The same fields and values in pydantic models (a nested model as a nested pydantic model, as
    pypaystack2 declares ``customer`` a ``Customer``)."""
    if isinstance(value, Model):
        fields = {name: pydantic_twin(item) for name, item in value.items()}
        model = pydantic.create_model(type(value).__name__, **{name: (Any, ...) for name in fields})
        return model(**fields)
    if isinstance(value, list):
        return [pydantic_twin(item) for item in value]
    return value


def twins(data: dict[str, Any]) -> tuple[Model, Any]:
    """The shim's model of ``data`` and a pydantic model with the same fields and values."""
    ours = normalize(data, Transaction)
    return ours, pydantic_twin(ours)


@pytest.fixture
def pair() -> tuple[Model, Any]:
    return twins(sample("transactions/verify"))


def test_dumps_are_pydantics(pair):
    ours, theirs = pair
    assert isinstance(ours["paid_at"], datetime), "a datetime field, to see it written as JSON"
    assert ours.model_dump() == theirs.model_dump()
    assert ours.model_dump(mode="json") == theirs.model_dump(mode="json")
    for options in ({}, {"indent": 2}, {"exclude_none": True}, {"include": {"id", "paid_at"}}, {"exclude": {"log"}}):
        assert ours.model_dump_json(**options) == theirs.model_dump_json(**options), options
    assert ours.model_dump(exclude_none=True) == theirs.model_dump(exclude_none=True)
    assert ours.model_dump(include={"amount", "reference"}) == theirs.model_dump(include={"amount", "reference"})
    assert ours.model_dump(exclude_unset=True) == theirs.model_dump(exclude_unset=True)
    with pytest.raises(ValueError, match="mode"):
        ours.model_dump(mode="yaml")


def test_copies_are_pydantics(pair):
    ours, theirs = pair
    changed = ours.model_copy(update={"amount": 1, "reference": "new"})
    assert type(changed) is Transaction
    assert changed.model_dump() == theirs.model_copy(update={"amount": 1, "reference": "new"}).model_dump()
    assert (ours.amount, changed.amount) != (1, 1)
    shallow, deep = ours.model_copy(), ours.model_copy(deep=True)
    assert shallow.customer is ours.customer
    assert deep.customer is not ours.customer
    assert deep.model_dump() == ours.model_dump()


def test_fields_and_validation_are_pydantics(pair):
    ours, theirs = pair
    assert list(ours.model_fields) == list(type(theirs).model_fields)
    assert ours.model_fields_set == theirs.model_fields_set
    assert (ours.model_extra, theirs.model_extra) == (None, None)
    assert ours.model_config == dict(theirs.model_config) == {}
    assert ours.model_computed_fields == type(theirs).model_computed_fields == {}
    assert all(info.is_required() for info in ours.model_fields.values())
    again = Transaction.model_validate(ours.model_dump())
    assert type(again.customer).__name__ == "Customer", "nested models are read as pypaystack2 declares them"
    assert type(again) is Transaction
    assert again == ours
    from_json = Transaction.model_validate_json(ours.model_dump_json())
    assert from_json.model_dump(mode="json") == theirs.model_dump(mode="json")
    assert isinstance(from_json.paid_at, datetime), "datetime fields are read back as datetimes"
    assert Transaction.model_construct(id=1, amount=2).model_dump() == {"id": 1, "amount": 2}
    with pytest.raises(ValueError, match="mapping"):
        Transaction.model_validate([1, 2])


def real_response(**fields: Any) -> Any:
    return pypaystack2.models.Response(**fields)


def test_response_is_pypaystack2s():
    raw = {"status": True, "message": "ok", "data": {"id": 7, "paid_at": "2024-01-02T03:04:05.000Z"}}
    fields = {
        "status_code": HTTPStatus.OK,
        "status": True,
        "message": "ok",
        "data": None,
        "meta": {"total": 1},
        "type": None,
        "code": None,
        "raw": raw,
    }
    ours, theirs = Response(**fields), real_response(**fields)
    assert list(Response.model_fields) == list(type(theirs).model_fields)
    assert list(ours.model_fields) == list(type(theirs).model_fields)
    assert ours.model_dump() == theirs.model_dump()
    assert ours.model_dump_json() == theirs.model_dump_json()
    assert ours.model_dump_json(exclude_none=True, indent=1) == theirs.model_dump_json(exclude_none=True, indent=1)
    assert ours.model_copy(update={"message": "changed"}).model_dump() == (
        theirs.model_copy(update={"message": "changed"}).model_dump()
    )
    assert Response.model_validate(fields) == ours
    assert Response.model_validate_json(ours.model_dump_json()).model_dump(mode="json") == theirs.model_dump(
        mode="json"
    )
    with pytest.raises(ValueError, match="missing"):
        Response.model_validate({"status": True})
    # The data: a model whose dump is the dict pydantic would give for it.
    data = normalize(raw["data"], Transaction)
    assert Response(**{**fields, "data": data}).model_dump()["data"] == {
        "id": 7,
        "paid_at": datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc),
    }


def test_methods_on_a_sandbox_answer(sb: Sandbox):
    client = PaystackClient(sb.secret_key, base_url=sb.base_url)
    charged = client.transactions.charge(5000, "success@example.com", Sandbox.AUTH_SUCCESS, reference="models-1")
    r = client.transactions.verify("models-1")
    assert isinstance(r.data, Transaction)
    assert isinstance(charged.data, Transaction)
    assert type(r.data.customer).__name__ == "Customer"
    assert type(r.data.authorization).__name__ == "Authorization"
    as_json = json.loads(r.model_dump_json())
    assert (as_json["status_code"], as_json["data"]["reference"]) == (200, "models-1")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", as_json["data"]["paid_at"])
    refunded = r.data.model_copy(update={"status": "reversed"})
    assert (refunded.status, r.data.status) == ("reversed", "success")
    assert r.model_copy(update={"data": refunded}).data.status == "reversed"
    assert r.data.model_dump()["amount"] == 5000

"""pypaystack2's ``models.response_models`` for the covered APIs: ``Response`` and the data models.

A data model is a ``Model``: the dict of every field Paystack sent, with pypaystack2's names
(camelCase keys in snake_case), read by attribute (``r.data.reference``) or by key, with
``created_at``, ``updated_at`` and ``paid_at`` as ``datetime``s, and pydantic's model methods
(``model_dump``, ``model_dump_json``, ``model_copy``, ``model_validate``...). Each class is the one
pypaystack2 answers with (``verify`` gives a ``Transaction``), so ``isinstance`` works as before.
"""

from __future__ import annotations

import re
from datetime import datetime
from http import HTTPStatus
from typing import Any, Generic, TypeVar

from paystack_rs.compat._layout import module_getattr

from ._surface import Surface, dump

__all__ = [
    "Authorization",
    "BulkCharge",
    "BulkChargeUnitCharge",
    "Customer",
    "InitTransaction",
    "Model",
    "Refund",
    "Response",
    "Settlement",
    "Transaction",
    "TransactionExport",
    "TransactionLog",
    "TransactionTotal",
]

__getattr__ = module_getattr(__name__, is_package=False)

# pypaystack2 turns camelCase keys into snake_case, except these (keys of per-currency maps).
_KEEP_CASE = {"NGN", "GHS", "ZAR", "USD", "KES", "XOF", "EGP", "RWF"}
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")
# The fields pypaystack2's models of the covered APIs declare as datetimes.
_DATETIMES = {"created_at", "updated_at", "paid_at", "settlement_date", "refunded_at", "update_at"}


def _snake(key: str) -> str:
    return key if key in _KEEP_CASE else _CAMEL.sub("_", key).lower()


def _datetime(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value


class Model(dict[str, Any], Surface):
    """A Paystack object, read by attribute as pypaystack2's models are: ``r.data.reference``.

    It is the dict of what Paystack sent (snake_case names), so ``r.data["reference"]``,
    ``.get()`` and ``json`` work too, and it has pydantic's model methods.
    """

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            fields = ", ".join(self)
            raise AttributeError(f"Paystack's answer has no field {name!r} (it has: {fields})") from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value

    def __repr__(self) -> str:
        return f"{type(self).__name__}(" + ", ".join(f"{k}={v!r}" for k, v in self.items()) + ")"

    def _fields(self) -> dict[str, Any]:
        return dict(self)

    @classmethod
    def _from_fields(cls, fields: dict[str, Any]) -> Any:
        return normalize(fields, cls)

    def copy(self) -> Any:
        """A shallow copy, of the same model (pydantic's deprecated ``copy()``; ``dict.copy`` otherwise)."""
        return type(self)(self)


class Customer(Model):
    __slots__ = ()


class Authorization(Model):
    __slots__ = ()


class BulkCharge(Model):
    __slots__ = ()


class BulkChargeUnitCharge(Model):
    __slots__ = ()


class InitTransaction(Model):
    __slots__ = ()


class TransactionLog(Model):
    __slots__ = ()


class TransactionTotal(Model):
    __slots__ = ()


class TransactionExport(Model):
    __slots__ = ()


class Transaction(Model):
    __slots__ = ()


class Settlement(Model):
    __slots__ = ()


class Refund(Model):
    __slots__ = ()


# The nested objects pypaystack2's models declare as models of their own.
_NESTED: dict[str, type[Model]] = {"customer": Customer, "authorization": Authorization, "transaction": Transaction}


def normalize(value: Any, model: type[Model] = Model) -> Any:
    """pypaystack2's shape of Paystack's JSON: snake_case keys, objects as Models (``model`` for
    the outermost, or each item of a list). A Model is kept as it is (a copy shares its nested models)."""
    if isinstance(value, Model):
        return value
    if isinstance(value, dict):
        fields = Model() if model is Model else model()
        for key, item in value.items():
            name = _snake(key)
            if name in _DATETIMES:
                fields[name] = _datetime(item)
            else:
                fields[name] = normalize(item, _NESTED.get(name, Model))
        return fields
    if isinstance(value, list):
        return [normalize(item, model) for item in value]
    return value


_Data = TypeVar("_Data")

_RESPONSE_FIELDS = ("status_code", "status", "message", "data", "meta", "type", "code", "raw")


class Response(Surface, Generic[_Data]):
    """Paystack's answer, as pypaystack2 gives it."""

    __slots__ = _RESPONSE_FIELDS

    def __init__(
        self,
        status_code: HTTPStatus | int,
        status: bool,
        message: str,
        data: _Data,
        meta: dict[str, Any] | None,
        type: str | None,  # Paystack's field name
        code: str | None,
        raw: dict[str, Any] | list[dict[str, Any]] | bytes | None,
    ) -> None:
        self.status_code = status_code
        self.status = status
        self.message = message
        self.data = data
        self.meta = meta
        self.type = type
        self.code = code
        self.raw = raw

    def _fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _RESPONSE_FIELDS}

    @classmethod
    def _declared(cls) -> dict[str, Any]:
        return dict.fromkeys(_RESPONSE_FIELDS)

    @classmethod
    def _from_fields(cls, fields: dict[str, Any]) -> Response[Any]:
        missing = [name for name in _RESPONSE_FIELDS if name not in fields]
        unknown = [name for name in fields if name not in _RESPONSE_FIELDS]
        if missing or unknown:
            raise ValueError(
                f"Response takes the fields {', '.join(_RESPONSE_FIELDS)} (missing {missing}, unknown {unknown})"
            )
        return cls(**fields)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Response):
            return bool(dump(self._fields(), "python", False) == dump(other._fields(), "python", False))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"Response(status_code={self.status_code!r}, status={self.status!r}, message={self.message!r}, "
            f"data={self.data!r}, meta={self.meta!r}, type={self.type!r}, code={self.code!r})"
        )

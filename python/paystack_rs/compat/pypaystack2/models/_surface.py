"""The pydantic ``BaseModel`` methods that code written for pypaystack2 calls on its answers and their
data, without pydantic: ``model_dump``, ``model_dump_json``, ``model_copy``, ``model_validate``,
``model_validate_json``, ``model_construct``, ``model_fields``, ``model_fields_set``,
``model_extra``, ``model_config``, ``model_computed_fields``. pydantic is not a dependency of
paystack-rs; tests/test_compat_models.py checks these against pydantic's own, and
docs/migrating.md lists the methods left out and why.
"""

from __future__ import annotations

import abc
import copy
import enum
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar, Literal, TypeVar

__all__ = ["FieldInfo", "Surface"]

_Self = TypeVar("_Self", bound="Surface")
_Fields = set[str] | frozenset[str] | Mapping[str, Any] | None


@dataclass(frozen=True)
class FieldInfo:
    """What ``model_fields`` gives for a field: its type, and that no default replaces it."""

    annotation: Any
    default: Any = None
    alias: str | None = None
    description: str | None = None

    def is_required(self) -> bool:
        return True


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def dump(value: Any, mode: str, exclude_none: bool) -> Any:
    """``value`` as plain Python (``mode="python"``) or JSON-ready values (``mode="json"``)."""
    if isinstance(value, Surface):
        return value.model_dump(mode=mode, exclude_none=exclude_none)
    if isinstance(value, Mapping):
        return {k: dump(v, mode, exclude_none) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [dump(v, mode, exclude_none) for v in value]
    return _json_value(value) if mode == "json" else value


def _selected(name: str, include: _Fields, exclude: _Fields) -> bool:
    return (include is None or name in include) and (exclude is None or name not in exclude)


class _ClassOrInstance:
    """``model_fields`` on the class and on an instance (as pydantic answers both)."""

    def __get__(self, instance: Surface | None, owner: type[Surface]) -> dict[str, FieldInfo]:
        fields = owner._declared() if instance is None else instance._fields()
        return {
            name: FieldInfo(annotation=type(value) if instance is not None else Any) for name, value in fields.items()
        }


class Surface(abc.ABC):
    """pydantic's model methods over ``_fields()`` (the model's values by name)."""

    __slots__ = ()

    model_config: ClassVar[dict[str, Any]] = {}
    model_computed_fields: ClassVar[dict[str, Any]] = {}
    model_fields: ClassVar[dict[str, FieldInfo]] = _ClassOrInstance()  # type: ignore[assignment]

    # -- what a model is made of (the subclass says) --

    @abc.abstractmethod
    def _fields(self) -> dict[str, Any]:
        """The instance's fields by name."""

    @classmethod
    def _declared(cls) -> dict[str, Any]:
        """The fields every instance has (none for a model whose fields are what Paystack sent)."""
        return {}

    @classmethod
    @abc.abstractmethod
    def _from_fields(cls: type[_Self], fields: dict[str, Any]) -> _Self:
        """A new instance of the class from its fields by name."""

    # -- pydantic's methods --

    @property
    def model_fields_set(self) -> set[str]:
        """Every field was given (by Paystack, or by ``model_validate``)."""
        return set(self._fields())

    @property
    def model_extra(self) -> dict[str, Any] | None:
        return None

    def model_dump(
        self,
        *,
        mode: Literal["python", "json"] | str = "python",
        include: _Fields = None,
        exclude: _Fields = None,
        exclude_none: bool = False,
        exclude_unset: bool = False,
        by_alias: bool | None = None,
    ) -> dict[str, Any]:
        """The fields as plain values (``mode="json"``: datetimes as ISO 8601, enums as values).
        ``exclude_unset`` and ``by_alias`` change nothing: every field was set, none has an alias."""
        if mode not in ("python", "json"):
            raise ValueError(f"mode must be 'python' or 'json', not {mode!r}")
        return {
            name: dump(value, mode, exclude_none)
            for name, value in self._fields().items()
            if _selected(name, include, exclude) and not (exclude_none and value is None)
        }

    def model_dump_json(
        self,
        *,
        indent: int | None = None,
        include: _Fields = None,
        exclude: _Fields = None,
        exclude_none: bool = False,
        exclude_unset: bool = False,
        by_alias: bool | None = None,
    ) -> str:
        """The fields as JSON, written as pydantic writes it (compact unless ``indent``)."""
        fields = self.model_dump(mode="json", include=include, exclude=exclude, exclude_none=exclude_none)
        separators = (",", ":") if indent is None else (",", ": ")
        return json.dumps(fields, indent=indent, separators=separators, ensure_ascii=False)

    def model_copy(self: _Self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> _Self:
        """A copy, with ``update``'s fields replaced (not validated, as in pydantic)."""
        fields = copy.deepcopy(self._fields()) if deep else dict(self._fields())
        fields.update(update or {})
        return type(self)._from_fields(fields)

    @classmethod
    def model_validate(cls: type[_Self], obj: Any, *, strict: bool | None = None, context: Any = None) -> _Self:
        """A model from a mapping of its fields (or a model)."""
        if isinstance(obj, Surface):
            return cls._from_fields(obj._fields())
        if not isinstance(obj, Mapping):
            raise ValueError(f"{cls.__name__} takes a mapping of its fields, not {type(obj).__name__}")
        return cls._from_fields(dict(obj))

    @classmethod
    def model_validate_json(
        cls: type[_Self], json_data: str | bytes | bytearray, *, strict: bool | None = None
    ) -> _Self:
        return cls.model_validate(json.loads(json_data))

    @classmethod
    def model_construct(cls: type[_Self], _fields_set: Iterable[str] | None = None, **values: Any) -> _Self:
        return cls._from_fields(values)

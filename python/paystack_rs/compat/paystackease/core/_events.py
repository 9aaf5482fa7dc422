"""paystackease's webhook ``Event``: the event's name and its data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from paystack_rs.compat._layout import module_getattr

__all__ = ["Event"]

__getattr__ = module_getattr(__name__, is_package=False)


class Event:
    """A Paystack webhook event: ``event.type`` (``"charge.success"``) and ``event.event_data``."""

    def __init__(self, event_type: str, data: dict[str, Any]) -> None:
        self._event_type = event_type
        self._event_data = data

    @classmethod
    def _get_event(cls, payload_data: Mapping[str, Any]) -> Event:
        event_type = payload_data.get("event")
        if not event_type:
            raise ValueError("Event type is required")
        return cls(event_type, payload_data.get("data", {}))

    @property
    def type(self) -> str:
        return self._event_type

    @property
    def event_data(self) -> dict[str, Any]:
        return self._event_data

    def __repr__(self) -> str:
        return f"Event(type={self._event_type!r})"

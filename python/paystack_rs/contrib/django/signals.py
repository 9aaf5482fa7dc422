"""``webhook_received``: sent once per verified Paystack event, and ``on_event`` to receive only
some event types.

Receivers get ``sender`` (the view class), ``event`` (the event name, e.g. ``"charge.success"``),
``data`` (the event's ``data``: an object, a list for ``subscription.expiring_cards``), ``request``
(the HttpRequest) and ``**kwargs``::

    from paystack_rs.contrib.django.signals import on_event, webhook_received

    @on_event("charge.success")                 # only these event types
    def paid(sender, event, data, **kwargs): ...

    @on_event("transfer.success", "transfer.failed")
    async def transfer(sender, event, data, **kwargs): ...   # async receivers work too

    webhook_received.connect(every_event)       # every event, Django's usual way

Keep receivers short (queue long work): Paystack waits 30 seconds at most for the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from asgiref.sync import iscoroutinefunction
from django.dispatch import Signal

__all__ = ["on_event", "webhook_received"]

#: Sent with ``event``, ``data`` and ``request`` once per event (retried deliveries are not sent
#: again); ``sender`` is the view class that received it.
webhook_received = Signal()

Receiver = TypeVar("Receiver", bound=Callable[..., Any])


def on_event(*event_types: str, sender: Any = None, dispatch_uid: str | None = None) -> Callable[[Receiver], Receiver]:
    """Connects the decorated function to ``webhook_received`` for these event types only.

    The function is returned unchanged (it can still be called or tested directly); the signal
    holds a filter in front of it, strongly, so it stays connected. Decorating the same function
    again (a module imported twice) does not connect it twice.
    """
    if not event_types or not all(isinstance(name, str) and name for name in event_types):
        raise TypeError('on_event() takes one or more event names, e.g. on_event("charge.success")')
    wanted = frozenset(event_types)

    def decorate(receiver: Receiver) -> Receiver:
        if not callable(receiver):
            raise TypeError(f"on_event(...) decorates a function, not {type(receiver).__name__}")
        filtered: Callable[..., Any]
        if iscoroutinefunction(receiver):

            async def filtered_async(sender: Any, event: str, **kwargs: Any) -> Any:
                if event in wanted:
                    return await receiver(sender=sender, event=event, **kwargs)
                return None

            filtered = filtered_async
        else:

            def filtered_sync(sender: Any, event: str, **kwargs: Any) -> Any:
                if event in wanted:
                    return receiver(sender=sender, event=event, **kwargs)
                return None

            filtered = filtered_sync
        name = getattr(receiver, "__qualname__", repr(receiver))
        filtered.__qualname__ = filtered.__name__ = f"on_event({', '.join(sorted(wanted))})({name})"
        module = getattr(receiver, "__module__", "")
        uid = dispatch_uid or f"paystack_rs.on_event:{module}.{name}:{','.join(sorted(wanted))}"
        webhook_received.connect(filtered, sender=sender, weak=False, dispatch_uid=uid)
        return receiver

    return decorate

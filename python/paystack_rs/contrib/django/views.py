"""The webhook views: ``webhook_view`` (WSGI or ASGI) and ``async_webhook_view`` (ASGI), and the
classes they come from, to subclass.

What a delivery goes through, and the answer at each step (Paystack counts anything but 200 as a
failed attempt and delivers again later; docs/paystack-api.md §5):

1. not POST → 405 (Django's answer, with ``Allow: POST``); CSRF is exempt (Paystack has no token)
2. the sender's address, when ``PAYSTACK_WEBHOOK_CHECK_IP`` is on, is not allowed → 403
3. ``x-paystack-signature`` is missing or signs the body under none of the keys → 400
4. the body is not a Paystack event (JSON ``{"event": "...", "data": ...}``) → 400
5. the same event was handled already → 200 without sending the signal; it is being handled by
   another request right now → 409, so Paystack tries again later
6. ``webhook_received`` is sent; every receiver runs → 200. A receiver raised → 500 and the event
   is forgotten, so Paystack's retry runs the receivers again (``PAYSTACK_WEBHOOK_RETRY_ON_ERROR``;
   with False: 200, logged)

Paystack sends no event id: an event is its name, its domain (test/live) and ``data.id`` (the
transaction's id for ``charge.*``), or ``data.reference`` when there is no id, or a hash of the
body when there is neither (``PaystackWebhookView.identify`` can be overridden).
Refusals are logged on ``paystack_rs.django`` with the reason, the sender's address and the body's
size, never the body (it holds card and customer details).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.cache import BaseCache, caches
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from paystack_rs import _core, webhooks
from paystack_rs._sansio import Call, run, run_async

from . import conf
from .ip import client_ip, is_allowed
from .signals import webhook_received

if TYPE_CHECKING:
    from paystack_rs._sansio import Steps

__all__ = [
    "AsyncPaystackWebhookView",
    "Delivery",
    "PaystackWebhookView",
    "async_webhook_view",
    "delivery_identity",
    "webhook_view",
]

logger = logging.getLogger("paystack_rs.django")

#: What the cache holds for an event: being handled, or handled.
PROCESSING = "processing"
HANDLED = "handled"

Results = list[tuple[Callable[..., Any], Any]]


@dataclass(frozen=True)
class Delivery:
    """A verified event, ready to be sent."""

    event: str
    data: Any  # an object, but a list for subscription.expiring_cards
    identity: str
    sender_ip: str | None

    @property
    def cache_key(self) -> str:
        # Hashed: cache backends limit keys (memcached: 250 characters, no spaces).
        return "paystack_rs:webhook:" + hashlib.sha256(self.identity.encode()).hexdigest()


def delivery_identity(event: str, data: Any, body: bytes) -> str:
    """What makes a delivery the same event as another: ``charge.success:test:id=3725529423``."""
    fields = data if isinstance(data, dict) else {}
    domain = fields.get("domain")
    domain = domain if isinstance(domain, str) else ""
    for field in ("id", "reference"):
        value = fields.get(field)
        if isinstance(value, (int, str)) and not isinstance(value, bool) and str(value):
            return f"{event}:{domain}:{field}={value}"
    return f"{event}:{domain}:body={hashlib.sha256(body).hexdigest()[:32]}"


def _answer(status: int, message: str) -> JsonResponse:
    return JsonResponse({"received": status == 200, "message": message}, status=status)


class _PaystackWebhookBase(View):
    """What the sync and async views share: every step, the cache's and the signal's written as
    ``_sansio`` steps that each view drives (blocking, or awaited)."""

    http_method_names = ["post"]  # noqa: RUF012  (OPTIONS too answers 405)

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Callable[..., HttpResponse]:
        return csrf_exempt(super().as_view(**initkwargs))  # type: ignore[return-value]

    def identify(self, event: str, data: Any, body: bytes) -> str:
        """The identity retried deliveries share (see ``delivery_identity``)."""
        return delivery_identity(event, data, body)

    def _receive(self, request: HttpRequest, settings: conf.WebhookSettings) -> Delivery | HttpResponse:
        meta = request.META
        sender_ip = client_ip(meta.get("REMOTE_ADDR"), meta.get("HTTP_X_FORWARDED_FOR"), settings.trusted_proxies)
        if settings.check_ip and not is_allowed(sender_ip, settings.allowed_ips):
            logger.warning(
                "Paystack webhook refused (403): %s is not an allowed sender address (REMOTE_ADDR %s)",
                sender_ip or "an unreadable address",
                meta.get("REMOTE_ADDR"),
            )
            return _answer(403, "sender address not allowed")
        body = request.body
        signature = request.headers.get(webhooks.SIGNATURE_HEADER)
        if not signature:
            logger.warning(
                "Paystack webhook refused (400): no %s header; from %s, %d bytes",
                webhooks.SIGNATURE_HEADER,
                sender_ip,
                len(body),
            )
            return _answer(400, "missing signature")
        if not any(webhooks.verify(body, signature, key) for key in settings.secret_keys):
            logger.warning(
                "Paystack webhook refused (400): the signature matches none of the %d secret key(s); from %s, %d bytes",
                len(settings.secret_keys),
                sender_ip,
                len(body),
            )
            return _answer(400, "invalid signature")
        try:
            payload = _core.parse_json(body)
        except ValueError:
            payload = None
        event = payload.get("event") if isinstance(payload, dict) else None
        if not isinstance(event, str) or not event or "data" not in payload:
            logger.warning(
                'Paystack webhook refused (400): signed, but not a Paystack event ({"event": ..., "data": ...}); '
                "from %s, %d bytes",
                sender_ip,
                len(body),
            )
            return _answer(400, "malformed event")
        data = payload["data"]
        return Delivery(event=event, data=data, identity=self.identify(event, data, body), sender_ip=sender_ip)

    def _cache(self, settings: conf.WebhookSettings) -> BaseCache | None:
        return None if settings.cache_alias is None else caches[settings.cache_alias]

    def _seen(self, delivery: Delivery, state: Any) -> HttpResponse:
        """The answer when the event could not be marked as being handled by this request."""
        if state == HANDLED:
            logger.info("Paystack webhook %s delivered again: already handled, acknowledged", delivery.identity)
            return _answer(200, "already handled")
        if state == PROCESSING:
            logger.info("Paystack webhook %s delivered again while being handled: answered 409", delivery.identity)
        else:  # the cache refused the mark (a backend error), or it expired in between
            logger.warning("Paystack webhook %s: the cache did not take its mark; answered 409", delivery.identity)
        return _answer(409, "being handled")  # Paystack tries again later

    # The cache and the signal, written once for both views (``_sansio``): ``run`` drives the
    # steps with ``cache.add`` and ``send_robust``, ``run_async`` awaits ``cache.aadd`` and
    # ``asend_robust`` (Django's twins, hence ``with_twin``).

    def _admit(self, request: HttpRequest, settings: conf.WebhookSettings) -> Steps[Delivery | HttpResponse]:
        """Steps 2-5: the delivery, marked in the cache as being handled by this request; or the
        answer (a refusal, or ``_seen``'s when the mark was taken already)."""
        delivery = self._receive(request, settings)
        if isinstance(delivery, HttpResponse):
            return delivery
        cache = self._cache(settings)
        if cache is not None:
            key = delivery.cache_key
            if not (yield Call(cache, "add", key, PROCESSING, settings.processing_timeout).with_twin("aadd")):
                return self._seen(delivery, (yield Call(cache, "get", key).with_twin("aget")))
        return delivery

    def _handle(
        self, request: HttpRequest, delivery: Delivery, cache: BaseCache | None, settings: conf.WebhookSettings
    ) -> Steps[HttpResponse]:
        """Step 6: ``webhook_received`` sent to every receiver, the answer, and the cache mark
        settled (handled, or forgotten so that Paystack's retry runs the receivers again)."""
        handled = False
        try:
            results = yield Call(
                webhook_received,
                "send_robust",
                sender=type(self),
                event=delivery.event,
                data=delivery.data,
                request=request,
            ).with_twin("asend_robust")
            handled, answer = self._settle(delivery, results, settings)
        finally:
            if cache is not None:
                if handled:
                    yield Call(cache, "set", delivery.cache_key, HANDLED, settings.dedupe_timeout).with_twin("aset")
                else:
                    yield Call(cache, "delete", delivery.cache_key).with_twin("adelete")
        return answer

    def _settle(
        self, delivery: Delivery, results: Results, settings: conf.WebhookSettings
    ) -> tuple[bool, HttpResponse]:
        """Whether the event counts as handled, and the answer."""
        failed = [(receiver, error) for receiver, error in results if isinstance(error, Exception)]
        for receiver, error in failed:
            logger.error(
                "Paystack webhook %s: receiver %s raised %s",
                delivery.identity,
                getattr(receiver, "__qualname__", receiver),
                type(error).__name__,
                exc_info=(type(error), error, error.__traceback__),
            )
        if failed and settings.retry_on_error:
            logger.warning(
                "Paystack webhook %s: %d of %d receiver(s) failed; answered 500 so that Paystack delivers it again",
                delivery.identity,
                len(failed),
                len(results),
            )
            return False, _answer(500, "a receiver failed")
        logger.debug(
            "Paystack webhook %s from %s handled by %d receiver(s)", delivery.identity, delivery.sender_ip, len(results)
        )
        return True, _answer(200, "handled")


class PaystackWebhookView(_PaystackWebhookBase):
    """The webhook view (``webhook_view = PaystackWebhookView.as_view()``); subclass it to change
    ``identify``. Receivers run in the request, sync or async ones alike."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        settings = conf.load()
        delivery = run(self._admit(request, settings))
        if isinstance(delivery, HttpResponse):
            return delivery
        return run(self._handle(request, delivery, self._cache(settings), settings))


class AsyncPaystackWebhookView(_PaystackWebhookBase):
    """The webhook view for ASGI (``async_webhook_view``): the cache and the receivers are awaited
    (``asend_robust``: async receivers run on the event loop, sync ones in a thread).

    A delivery is handled to the end even when Paystack hangs up first (its 30-second timeout;
    Django cancels the request's task on a disconnect): its retries get 409 until then, 200 after.
    """

    async def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        settings = conf.load()
        delivery = await run_async(self._admit(request, settings))
        if isinstance(delivery, HttpResponse):
            return delivery
        # Marked as being handled: from here on the handling runs to its end in its own task,
        # shielded from the request's cancellation, so the mark is always settled.
        steps = self._handle(request, delivery, self._cache(settings), settings)
        handling = asyncio.ensure_future(run_async(steps))
        _handling.add(handling)  # the loop keeps only a weak reference to a task
        handling.add_done_callback(_handling.discard)
        return await asyncio.shield(handling)


#: Deliveries being handled by the async view, shielded from their request's cancellation.
_handling: set[asyncio.Future[HttpResponse]] = set()


#: For ``urls.py``: ``path("paystack/webhook/", webhook_view)``.
webhook_view = PaystackWebhookView.as_view()
#: The same under ASGI, without a thread per delivery.
async_webhook_view = AsyncPaystackWebhookView.as_view()

"""A minimal shop: the integration most Django apps build first. The buyer submits the form,
the shop initializes a transaction and redirects to its ``authorization_url``; Paystack (here
the sandbox's checkout page) sends the buyer back to ``callback_url?trxref=REF&reference=REF``,
and the shop verifies the reference before it believes anything. ``SHOP_SECRET_KEY`` and
``SHOP_BASE_URL`` (the sandbox) come from PSR_SETTINGS."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_POST

import paystack_rs


def _paystack() -> paystack_rs.Paystack:
    return paystack_rs.Paystack(settings.SHOP_SECRET_KEY, base_url=settings.SHOP_BASE_URL)


def _page(body: str) -> HttpResponse:
    return HttpResponse(f"<!DOCTYPE html><html><head><title>Shop</title></head><body>{body}</body></html>")


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _page(
        format_html(
            '<h1>Shop</h1><form method="post" action="/shop/pay/">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input id="email" name="email" value="buyer@example.com">'
            '<input id="amount" name="amount" value="250000">'
            '<button id="buy" type="submit">Pay</button></form>',
            get_token(request),
        )
    )


@require_POST
def pay(request: HttpRequest) -> HttpResponse:
    try:
        amount = int(request.POST["amount"])
    except (KeyError, ValueError):
        return HttpResponseBadRequest("amount must be an integer number of kobo")
    response = _paystack().transaction.initialize(
        email=request.POST.get("email", ""),
        amount=amount,
        callback_url=request.build_absolute_uri("/shop/callback/"),
        metadata={"order": "browser-test"},
    )
    return HttpResponseRedirect(response.data["authorization_url"])


@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    reference = request.GET.get("reference")
    if not reference:
        return HttpResponseBadRequest("no reference")
    transaction = _paystack().transaction.verify(reference).data
    return _page(
        format_html(
            '<h1>Order</h1><p>Reference <span id="reference">{}</span> (trxref <span id="trxref">{}</span>)</p>'
            '<p>Status <span id="status">{}</span>: <span id="gateway_response">{}</span></p>'
            '<p>Amount <span id="amount">{}</span> <span id="currency">{}</span></p>',
            transaction["reference"],
            request.GET.get("trxref", ""),
            transaction["status"],
            transaction["gateway_response"],
            transaction["amount"],
            transaction["currency"],
        )
    )

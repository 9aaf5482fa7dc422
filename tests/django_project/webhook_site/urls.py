from django.urls import path
from shop import views as shop

from paystack_rs.contrib.django import async_webhook_view, webhook_view

urlpatterns = [
    path("paystack/webhook/", webhook_view),
    path("paystack/webhook-async/", async_webhook_view),
    path("shop/", shop.index),
    path("shop/pay/", shop.pay),
    path("shop/callback/", shop.callback),
]

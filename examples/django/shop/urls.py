from django.urls import path
from payments.views import payments

from paystack_rs.contrib.django import webhook_view  # async_webhook_view under ASGI

urlpatterns = [
    path("paystack/webhook/", webhook_view),
    path("payments/", payments),
]

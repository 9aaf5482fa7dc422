# source: cla-bit/PayStackEase docs/source/paystackease.webhooks.rst (PayStackWebhook, PayStackSignatureVerifyError in a Django view)
# given: request (the web framework's request: the raw body and the x-paystack-signature header)
import os

from paystackease import PayStackSignatureVerifyError, PayStackWebhook


def paystack_webhook(request):
    signature = request.headers.get("x-paystack-signature")
    try:
        event = PayStackWebhook.get_event_data(os.environ["PAYSTACK_SECRET_KEY"], request.body, signature)
    except PayStackSignatureVerifyError:
        return 400
    if event.type == "charge.success":
        print("paid:", event.event_data["reference"])
    return 200


assert paystack_webhook(request) == 200


class Forged:
    body = request.body.replace(b"40333", b"99999")
    headers = request.headers


assert paystack_webhook(Forged) == 400

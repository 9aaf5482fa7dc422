# source: pypaystack2 3.4.0 README (PyPI), "Verifying a webhook payload"
# given: request (the web framework's request: the raw body and the x-paystack-signature header)
from pypaystack2 import PaystackClient

client = PaystackClient()
payload = request.body  # webhook payload
signature = request.headers["x-paystack-signature"]  # x-paystack-signature
is_verified_webhook_payload = client.is_verified_webhook_payload(payload, signature)
print(is_verified_webhook_payload)
assert is_verified_webhook_payload is True
assert client.is_verified_webhook_payload(payload + b" ", signature) is False

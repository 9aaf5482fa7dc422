# source: pypaystack2 3.4.0 RefundClient docstrings (sub_clients/sync_clients/refunds.py: create, get_refunds, get_refund)
from pypaystack2 import PaystackClient
from pypaystack2.enums import Currency

client = PaystackClient()

response = client.refunds.create(
    transaction="re4lyvq3s3", amount=10_000, currency=Currency.NGN, merchant_note="Returned to store"
)
print(response.message)
assert response.status

refunds = client.refunds.get_refunds(currency=Currency.NGN)
print([refund.id for refund in refunds.data])
print(client.refunds.get_refund(reference=str(response.data.id)).data.status)

# source: cla-bit/PayStackEase docs/source/refund.rst (create_refund, list_refunds, fetch_refund)
from paystackease import Currency, PayStackBase

paystack = PayStackBase()

refund = paystack.refund.create_refund(
    transaction_ref_or_id="re4lyvq3s3",
    amount=10000,
    currency=Currency.NGN.value,
    customer_note="Damaged item",
    merchant_note="Returned to store",
)
print(refund.message)
assert refund.status

refunds = paystack.refund.list_refunds(currency=Currency.NGN.value, per_page=10)
print([r["id"] for r in refunds.data])
print(paystack.refund.fetch_refund(reference=str(refund.data["id"])).data["status"])

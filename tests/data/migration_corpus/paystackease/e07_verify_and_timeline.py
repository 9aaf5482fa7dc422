# source: cla-bit/PayStackEase docs/source/transactions.rst (verify_transaction, fetch_transaction, transaction_timeline); the reference is Paystack's documented sample
from paystackease import PayStackBase

paystack = PayStackBase()

verified = paystack.transactions.verify_transaction(reference="re4lyvq3s3")
if verified.status and verified.data["status"] == "success":
    print("paid", verified.data["amount"])
    transaction = paystack.transactions.fetch_transaction(transaction_id=verified.data["id"])
    timeline = paystack.transactions.transaction_timeline(id_or_reference="re4lyvq3s3")
    print(transaction.data["reference"], timeline.message)
else:
    raise SystemExit(f"not paid: {verified.message}")

unknown = paystack.transactions.verify_transaction(reference="no-such-ref")
assert unknown.status is False  # a refusal is an answer, not an exception

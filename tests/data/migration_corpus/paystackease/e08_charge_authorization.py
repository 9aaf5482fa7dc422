# source: cla-bit/PayStackEase docs/source/transactions.rst (charge_authorization, partial_debit) with Currency from the README
from paystackease import Currency, PayStackBase

paystack = PayStackBase()

charge = paystack.transactions.charge_authorization(
    email="success@example.com",
    amount=500000,
    authorization_code="AUTH_success001",
    reference="renewal-2024-08",
    currency=Currency.NGN.value,
    metadata={"plan": "monthly"},
)
print(charge.status_code, charge.message)
assert charge.status

partial = paystack.transactions.partial_debit(
    email="lowbalance@example.com",
    authorization_code="AUTH_lowbalance",
    amount=800000,
    currency=Currency.NGN.value,
    at_least=100000,
)
print(partial.data["amount"], partial.data["requested_amount"])

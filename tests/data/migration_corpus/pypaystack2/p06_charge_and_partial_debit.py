# source: pypaystack2 3.4.0 TransactionClient.charge and .partial_debit docstrings; Currency from pypaystack2.enums
from pypaystack2 import PaystackClient
from pypaystack2.enums import Currency

client = PaystackClient()

charge = client.transactions.charge(
    amount=500_000,
    email="success@example.com",
    auth_code="AUTH_success001",
    reference="renewal-2024-09",
    currency=Currency.NGN,
    metadata={"plan": "monthly"},
)
print(charge.status_code, charge.message)
assert charge.status and charge.data.status == "success"

partial = client.transactions.partial_debit(
    auth_code="AUTH_lowbalance",
    currency=Currency.NGN,
    amount=800_000,
    email="lowbalance@example.com",
    at_least=100_000,
)
print(partial.data.amount if partial.data else partial.raw)

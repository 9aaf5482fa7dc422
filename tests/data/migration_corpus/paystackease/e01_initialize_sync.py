# source: paystackease 2.3.7 README (PyPI), "Making a Transaction [Synchronous]"
from paystackease import PayStackBase

paystack_client = PayStackBase()

create_transaction = paystack_client.transactions.initialize(email="johndoe@email.com", amount=10000000)

print(f"Transaction Created: {create_transaction}")
assert create_transaction.status
print(create_transaction.checkout_url)

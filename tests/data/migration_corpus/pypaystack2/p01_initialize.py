# source: pypaystack2 3.4.0 package docstring (pypaystack2/__init__.py), "Initializing a transaction"
from pypaystack2 import PaystackClient

client = PaystackClient()  # Assumes your secret key is set in your environmental variables as PAYSTACK_SECRET_KEY

# Initializing a transaction
response = client.transactions.initialize(amount=10_000, email="johndoe@example.com")
print(repr(response))
assert response.status
print(response.data.authorization_url, response.data.reference)

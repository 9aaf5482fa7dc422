# source: pypaystack2 3.4.0 TransactionClient docstrings (get_transactions, get_transaction, get_timeline, totals, export)
from pypaystack2 import PaystackClient
from pypaystack2.enums import TransactionStatus
from pypaystack2.models import Transaction

client = PaystackClient()

response = client.transactions.get_transactions(status=TransactionStatus.SUCCESS, pagination=10)
assert response.status
for transaction in response.data:
    assert isinstance(transaction, Transaction)
    print(transaction.reference, transaction.amount, transaction.paid_at.isoformat())

one = client.transactions.get_transaction(id_=response.data[0].id)
print(one.data.customer["email"])
print(client.transactions.get_timeline(id_or_ref="re4lyvq3s3").message)
print(client.transactions.totals().data.total_volume)
print(client.transactions.export(status=TransactionStatus.SUCCESS).data.path)

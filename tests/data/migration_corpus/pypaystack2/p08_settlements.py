# source: pypaystack2 3.4.0 SettlementClient docstrings (sub_clients/sync_clients/settlements.py: get_settlements, get_settlement_transactions)
from pypaystack2 import PaystackClient

client = PaystackClient()

response = client.settlements.get_settlements(pagination=50)
print(response.message)
assert response.status
for settlement in response.data:
    transactions = client.settlements.get_settlement_transactions(id_=settlement.id)
    print(settlement.id, settlement.total_amount, settlement.settlement_date, len(transactions.data))

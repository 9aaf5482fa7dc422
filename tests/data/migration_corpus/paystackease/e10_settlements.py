# source: cla-bit/PayStackEase docs/source/settlements.rst (list_settlements, list_settlement_transactions)
from paystackease import PayStackBase

paystack = PayStackBase()

settlements = paystack.settlements.list_settlements(per_page=50, page=1)
print(settlements.message)
assert settlements.status
for settlement in settlements.data:
    transactions = paystack.settlements.list_settlement_transactions(settlement_id=settlement["id"])
    print(settlement["id"], settlement["total_amount"], len(transactions.data))

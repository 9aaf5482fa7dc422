# source: cla-bit/PayStackEase docs/source/transactions.rst (list_transactions, transaction_totals, export_transactions)
from datetime import date

from paystackease import PayStackBase, TransactionStatus

paystack = PayStackBase()

successful = paystack.transactions.list_transactions(per_page=50, page=1, status=TransactionStatus.SUCCESS.value)
for transaction in successful.data:
    print(transaction["reference"], transaction["amount"])
print(successful.message)

totals = paystack.transactions.transaction_totals(from_date=date(2020, 1, 1))
print(totals.data["total_volume"])

export = paystack.transactions.export_transactions(status=TransactionStatus.SUCCESS.value)
print(export.data["path"])
assert successful.status and totals.status and export.status

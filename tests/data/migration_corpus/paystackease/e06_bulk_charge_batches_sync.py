# source: cla-bit/PayStackEase docs/source/bulkcharges.rst (BulkChargesClientAPI: list, fetch, charges, pause, resume)
from paystackease import STATUS, BulkChargeListObject, PayStackBase

paystack = PayStackBase()
items = BulkChargeListObject(
    charges=[
        {"authorization": "AUTH_success001", "amount": 10000, "reference": "batch-a-1"},
        {"authorization": "AUTH_declined01", "amount": 2500, "reference": "batch-a-2"},
    ]
)
batch = paystack.bulk_charges.initiate_bulk_charge(objects=items)
code = batch.data["batch_code"]

batches = paystack.bulk_charges.list_bulk_charge_batches(per_page=10, page=1)
print([b["batch_code"] for b in batches.data])
assert code in [b["batch_code"] for b in batches.data]

print(paystack.bulk_charges.fetch_bulk_charge_batch(id_or_code=code).data["status"])
failed = paystack.bulk_charges.fetch_charge_bulk_batch(id_or_code=code, status=STATUS.FAILED.value, per_page=50)
print(failed.message)

paused = paystack.bulk_charges.pause_bulk_charge_batch(batch_code=code)
resumed = paystack.bulk_charges.resume_bulk_charge_batch(batch_code=code)
print(paused.message, resumed.message)

# source: pypaystack2 3.4.0 BulkChargeClient docstrings (sub_clients/sync_clients/bulk_charges.py: initiate, get_batch, get_charges_in_batch, pause_batch, resume_batch) and BulkChargeInstruction (models/payload_models.py)
from pypaystack2 import PaystackClient
from pypaystack2.enums import Status
from pypaystack2.models import BulkChargeInstruction

client = PaystackClient()
instructions = [
    BulkChargeInstruction(authorization="AUTH_success001", amount=10_000, reference="subscription-001"),
    BulkChargeInstruction(authorization="AUTH_declined01", amount=20_000, reference="subscription-002"),
]
response = client.bulk_charges.initiate(body=instructions)
assert response.status, response.message
batch_code = response.data.batch_code

batch = client.bulk_charges.get_batch(id_or_code=batch_code)
print(batch.data.status, batch.data.total_charges, batch.data.pending_charges)

failed = client.bulk_charges.get_charges_in_batch(id_or_code=batch_code, status=Status.FAILED)
print(failed.message)

print(client.bulk_charges.pause_batch(batch_code=batch_code).message)
print(client.bulk_charges.resume_batch(batch_code=batch_code).message)
print(len(client.bulk_charges.get_batches(pagination=10).data))

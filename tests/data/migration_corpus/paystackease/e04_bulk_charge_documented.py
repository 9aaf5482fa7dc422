# source: paystackease documentation of AsyncBulkChargesClientAPI (tests/data/interfaces/paystackease-bulk-charges.md), the initiate example (the sandbox's test authorizations for its placeholders)
import asyncio

from paystackease import AsyncPayStackBase, BulkChargeItem, BulkChargeListObject

valid_data = {
    "charges": [
        {"authorization": "AUTH_success001", "amount": 10000, "reference": "test1234"},
        {"authorization": "AUTH_success002", "amount": 2000, "reference": "tester1234"},
    ]
}
data = BulkChargeListObject(**valid_data)


async def paystack_client():
    async with AsyncPayStackBase() as client:
        response = await client.bulk_charges.initiate_bulk_charge(objects=data)
        print(response)
        return response


response = asyncio.run(paystack_client())
assert response.status and response.data["batch_code"].startswith("BCH_")
assert BulkChargeItem(authorization="AUTH_success001", amount=100, reference="one").amount == 100

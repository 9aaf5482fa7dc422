# source: paystackease 2.3.7 module layout (paystackease.helpers.data_types, paystackease.apis.async_apis.abulk_charges, paystackease.helpers.tool_kit) as typed code imports it; methods from cla-bit/PayStackEase docs/source/abulkcharges.rst
import asyncio

from paystackease.apaystack import AsyncPayStackBase
from paystackease.apis.async_apis.abulk_charges import AsyncBulkChargesClientAPI
from paystackease.core import PayStackResponse
from paystackease.helpers.data_types import BulkChargeItem, BulkChargeListObject
from paystackease.helpers.tool_kit import STATUS


async def charge_subscribers(bulk: AsyncBulkChargesClientAPI, charges: BulkChargeListObject) -> PayStackResponse:
    started = await bulk.initiate_bulk_charge(objects=charges)
    batch = await bulk.fetch_bulk_charge_batch(id_or_code=started.data["batch_code"])
    print(batch.data["status"], batch.data["total_charges"])
    return await bulk.fetch_charge_bulk_batch(id_or_code=started.data["batch_code"], status=STATUS.PENDING.value)


async def main():
    async with AsyncPayStackBase() as client:
        item = BulkChargeItem(authorization="AUTH_success001", amount=50000, reference="sub-2024-08-001")
        charges = BulkChargeListObject(charges=[item.model_dump()])
        pending = await charge_subscribers(client.bulk_charges, charges)
        assert isinstance(pending, PayStackResponse) and pending.status


asyncio.run(main())

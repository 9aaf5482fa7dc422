# source: pypaystack2 3.4.0 AsyncTransactionClient.verify docstring (sub_clients/async_clients/transactions.py) and the package docstring's AsyncPaystackClient; Paystack's documented sample reference
import asyncio

from pypaystack2 import AsyncPaystackClient
from pypaystack2.enums import TransactionStatus


async def confirm_payment(reference: str) -> bool:
    client = AsyncPaystackClient()
    response = await client.transactions.verify(reference=reference)
    if not response.status:
        print(response.message)
        return False
    return response.data.status == TransactionStatus.SUCCESS


assert asyncio.run(confirm_payment("re4lyvq3s3")) is True
assert asyncio.run(confirm_payment("no-such-ref")) is False

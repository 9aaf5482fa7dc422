# source: cla-bit/PayStackEase docs/source/example.rst ("Asynchronous support"), with the transaction of its sync example
import asyncio

from paystackease import AsyncPayStackBase


async def main():
    async with AsyncPayStackBase() as paystack_async:
        create_transaction = await paystack_async.transactions.initialize(email="johndoe@email.com", amount=100000)
        print(f"Created Transaction: {create_transaction}")
        return create_transaction.checkout_url


checkout_url = asyncio.run(main())
assert checkout_url.startswith("http")

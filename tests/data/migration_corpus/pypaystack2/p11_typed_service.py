# source: pypaystack2 3.4.0 module layout (pypaystack2.sub_clients, pypaystack2.models.response_models, pypaystack2.exceptions) as a typed service module imports it
from pypaystack2.exceptions import ClientNetworkError, MissingSecretKeyException
from pypaystack2.main_clients import PaystackClient
from pypaystack2.models.response_models import Response, Transaction
from pypaystack2.sub_clients import TransactionClient


def verify(transactions: TransactionClient, reference: str) -> Transaction | None:
    try:
        response: Response = transactions.verify(reference=reference)
    except ClientNetworkError:
        return None
    return response.data if response.status else None


try:
    client = PaystackClient()
except MissingSecretKeyException:
    raise SystemExit("set PAYSTACK_SECRET_KEY") from None
paid = verify(client.transactions, "re4lyvq3s3")
assert paid is not None and paid.amount == 40333

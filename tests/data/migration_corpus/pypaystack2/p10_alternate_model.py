# source: pypaystack2 3.4.0 client docstrings, the alternate_model_class parameter ("A pydantic model class to use instead of the default pydantic model")
from pydantic import BaseModel

from pypaystack2 import PaystackClient


class Payment(BaseModel):
    reference: str
    amount: int
    status: str


client = PaystackClient()
response = client.transactions.verify(reference="re4lyvq3s3", alternate_model_class=Payment)
assert isinstance(response.data, Payment)
print(response.data.model_dump())

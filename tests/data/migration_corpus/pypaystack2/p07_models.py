# source: pypaystack2 3.4.0 Response docstring (models/response_models.py: "All client methods ... returns an instance of `Response`", a pydantic model) with pydantic's model methods
import json

from pypaystack2 import PaystackClient
from pypaystack2.models import Response, Transaction

client = PaystackClient()
response = client.transactions.verify(reference="re4lyvq3s3")
assert isinstance(response, Response) and isinstance(response.data, Transaction)

as_json = response.model_dump_json()
print(json.loads(as_json)["data"]["reference"])
as_dict = response.data.model_dump(mode="json", exclude_none=True)
print(sorted(as_dict)[:5])

refunded = response.data.model_copy(update={"status": "reversed"})
assert refunded.status == "reversed" and response.data.status == "success"
print(list(Transaction.model_validate(response.data.model_dump()).model_fields)[:3])

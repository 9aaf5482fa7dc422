"""pypaystack2's interface (Transactions, Bulk Charges, Settlements, Refunds) on paystack-rs.

Replace the package prefix and keep the code: ``pypaystack2`` becomes
``paystack_rs.compat.pypaystack2``, module paths included::

    from paystack_rs.compat.pypaystack2 import PaystackClient     # was: from pypaystack2 import ...
    from paystack_rs.compat.pypaystack2.enums import Currency

    client = PaystackClient()                        # reads PAYSTACK_SECRET_KEY (and PAYSTACK_BASE_URL)
    r = client.transactions.verify(reference="re4lyvq3s3")
    r.data.reference, r.data.amount, r.data.created_at    # attribute access, dates as datetimes
    r.model_dump_json()                                   # pydantic's model methods

The package mirrors pypaystack2 3.x's modules for what it covers (``main_clients``, ``enums``,
``exceptions``, ``models``, ``sub_clients.sync_clients.transactions``...); a name or module it does
not cover fails on import saying so. Method names and parameters are pypaystack2's
(``get_transactions(pagination=...)``, ``charge(auth_code=...)``, ``get_charges_in_batch(id_or_code,
status)``); each call is paystack-rs's own method underneath, and the answer is a ``Response`` with
``status_code``, ``status``, ``message``, ``data``, ``meta``, ``type``, ``code`` and ``raw``. ``data``
holds the model pypaystack2 answers with (a ``Transaction``, a list of ``BulkCharge``...): a dict of
every field Paystack sent, with pypaystack2's snake_case names, read by attribute, ``created_at``,
``updated_at`` and ``paid_at`` as ``datetime``, and pydantic's model methods.

As in pypaystack2, every answer Paystack gives comes back as a ``Response``, refusals and server
errors included (``status=False``). What raises: ``ClientNetworkError`` when the network fails (as
pypaystack2 does), ``MissingSecretKeyException`` without a key, ``ValueError`` without an email or
authorization code (pypaystack2's checks), and ``ValidationError`` (a ``ValueError``) for other
input paystack-rs refuses before sending, where pypaystack2 would have sent it. docs/migrating.md
lists every difference.
"""

from __future__ import annotations

from paystack_rs.compat._layout import module_getattr

from .exceptions import ClientNetworkError, MissingSecretKeyException
from .main_clients import AsyncPaystackClient, PaystackClient
from .models import BulkChargeInstruction, Model, Response
from .sub_clients import AsyncBulkChargeClient, AsyncTransactionClient, BulkChargeClient, TransactionClient

__all__ = [
    "AsyncBulkChargeClient",
    "AsyncPaystackClient",
    "AsyncTransactionClient",
    "BulkChargeClient",
    "BulkChargeInstruction",
    "ClientNetworkError",
    "MissingSecretKeyException",
    "Model",
    "PaystackClient",
    "Response",
    "TransactionClient",
]

__getattr__ = module_getattr(__name__, is_package=True)

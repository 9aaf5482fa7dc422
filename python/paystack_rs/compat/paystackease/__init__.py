"""paystackease's interface (Bulk Charges, Transactions, Settlements, Refunds, webhooks) on paystack-rs.

Replace the package prefix and keep the code: ``paystackease`` becomes
``paystack_rs.compat.paystackease``, module paths included::

    from paystack_rs.compat.paystackease import AsyncPayStackBase                  # was: paystackease
    from paystack_rs.compat.paystackease.helpers.data_types import BulkChargeListObject

    async with AsyncPayStackBase() as client:          # reads PAYSTACK_SECRET_KEY (and PAYSTACK_BASE_URL)
        response = await client.bulk_charges.initiate_bulk_charge(objects=data)

The package mirrors paystackease 2.3's modules for what it covers (``apaystack``, ``paystack``,
``apis.async_apis.abulk_charges``, ``helpers.tool_kit``, ``core``...); a name or module it does
not cover fails on import saying so. Method names, keywords and defaults are paystackease's
(``from_date=``, ``id_or_code=``, ``per_page=50``); each call is paystack-rs's own method
underneath, and the answer is a ``PayStackResponse`` (``status_code``, ``status``, ``message``,
``data``, ``meta``).

As in paystackease, Paystack's refusals (4xx: an invalid key, a duplicate reference, an unknown
batch, a rate limit) come back as a ``PayStackResponse`` with ``status=False``. What still raises:
``PayStackServerError`` on 5xx and ``APIConnectionError`` when the network fails (as paystackease
does), ``SecretKeyError`` when no key is set (paystackease raises on a missing key too), and
``TypeValueError`` (a ``ValueError``) for input paystack-rs refuses before sending anything, where
paystackease would have sent it: nothing invalid is sent. docs/migrating.md lists every difference.
"""

from __future__ import annotations

from paystack_rs.compat._layout import module_getattr

from .apaystack import AsyncPayStackBase
from .apis.async_apis.abulk_charges import AsyncBulkChargesClientAPI
from .apis.async_apis.atransactions import AsyncTransactionClientAPI
from .apis.sync_apis.bulk_charges import BulkChargesClientAPI
from .apis.sync_apis.transactions import TransactionClientAPI
from .core import (
    APIConnectionError,
    PayStackError,
    PayStackResponse,
    PayStackServerError,
    PayStackSignatureVerifyError,
    PayStackWebhook,
    SecretKeyError,
    TypeValueError,
)
from .helpers import (
    STATUS,
    Bearer,
    BulkChargeItem,
    BulkChargeListObject,
    Channels,
    Currency,
    TransactionStatus,
    convert_to_subunit,
)
from .paystack import PayStackBase

__all__ = [
    "STATUS",
    "APIConnectionError",
    "AsyncBulkChargesClientAPI",
    "AsyncPayStackBase",
    "AsyncTransactionClientAPI",
    "Bearer",
    "BulkChargeItem",
    "BulkChargeListObject",
    "BulkChargesClientAPI",
    "Channels",
    "Currency",
    "PayStackBase",
    "PayStackError",
    "PayStackResponse",
    "PayStackServerError",
    "PayStackSignatureVerifyError",
    "PayStackWebhook",
    "SecretKeyError",
    "TransactionClientAPI",
    "TransactionStatus",
    "TypeValueError",
    "convert_to_subunit",
]

__getattr__ = module_getattr(__name__, is_package=True)

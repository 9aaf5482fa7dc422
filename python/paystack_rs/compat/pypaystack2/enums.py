"""pypaystack2's ``enums`` that the covered APIs take or answer with: ``str`` enums, so a member
and its value are interchangeable (``Currency.NGN == "NGN"``), as pypaystack2's ``StrEnum``s are."""

from __future__ import annotations

import enum

from paystack_rs.compat._layout import module_getattr

__all__ = [
    "Bearer",
    "BulkChargeStatus",
    "Channel",
    "Currency",
    "Domain",
    "Status",
    "TransactionStatus",
    "WebhookEventType",
]

__getattr__ = module_getattr(__name__, is_package=False)


class _StrEnum(str, enum.Enum):
    """``enum.StrEnum`` (Python 3.11) on 3.10 too: ``str(member)`` is its value."""

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, spec: str) -> str:
        return str(self.value).__format__(spec)


class Currency(_StrEnum):
    NGN = "NGN"
    GHS = "GHS"
    ZAR = "ZAR"
    USD = "USD"
    KES = "KES"
    XOF = "XOF"
    EGP = "EGP"
    RWF = "RWF"


class Channel(_StrEnum):
    CARD = "card"
    BANK = "bank"
    APPLE_PAY = "apple_pay"
    USSD = "ussd"
    QR = "qr"
    MOBILE_MONEY = "mobile_money"
    BANK_TRANSFER = "bank_transfer"
    EFT = "eft"
    PAYATTITUDE = "payattitude"


class Bearer(_StrEnum):
    ACCOUNT = "account"
    SUB_ACCOUNT = "subaccount"
    ALL_PROPORTIONAL = "all-proportional"
    ALL = "all"


class TransactionStatus(_StrEnum):
    FAILED = "failed"
    SUCCESS = "success"
    ABANDONED = "abandoned"


class Status(_StrEnum):
    """A bulk charge's charges by status (``get_charges_in_batch``)."""

    PENDING = "pending"
    SUCCESS = "success"
    FAILED = "failed"


class BulkChargeStatus(_StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    COMPLETE = "complete"


class Domain(_StrEnum):
    LIVE = "live"
    TEST = "test"


class WebhookEventType(_StrEnum):
    CHARGE_DISPUTE_CREATE = "charge.dispute.create"
    CHARGE_DISPUTE_REMIND = "charge.dispute.remind"
    CHARGE_DISPUTE_RESOLVE = "charge.dispute.resolve"
    CHARGE_SUCCESS = "charge.success"
    CUSTOMER_IDENTIFICATION_FAILED = "customeridentification.failed"
    CUSTOMER_IDENTIFICATION_SUCCESS = "customeridentification.success"
    DEDICATED_ACCOUNT_ASSIGN_FAILED = "dedicatedaccount.assign.failed"
    DEDICATED_ACCOUNT_ASSIGN_SUCCESS = "dedicatedaccount.assign.success"
    INVOICE_CREATE = "invoice.create"
    INVOICE_PAYMENT_FAILED = "invoice.payment_failed"
    INVOICE_UPDATE = "invoice.update"
    PAYMENT_REQUEST_PENDING = "paymentrequest.pending"
    PAYMENT_REQUEST_SUCCESS = "paymentrequet.success"  # sic: pypaystack2 3.4's value
    REFUND_FAILED = "refund.failed"
    REFUND_PENDING = "refund.pending"
    REFUND_PROCESSED = "refund.processed"
    REFUND_PROCESSING = "refund.processing"
    SUBSCRIPTION_CREATE = "subscription.create"
    SUBSCRIPTION_DISABLE = "subscription.disable"
    SUBSCRIPTION_EXPIRING_CARDS = "subscription.expiring_cards"
    SUBSCRIPTION_NOT_RENEW = "subscription.not_renew"
    TRANSFER_FAILED = "transfer.failed"
    TRANSFER_SUCCESS = "transfer.success"
    TRANSFER_REVERSED = "transfer.reversed"

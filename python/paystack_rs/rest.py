"""Compatibility with code written for Paystack's generated SDK (``from paystack.rest import
ApiException``): ``ApiException`` is paystack-rs's ``APIError``."""

from .errors import APIError as ApiException

__all__ = ["ApiException"]

"""pypaystack2's ``models``: the answer, its data models and the bulk charge item."""

from __future__ import annotations

from paystack_rs.compat._layout import module_getattr

from . import response_models
from .payload_models import BulkChargeInstruction, RefundAccount
from .response_models import *  # noqa: F403 (its __all__: the answer and the data models)

# response_models lists its names once; this adds payload_models'.
__all__ = ["BulkChargeInstruction", "RefundAccount"]
__all__ += response_models.__all__

__getattr__ = module_getattr(__name__, is_package=True)

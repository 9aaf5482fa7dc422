"""The keyword options the reports share, written once.

``reconcile.batch``, ``batches`` and ``transactions`` take :class:`ReportOptions`; ``payouts`` and
``settlement`` take :class:`PayoutOptions`. Each is a ``TypedDict``, so type checkers check
``**options: Unpack[ReportOptions]`` as they would the keyword parameters themselves (an unknown
name or a wrong type is an error); :func:`takes` gives the logic its public signature, each option
a keyword-only parameter with its default (what ``inspect.signature`` and ``help`` show), and
:func:`chosen` fills in the defaults and refuses an unknown keyword as Python would.
"""

from __future__ import annotations

from typing import Any, TypedDict  # only the reports load this module, never `import paystack_rs`

from ._pages import DEFAULT_CONCURRENCY

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import TypeVar

    from ._client import Paystack
    from ._progress import ProgressArg
    from ._timeouts import Timeouts
    from .reconcile import Expected

    F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["DEFAULTS", "DEFAULT_PER_PAGE", "PayoutOptions", "ReadOptions", "ReportOptions", "chosen", "takes"]

#: Page size of the reports' list calls (Paystack's default is 50; docs/paystack-api.md §2.4).
DEFAULT_PER_PAGE = 100


class ReadOptions(TypedDict, total=False):
    """How a report reads Paystack: ``client`` (default: the global one, ``paystack_rs.api_key``),
    ``progress`` (as for ``bulk_charge.wait``), ``per_page`` (default 100) and ``concurrency``
    (requests at once, default 8)."""

    client: Paystack | None
    progress: ProgressArg
    per_page: int
    concurrency: int


class ReportOptions(ReadOptions, total=False):
    """A charges report's options: also ``expected``, what should have been charged."""

    expected: Expected


class PayoutOptions(ReadOptions, total=False):
    """A payouts report's options: also each request's ``timeout`` and ``max_retries``."""

    timeout: float | Timeouts | None
    max_retries: int | None


#: Each option's default.
DEFAULTS: dict[str, Any] = {
    "client": None,
    "progress": False,
    "per_page": DEFAULT_PER_PAGE,
    "concurrency": DEFAULT_CONCURRENCY,
    "expected": None,
    "timeout": None,
    "max_retries": None,
}


def takes(kind: type) -> Callable[[F], F]:
    """Marks a logic whose ``**options`` are ``kind``'s: its public signature lists them as
    keyword-only parameters with their defaults, after its own."""

    def mark(logic: F) -> F:
        import inspect  # when a report module loads, never on a call's path

        own = inspect.signature(logic)
        parameters = [p for p in own.parameters.values() if p.kind is not inspect.Parameter.VAR_KEYWORD]
        for name, annotation in kind.__annotations__.items():
            written = getattr(annotation, "__forward_arg__", annotation)  # TypedDict keeps it a ForwardRef
            keyword = inspect.Parameter.KEYWORD_ONLY
            parameters.append(inspect.Parameter(name, keyword, default=DEFAULTS[name], annotation=written))
        marked: Any = logic
        marked.__signature__ = own.replace(parameters=parameters)
        return logic

    return mark


def chosen(function: str, options: Mapping[str, Any], kind: type) -> dict[str, Any]:
    """Every option of ``kind``: the caller's, or its default. A name that is not one is a
    ``TypeError``, worded as Python words it for a keyword parameter."""
    names = kind.__annotations__
    for name in options:
        if name not in names:
            raise TypeError(f"{function}() got an unexpected keyword argument {name!r}")
    return {name: options.get(name, DEFAULTS[name]) for name in names}

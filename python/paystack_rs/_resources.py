"""The Bulk Charge and Transaction methods, built from the Rust core's endpoint table.

Each endpoint is defined once, in ``crates/paystack-core/src/endpoints.rs``. This module turns
every entry into a real Python method with the seeds' signature (so ``help()``, ``inspect`` and
IDEs see ``verify(reference, *, timeout=None, max_retries=None)``), plus its ``_async`` twin.
Both send through a *requester*: a client's ``CoreClient``, or the global one that reads
``paystack_rs.api_key`` at call time. ``_resources.pyi`` is generated from the same table.
"""

from __future__ import annotations

import linecache
from typing import Any, Protocol

from . import _core
from ._timeouts import Timeouts

__all__ = ["ENDPOINTS", "BulkChargeService", "Requester", "TransactionService", "signature_source"]

#: The core's endpoint table, as dicts (resource, name, method, path, summary, params, ...).
ENDPOINTS: list[dict[str, Any]] = _core.endpoints()

#: Per-call options every method accepts, after the endpoint's own parameters.
CALL_OPTIONS = ("timeout", "max_retries")


class Requester(Protocol):
    """What a service sends its calls through."""

    def call(
        self,
        endpoint: int,
        args: tuple[Any, ...],
        timeout: float | Timeouts | None = None,
        max_retries: int | None = None,
    ) -> Any: ...

    def call_async(
        self,
        endpoint: int,
        args: tuple[Any, ...],
        timeout: float | Timeouts | None = None,
        max_retries: int | None = None,
    ) -> Any: ...


def signature_source(spec: dict[str, Any], annotate: bool = False) -> str:
    """The parameter list of an endpoint's method (after ``self``)."""
    parts: list[str] = []
    keyword_only_started = False
    for param in spec["params"]:
        annotation = f": {param['py_type']}" if annotate else ""
        if param["keyword_only"] and not keyword_only_started:
            parts.append("*")
            keyword_only_started = True
        if param["required"]:
            parts.append(f"{param['name']}{annotation}")
        else:
            none = " | None = None" if annotate else "=None"
            parts.append(f"{param['name']}{annotation}{none}")
    if not keyword_only_started:
        parts.append("*")
    if annotate:
        parts += ["timeout: float | Timeouts | None = None", "max_retries: int | None = None"]
    else:
        parts += [f"{name}=None" for name in CALL_OPTIONS]
    return ", ".join(parts)


def _docstring(spec: dict[str, Any]) -> str:
    lines = [spec["summary"], "", f"``{spec['method']} {spec['path']}``", ""]
    if spec["params"]:
        lines.append("Parameters:")
        for p in spec["params"]:
            wire = f" (sent as ``{p['wire']}``)" if p["wire"] != p["name"] else ""
            need = "required" if p["required"] else "optional"
            lines.append(f"    {p['name']}: {p['kind']}; {need}{wire}.")
    lines += [
        "    timeout: seconds for this call, retries included, or a Timeouts(connect=, read=, total=).",
        "    max_retries: retries for this call (default: the client's, 2).",
        "",
        "Returns a Response (a dict of Paystack's answer). Raises ValidationError before sending",
        "anything when an argument is invalid, and an APIError subclass when Paystack refuses.",
    ]
    return "\n".join(lines)


def _build_methods(spec: dict[str, Any]) -> dict[str, Any]:
    """The sync method and its ``_async`` twin, compiled from the endpoint's description."""
    name = spec["name"]
    args = ", ".join(p["name"] for p in spec["params"])
    args_tuple = f"({args},)" if args else "()"
    signature = signature_source(spec)
    index = spec["index"]
    source = (
        f"def {name}(self, {signature}):\n"
        f"    return self._requester.call({index}, {args_tuple}, timeout, max_retries)\n"
        f"async def {name}_async(self, {signature}):\n"
        f"    return await self._requester.call_async({index}, {args_tuple}, timeout, max_retries)\n"
    )
    filename = f"<paystack_rs endpoint {spec['resource']}.{name}>"
    # Tracebacks show the generated lines instead of "???".
    linecache.cache[filename] = (len(source), None, source.splitlines(keepends=True), filename)
    namespace: dict[str, Any] = {}
    exec(compile(source, filename, "exec"), namespace)
    sync, asynchronous = namespace[name], namespace[f"{name}_async"]
    sync.__doc__ = _docstring(spec)
    asynchronous.__doc__ = f"Awaitable twin of :meth:`{name}`.\n\n" + _docstring(spec)
    return {name: sync, f"{name}_async": asynchronous}


class _Service:
    """The methods of one Paystack resource, sent through a requester."""

    __slots__ = ("_requester",)
    _resource: str = ""

    def __init__(self, requester: Requester) -> None:
        self._requester = requester

    def __repr__(self) -> str:
        return f"<{type(self).__name__} via {self._requester!r}>"


def _service_class(class_name: str, resource: str, doc: str) -> type[_Service]:
    members: dict[str, Any] = {"__slots__": (), "_resource": resource, "__doc__": doc, "__module__": __name__}
    for spec in ENDPOINTS:
        if spec["resource"] == resource:
            members.update(_build_methods(spec))
    return type(class_name, (_Service,), members)


BulkChargeService = _service_class(
    "BulkChargeService",
    "bulk_charge",
    "Paystack's Bulk Charge API: charge many saved authorizations in one batch.",
)
TransactionService = _service_class(
    "TransactionService",
    "transaction",
    "Paystack's Transaction API: initialize, charge, verify, list and export transactions.",
)

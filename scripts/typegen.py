"""Paystack's objects as TypedDicts, derived from the OpenAPI document and the sample answers.

Used by scripts/generate.py, which writes python/paystack_rs/types.py from it. Each object below
names where Paystack describes it: an endpoint's answer (its ``data``, or each entry of a list), an
answer's ``meta``, or a sample file. For an endpoint, both the OpenAPI schema of its 200 answer
(tests/data/paystack/spec/dist_paystack.yaml) and its sample answer (tests/data/paystack/samples/api)
are read. Every description of an object is merged:

- a field's type is the union of every type any description gives it (``integer`` and ``4`` give
  ``int``; ``nullable`` and ``null`` add ``None``; a field only ever seen as ``null`` is ``Any``);
- a field is required when every description has it (OpenAPI: listed in ``required``, where the
  schema has that list; a sample: present), otherwise ``NotRequired``: the samples show what the
  real API leaves out.

Objects nested in others (a transaction's ``authorization``) are named in NESTED and merged from
every place they appear; other nested objects are ``dict[str, Any]``.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "data" / "paystack" / "spec" / "dist_paystack.yaml"
SAMPLES = ROOT / "tests" / "data" / "paystack" / "samples"

#: Where each endpoint's sample answer is: samples/api/<dir>/response.json, its "200" answer.
SAMPLE_DIRS = {
    "bulk_charge.charges": "bulk-charges/fetch-charge",
    "bulk_charge.fetch": "bulk-charges/fetch-batch",
    "bulk_charge.initiate": "bulk-charges/initiate",
    "bulk_charge.list": "bulk-charges/list",
    "bulk_charge.pause": "bulk-charges/pause",
    "bulk_charge.resume": "bulk-charges/resume",
    "transaction.charge_authorization": "transactions/charge_authorization",
    "transaction.download": "transactions/export",
    "transaction.fetch": "transactions/fetch",
    "transaction.initialize": "transactions/initialize",
    "transaction.list": "transactions/list",
    "transaction.partial_debit": "transactions/partial_debit",
    "transaction.timeline": "transactions/view_timeline",
    "transaction.totals": "transactions/totals",
    "transaction.verify": "transactions/verify",
    "settlement.fetch": "settlements/list",
    "settlement.transaction": "settlements/transactions",
    "refund.create": "refunds/create",
    "refund.fetch": "refunds/fetch",
    "refund.list": "refunds/list",
    "refund.retry": "refunds/retry",
}


@dataclass(frozen=True)
class Source:
    """One description of an object: ``part`` ("data" or "meta") of an endpoint's answer, from
    the OpenAPI document and/or the endpoint's sample, or of a sample file."""

    endpoint: str | None = None
    part: str = "data"
    oas: bool = True
    sample: bool = True
    file: str | None = None

    def label(self) -> str:
        if self.file is not None:
            return f"sample {self.file}"
        what = [w for w, on in (("OpenAPI", self.oas), ("sample", self.sample)) if on]
        return f"{self.endpoint} {self.part} ({' and '.join(what)})"


def data(endpoint: str) -> Source:
    return Source(endpoint)


def meta(endpoint: str, *, oas: bool = True, sample: bool = True) -> Source:
    return Source(endpoint, "meta", oas=oas, sample=sample)


#: Each object: its docstring and the descriptions it is merged from, in the order fields appear.
OBJECTS: dict[str, tuple[str, list[Source]]] = {
    "Transaction": (
        "A transaction: what ``Transaction.verify`` and ``fetch`` answer, and each entry of ``list``.",
        [data("transaction.verify"), data("transaction.fetch"), data("transaction.list")],
    ),
    "ChargeAttempt": (
        "The transaction a charge made: what ``charge_authorization`` and ``partial_debit`` answer.",
        [data("transaction.charge_authorization"), data("transaction.partial_debit")],
    ),
    "InitializedTransaction": (
        "What ``Transaction.initialize`` answers: where the customer pays.",
        [data("transaction.initialize")],
    ),
    "Timeline": (
        "What happened during a payment: ``Transaction.timeline``, and a transaction's ``log``.",
        [data("transaction.timeline")],
    ),
    "Totals": ("What ``Transaction.totals`` answers.", [data("transaction.totals")]),
    "Export": ("What ``Transaction.download`` answers: where the CSV file is.", [data("transaction.download")]),
    "Batch": (
        "A bulk charge batch, with its progress: what ``BulkCharge.initiate`` and ``fetch`` answer.",
        [
            data("bulk_charge.initiate"),
            data("bulk_charge.fetch"),
            Source(file="doc/payments/bulk-charge/initiate-charge/index.json"),
        ],
    ),
    "BatchSummary": ("Each entry of ``BulkCharge.list``: a batch without its progress.", [data("bulk_charge.list")]),
    "BatchCharge": ("Each entry of ``BulkCharge.charges``: one charge of a batch.", [data("bulk_charge.charges")]),
    "Settlement": (
        "A payout to the bank: each entry of ``Settlement.fetch`` (docs/paystack-api.md §8.1).",
        [Source("settlement.fetch", oas=False)],  # the OpenAPI answer is a bare ``Ok``
    ),
    "Refund": (
        "A refund: what ``Refund.fetch`` and ``retry`` answer, and each entry of ``Refund.list``.",
        [data("refund.fetch"), data("refund.list"), data("refund.retry")],
    ),
    "RefundCreated": (
        "What ``Refund.create`` answers: the refund queued, with its transaction as an object.",
        [data("refund.create")],
    ),
    "PageMeta": (
        "The ``meta`` of a list answer paged by number (``page``, ``per_page``).",
        [
            meta("transaction.list", sample=False),  # the sample shows the cursor form (CursorMeta)
            meta("bulk_charge.list"),
            meta("bulk_charge.charges"),
            Source(file="api/introduction/meta-format/index.json", part="meta"),
        ],
    ),
    "CursorMeta": (
        "The ``meta`` of ``Transaction.list(use_cursor=True)``: pass ``next``/``previous`` back.",
        [meta("transaction.list", oas=False)],
    ),
}

#: Nested objects with a name of their own: (object, field) -> name (for a list field, its entries).
NESTED: dict[tuple[str, str], str] = {
    ("Transaction", "authorization"): "Authorization",
    ("ChargeAttempt", "authorization"): "Authorization",
    ("BatchCharge", "authorization"): "Authorization",
    ("Transaction", "customer"): "Customer",
    ("ChargeAttempt", "customer"): "Customer",
    ("BatchCharge", "customer"): "Customer",
    ("Transaction", "log"): "Timeline",
    ("ChargeAttempt", "log"): "Timeline",
    ("Timeline", "history"): "TimelineEvent",
    ("Totals", "total_volume_by_currency"): "CurrencyAmount",
    ("Totals", "pending_transfers_by_currency"): "CurrencyAmount",
    ("BatchCharge", "transaction"): "BatchChargeTransaction",
}

NESTED_DOCS = {
    "Authorization": "A saved card or account: charge it again with its ``authorization_code``.",
    "Customer": "The customer of a transaction or charge.",
    "TimelineEvent": "One step of a payment's timeline.",
    "CurrencyAmount": "An amount in one currency (subunits).",
    "BatchChargeTransaction": "The transaction behind one charge of a batch.",
}

#: What the OpenAPI document and the samples leave out, from docs/paystack-api.md: more values a
#: field is known to hold (object, field, values, where it is written), merged as descriptions of
#: the field's type (they say nothing about which fields are sent).
_METADATA = ["", 0, None, {"custom_fields": []}]
_METADATA_FACT = "§1: responses show metadata as '', 0, null or an object"
_UNPAID_FACT = "§3.6: a charge that failed was never paid (the OpenAPI list schema: paid_at nullable)"
FACTS: list[tuple[str, str, list[Any], str]] = [
    ("Transaction", "metadata", _METADATA, _METADATA_FACT),
    ("ChargeAttempt", "metadata", _METADATA, _METADATA_FACT),
    ("BatchChargeTransaction", "metadata", _METADATA, _METADATA_FACT),
    ("BatchChargeTransaction", "paid_at", [None], _UNPAID_FACT),
    ("BatchChargeTransaction", "paidAt", [None], _UNPAID_FACT),
    ("CursorMeta", "next", [None], "§2.4: next is null on the last page"),
    ("CursorMeta", "previous", ["dW5kZWZpbmVkOjQwMTM3MDk2MzU="], "§2.4: previous is a cursor after the first page"),
]

#: What each endpoint's ``data`` holds: an object above, ``list[...]`` of one (with the meta type),
#: or a plain annotation where Paystack describes no fields.
ENDPOINT_DATA: dict[str, tuple[str, str | None]] = {
    "bulk_charge.charges": ("BatchCharge", "PageMeta"),
    "bulk_charge.fetch": ("Batch", None),
    "bulk_charge.initiate": ("Batch", None),
    "bulk_charge.list": ("BatchSummary", "PageMeta"),
    "bulk_charge.pause": ("None", None),
    "bulk_charge.resume": ("None", None),
    "transaction.charge_authorization": ("ChargeAttempt", None),
    "transaction.check_authorization": ("dict[str, Any]", None),  # no schema or sample (docs T6)
    "transaction.download": ("Export", None),
    "transaction.event": ("dict[str, Any]", None),  # OpenAPI: a bare object (docs T11)
    "transaction.fetch": ("Transaction", None),
    "transaction.initialize": ("InitializedTransaction", None),
    "transaction.list": ("Transaction", "PageMeta | CursorMeta"),
    "transaction.partial_debit": ("ChargeAttempt", None),
    "transaction.session": ("dict[str, Any]", None),
    "transaction.timeline": ("Timeline", None),
    "transaction.totals": ("Totals", None),
    "transaction.verify": ("Transaction", None),
    "settlement.fetch": ("Settlement", "PageMeta"),
    "settlement.transaction": ("Transaction", "PageMeta"),
    "refund.create": ("RefundCreated", None),
    "refund.fetch": ("Refund", None),
    "refund.list": ("Refund", "PageMeta"),
    "refund.retry": ("Refund", None),
}

#: Names for the choices of each ``Choice`` parameter in the endpoint table ("resource.name.param").
CHOICE_NAMES = {
    "bulk_charge.charges.status": "ChargeStatus",
    "bulk_charge.list.status": "BatchStatus",
    "transaction.list.status": "TransactionStatus",
    "transaction.download.status": "ExportStatus",
    "transaction.initialize.bearer": "Bearer",
    "transaction.charge_authorization.bearer": "Bearer",
    "settlement.fetch.status": "SettlementStatus",
    "refund.create.currency": "RefundCurrency",
}


# -- merging --------------------------------------------------------------------------------


@dataclass
class Shape:
    """Everything the descriptions say about one value."""

    kinds: set[str] = field(default_factory=set)  # null bool int float str list object dict any
    fields: dict[str, Shape] = field(default_factory=dict)
    present: dict[str, int] = field(default_factory=dict)  # descriptions that always have the field
    described: int = 0  # descriptions of it as an object with fields
    items: Shape | None = None
    name: str | None = None  # a named object (NESTED / OBJECTS)


class Merger:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.named: dict[str, Shape] = {}

    def shape_named(self, name: str) -> Shape:
        return self.named.setdefault(name, Shape(name=name))

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            node: Any = self.spec
            for part in schema["$ref"].lstrip("#/").split("/"):
                node = node[part]
            schema = node
        return schema

    def child(self, parent: Shape, key: str) -> Shape:
        """The shape of ``parent``'s field ``key``; a named nested object's own shape is used for
        its object part."""
        if key not in parent.fields:
            parent.fields[key] = Shape()
            parent.present.setdefault(key, 0)
        return parent.fields[key]

    def target(self, parent: Shape | None, key: str | None, shape: Shape) -> Shape:
        """Where an object seen in ``shape`` is recorded: its named shape, if it has one."""
        if parent is not None and parent.name is not None and key is not None:
            name = NESTED.get((parent.name, key))
            if name is not None:
                shape.name = name
                return self.shape_named(name)
        return shape

    def schema(self, shape: Shape, schema: dict[str, Any], parent: Shape | None = None, key: str | None = None) -> None:
        schema = self.resolve(schema)
        for alternative in schema.get("anyOf", []) + schema.get("oneOf", []):
            self.schema(shape, alternative, parent, key)
        if schema.get("nullable"):
            shape.kinds.add("null")
        kind = schema.get("type")
        if kind is None:
            if not schema.get("anyOf") and not schema.get("oneOf"):
                shape.kinds.add("unknown")
            return
        simple = {"integer": "int", "number": "float", "string": "str", "boolean": "bool"}
        if kind in simple:
            shape.kinds.add(simple[kind])
        elif kind == "array":
            shape.kinds.add("list")
            shape.items = shape.items or Shape()
            self.schema(shape.items, schema.get("items", {}), parent, key)
        elif kind == "object":
            properties = schema.get("properties")
            if not properties:
                shape.kinds.add("dict")
                return
            shape.kinds.add("object")
            obj = self.target(parent, key, shape)
            # A schema without a `required` list says nothing about which fields are sent.
            required = schema.get("required")
            if required is not None:
                obj.described += 1
            for name, sub in properties.items():
                self.schema(self.child(obj, name), sub, obj, name)
                if required is not None and name in required:
                    obj.present[name] += 1

    def value(self, shape: Shape, value: Any, parent: Shape | None = None, key: str | None = None) -> None:
        if value is None:
            shape.kinds.add("null")
        elif isinstance(value, bool):
            shape.kinds.add("bool")
        elif isinstance(value, int):
            shape.kinds.add("int")
        elif isinstance(value, float):
            shape.kinds.add("float")
        elif isinstance(value, str):
            shape.kinds.add("str")
        elif isinstance(value, list):
            shape.kinds.add("list")
            shape.items = shape.items or Shape()
            for item in value:
                self.value(shape.items, item, parent, key)
        elif isinstance(value, dict):
            if not value:
                shape.kinds.add("dict")
                return
            shape.kinds.add("object")
            obj = self.target(parent, key, shape)
            obj.described += 1
            for name, sub in value.items():
                self.value(self.child(obj, name), sub, obj, name)
                obj.present[name] += 1

    # -- the sources ---------------------------------------------------------------------

    def operation(self, endpoint: str, endpoints: dict[str, dict[str, Any]]) -> dict[str, Any]:
        """The OpenAPI schema of the endpoint's 200 answer (paths matched with parameter names
        ignored: the spec writes ``{id}`` where the table writes ``{id_or_reference}``)."""
        spec = endpoints[endpoint]

        def pattern(path: str) -> str:
            return "/".join("{}" if part.startswith("{") else part for part in path.split("/"))

        for path, operations in self.spec["paths"].items():
            if pattern(path) == pattern(spec["path"]):
                answer = operations[spec["method"].lower()]["responses"]["200"]
                if "$ref" in answer:  # a shared answer (#/components/responses/...)
                    answer = self.resolve(answer)
                return self.resolve(answer["content"]["application/json"]["schema"])
        raise SystemExit(f"no OpenAPI operation for {spec['method']} {spec['path']}")

    def observe(self, shape: Shape, source: Source, endpoints: dict[str, dict[str, Any]]) -> None:
        def part_of(body: dict[str, Any]) -> Any:
            return body.get(source.part)

        if source.file is not None:
            self.value_of_part(shape, part_of(json.loads((SAMPLES / source.file).read_text())))
            return
        assert source.endpoint is not None
        if source.oas:
            answer = self.operation(source.endpoint, endpoints)
            schema = self.resolve(answer["properties"][source.part])
            if schema.get("type") == "array":
                schema = self.resolve(schema["items"])
            self.schema(shape, schema)
        if source.sample:
            sample = json.loads((SAMPLES / "api" / SAMPLE_DIRS[source.endpoint] / "response.json").read_text())
            self.value_of_part(shape, part_of(sample["200"]["data"]))

    def value_of_part(self, shape: Shape, value: Any) -> None:
        for item in value if isinstance(value, list) else [value]:
            self.value(shape, item)


# -- rendering ------------------------------------------------------------------------------


def annotation(shape: Shape) -> str:
    kinds = shape.kinds
    if "unknown" in kinds and not kinds - {"unknown", "null"}:
        return "Any"
    parts: list[str] = []
    if "object" in kinds:
        parts.append(shape.name or "dict[str, Any]")
    if "dict" in kinds and "dict[str, Any]" not in parts and shape.name is None:
        parts.append("dict[str, Any]")
    if "list" in kinds:
        assert shape.items is not None
        parts.append(f"list[{annotation(shape.items)}]")
    if "str" in kinds:
        parts.append("str")
    if "float" in kinds:
        parts.append("float")
    elif "int" in kinds:
        parts.append("int")
    if "bool" in kinds:
        parts.append("bool")
    if not parts:
        return "Any"
    if "null" in kinds:
        parts.append("None")
    return " | ".join(parts)


def render_object(name: str, doc: str, shape: Shape, sources: list[str]) -> list[str]:
    required = [k for k in shape.fields if shape.present[k] == shape.described]
    optional = [k for k in shape.fields if k not in required]
    lines = [f"{k}: {annotation(shape.fields[k])}" for k in required]
    doc_lines = [doc, "", "Derived from " + "; ".join(sources) + "."]
    if optional:
        doc_lines += ["Not always sent (read them with ``.get``): " + ", ".join(optional) + "."]
    text = "\n".join(textwrap.fill(line, 96, break_on_hyphens=False) for line in doc_lines).split("\n")
    docstring = "\n".join(f"    {line}" if line else "" for line in ['"""' + text[0], *text[1:], '"""'])
    # Final, so that mypy narrows a union of them by key (`if "total" in r.meta:`), as pyright does.
    if not optional:
        return ["@final", f"class {name}(TypedDict):", docstring, "", *(f"    {line}" for line in lines)]
    base = f"_{name}Required"
    out = [f"class {base}(TypedDict):"]
    out += [f"    {line}" for line in lines] or ["    pass"]
    out += ["", "", "@final", f"class {name}({base}, total=False):", docstring, ""]
    out += [f"    {k}: {annotation(shape.fields[k])}" for k in optional]
    return out


def render_types(spec: dict[str, Any], endpoints: list[dict[str, Any]]) -> tuple[str, dict[str, str]]:
    """The body of types.py (after its header) and the names it defines, in order."""
    by_name = {f"{e['resource']}.{e['name']}": e for e in endpoints}
    merger = Merger(spec)
    origins: dict[str, list[str]] = {}
    for name, (_, sources) in OBJECTS.items():
        shape = merger.shape_named(name)
        for source in sources:
            merger.observe(shape, source, by_name)
        origins[name] = [s.label() for s in sources]
    for (parent, key), name in NESTED.items():
        origins.setdefault(name, []).append(f"{parent}.{key}")
    cited: dict[tuple[str, str], list[str]] = {}
    for name, key, values, where in FACTS:
        obj = merger.named[name]
        if key not in obj.fields:
            raise SystemExit(f"typegen FACTS: {name} has no field {key!r}")
        for value in values:
            merger.value(obj.fields[key], value, obj, key)
        cited.setdefault((name, where.split(":")[0]), []).append(key)
    for (name, section), keys in cited.items():
        origins[name].append(f"docs/paystack-api.md {section} ({', '.join(dict.fromkeys(keys))})")

    blocks: list[list[str]] = []
    names: dict[str, str] = {}
    # Choices of the endpoint table's parameters, as Literals.
    choices: dict[str, list[str]] = {}
    for e in endpoints:
        for p in e["params"]:
            if not p["choices"]:
                continue
            key = f"{e['resource']}.{e['name']}.{p['name']}"
            if key not in CHOICE_NAMES:
                raise SystemExit(f"name the choices of {key} in scripts/typegen.py CHOICE_NAMES")
            alias = CHOICE_NAMES[key]
            if choices.setdefault(alias, p["choices"]) != p["choices"]:
                raise SystemExit(f"{alias} stands for different choices in {key}")
    for alias, options in choices.items():
        values = ", ".join(json.dumps(o) for o in options)
        blocks.append([f"{alias} = Literal[{values}]"])
        names[alias] = "choices"
    order = list(OBJECTS) + [n for n in NESTED.values() if n not in OBJECTS]
    seen: set[str] = set()
    for name in order:
        if name in seen:
            continue
        seen.add(name)
        doc = OBJECTS[name][0] if name in OBJECTS else NESTED_DOCS[name]
        blocks.append(render_object(name, doc, merger.named[name], list(dict.fromkeys(origins[name]))))
        names[name] = "object"
    return "\n\n\n".join("\n".join(b) for b in blocks), names


def data_annotation(endpoint: str) -> str:
    """The return annotation of an endpoint's method."""
    if endpoint not in ENDPOINT_DATA:
        raise SystemExit(f"say what {endpoint}'s data holds in scripts/typegen.py ENDPOINT_DATA")
    item, meta_type = ENDPOINT_DATA[endpoint]
    if meta_type is None:
        return f"Response[{item}]"
    if meta_type == "PageMeta":
        return f"ListResponse[{item}]"
    return f"ListResponse[{item}, {meta_type}]"

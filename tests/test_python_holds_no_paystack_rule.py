"""Paystack's rules are decided once, in the core (``crates/paystack-core/src/semantics``); the
hand-written Python presents them. A rule written again in Python is a second copy waiting to
drift, so this fails when one of their markers appears in the code of ``python/paystack_rs``
(string constants outside docstrings: what code acts on, not what prose explains). The generated
``_services.py`` is the endpoint table's view and is left out."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "python" / "paystack_rs"
GENERATED = {PACKAGE / "_services.py"}

#: A marker of each rule, and where the rule lives instead.
MARKERS = {
    r"bulkcharge_batch_code|bulkcharge_id|charged_via": "a batch code, a retry's metadata (semantics::answers)",
    r"duplicate transaction reference": "recognising a duplicate reference (semantics::answers)",
    r"reference not found|not found": "recognising an unknown reference (semantics::answers)",
    r"^-r$|-r\(|-r\[|-r\d": "the retry reference scheme (semantics::references)",
    r"bulk-charge reference v\d": "the derived reference scheme (semantics::references)",
    r"^psrs-": "the generated reference scheme (crate::reference)",
}
#: Rules recognised in the code itself rather than its strings.
CODE_MARKERS = {
    r"divmod\(abs\(": "money as text (semantics::money)",
    r"hashlib\.sha256\(text": "the derived reference scheme (semantics::references)",
}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _strings(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    strings = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            strings.append((node.lineno, node.value))
    return strings


def test_no_paystack_rule_is_written_in_the_python_layer():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path in GENERATED:
            continue
        for line, text in _strings(path):
            for marker, rule in MARKERS.items():
                if re.search(marker, text, re.IGNORECASE):
                    found.append(f"{path.relative_to(PACKAGE)}:{line}: {text!r} ({rule})")
        source = path.read_text(encoding="utf-8")
        for marker, rule in CODE_MARKERS.items():
            found += [f"{path.relative_to(PACKAGE)}: {m.group(0)!r} ({rule})" for m in re.finditer(marker, source)]
    assert found == []


def test_the_check_finds_a_rule_written_again(tmp_path):
    # The check itself: a copy of the old recognition is found, its docstring is not.
    copy = tmp_path / "copy.py"
    copy.write_text(
        '"""Mentions bulkcharge_batch_code in prose only."""\n'
        "def batch(fields):\n"
        '    return [f for f in fields if f["variable_name"] == "bulkcharge_batch_code"]\n'
        'def retry(reference, n):\n    return f"{reference}-r{n}"\n'
    )
    texts = [text for _, text in _strings(copy)]
    assert "bulkcharge_batch_code" in texts
    assert "-r" in texts
    assert "Mentions bulkcharge_batch_code in prose only." not in texts

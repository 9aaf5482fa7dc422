"""The binding crate's modules form no cycle: each `crate::module` reference points one way, so a
module can be read (and changed) knowing only the modules below it."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
REFERENCE = re.compile(r"\bcrate::(\w+)")


def module_graph(folder: Path) -> dict[str, set[str]]:
    """Each module of a crate's src/ folder and the modules it names through `crate::`."""
    graph: dict[str, set[str]] = {}
    for path in sorted(folder.rglob("*.rs")):
        relative = path.relative_to(folder).with_suffix("")
        parts = [p for p in relative.parts if p != "mod"]
        name = parts[0] if parts else "lib"
        if name in ("lib", "main"):
            continue
        # A `use crate::{a, b}` group names several modules.
        text = path.read_text()
        names = set(REFERENCE.findall(text))
        for group in re.findall(r"\bcrate::\{([^}]*)\}", text):
            names |= {g.strip().split("::")[0] for g in group.split(",") if g.strip()}
        graph.setdefault(name, set()).update(n for n in names if n != name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                found.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_the_checker_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_binding_crate_has_no_module_cycles():
    graph = module_graph(SRC)
    assert {"client", "async_bridge", "bulk_items", "python_to_json"} <= set(graph)
    assert cycles(graph) == []

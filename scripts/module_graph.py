#!/usr/bin/env python3
"""The module graph of a Rust crate, from its `use crate::…`, `crate::…`, `super::…` and `self::…`
paths, or of a Python package, from its imports; and the cycles in it.

    python3 scripts/module_graph.py crates/paystack-sandbox/src [--edges] [--top]
    python3 scripts/module_graph.py python/paystack_rs [--edges]

Rust: each file is one module (`src/a/b.rs` and `src/a/b/mod.rs` are `a::b`); `lib.rs` is the crate
root and `main.rs` (a separate binary crate) is left out. A path names the longest module it starts
with. `#[cfg(test)]` modules are left out: a test may use anything. Declaring a child (`mod x;`) is
not a dependency; using it is.

Python (a folder with `__init__.py`): each file is one module (`a/__init__.py` is the package `a`).
Every import counts, those inside functions too (a lazy import is still a dependency, only a later
one), except those under `if TYPE_CHECKING:`, which never run. `from . import x` names the
submodule `x` when there is one, else the package; an import of a package does not count as one of
its submodules', nor a submodule's as one of its package's.

Exits 1 when a cycle exists (two modules that reach each other), printing each group of modules
that do; `--top` judges the top-level modules instead of files.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

USE = re.compile(r"\buse\s+([^;]+);", re.S)
INLINE = re.compile(r"\b((?:crate|super|self)(?:::[A-Za-z_][A-Za-z0-9_]*)+)")
TEST_MODULE = re.compile(r"#\[cfg\(test\)\]\s*(?:#\[[^\]]*\]\s*)*mod\s+\w+\s*\{", re.S)
COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.S)
STRING = re.compile(r'"(?:\\.|[^"\\])*"')


def module_of(src: Path, file: Path) -> tuple[str, ...]:
    parts = list(file.relative_to(src).with_suffix("").parts)
    if parts[-1] in ("mod", "lib"):
        parts.pop()
    return tuple(parts)


def without_tests(text: str) -> str:
    """The text without its `#[cfg(test)] mod … { … }` blocks (brace-matched)."""
    out, pos = [], 0
    for match in TEST_MODULE.finditer(text):
        if match.start() < pos:
            continue
        out.append(text[pos : match.start()])
        depth, i = 1, match.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        pos = i
    out.append(text[pos:])
    return "".join(out)


def expand(tree: str) -> list[str]:
    """`crate::{a::{B, C}, d}` -> `crate::a::B`, `crate::a::C`, `crate::d`."""
    tree = re.sub(r"\s+", "", tree)
    brace = tree.find("{")
    if brace < 0:
        return [re.sub(r"\bas\w+$", "", tree)]
    prefix, body = tree[:brace], tree[brace + 1 : tree.rfind("}")]
    items, depth, start = [], 0, 0
    for i, ch in enumerate(body):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if ch == "," and depth == 0:
            items.append(body[start:i])
            start = i + 1
    items.append(body[start:])
    return [path for item in items if item for path in expand(prefix + item)]


def resolve(path: str, here: tuple[str, ...], modules: set[tuple[str, ...]]) -> tuple[str, ...] | None:
    segments = path.split("::")
    if segments[0] == "crate":
        base, rest = (), segments[1:]
    elif segments[0] in ("super", "self"):
        base = here
        while segments and segments[0] in ("super", "self"):
            if segments.pop(0) == "super":
                base = base[:-1]
        rest = segments
    else:
        return None
    best = None
    for n in range(len(rest) + 1):
        candidate = base + tuple(rest[:n])
        if candidate in modules:
            best = candidate
    return best


def graph(src: Path, top: bool) -> dict[tuple[str, ...], set[tuple[str, ...]]]:
    files = [f for f in src.rglob("*.rs") if f.name != "main.rs" or f.parent != src]
    modules = {module_of(src, f) for f in files}
    edges: dict[tuple[str, ...], set[tuple[str, ...]]] = {m: set() for m in modules}
    for file in files:
        here = module_of(src, file)
        text = STRING.sub('""', COMMENT.sub("", without_tests(file.read_text())))
        paths = [p for tree in USE.findall(text) for p in expand(tree)]
        paths += INLINE.findall(USE.sub("", text))
        # A child module is also reached by its bare name (`bulk::initiate` in handlers/mod.rs).
        for child in re.findall(r"\bmod\s+(\w+)\s*;", text):
            bare = re.compile(rf"(?<![\w:]){child}((?:::[A-Za-z_][A-Za-z0-9_]*)+)")
            paths += [f"self::{child}{m}" for m in bare.findall(text) if not m.startswith("::*")]
            paths += [f"self::{child}" for tree in USE.findall(text) if re.match(rf"\s*{child}\b", tree)]
        for path in paths:
            target = resolve(path.rstrip(":*"), here, modules)
            if target is not None and target not in (here, ()):
                edges[here].add(target)
    if top:
        collapsed: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
        for m, targets in edges.items():
            key = m[:1]
            collapsed.setdefault(key, set()).update(t[:1] for t in targets if t[:1] != key)
        edges = collapsed
    edges.pop((), None)
    for targets in edges.values():
        targets.discard(())
    return edges


def cycles(edges: dict[tuple[str, ...], set[tuple[str, ...]]]) -> list[list[tuple[str, ...]]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[tuple[str, ...], int] = {}
    low: dict[tuple[str, ...], int] = {}
    stack: list[tuple[str, ...]] = []
    on_stack: set[tuple[str, ...]] = set()
    found: list[list[tuple[str, ...]]] = []

    def visit(v: tuple[str, ...]) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def python_module(package: Path, file: Path) -> tuple[str, ...]:
    parts = list(file.relative_to(package).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return tuple(parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _run_time_imports(node: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """The imports under `node` that can run: the bodies of `if TYPE_CHECKING:` left out."""
    found: list[ast.Import | ast.ImportFrom] = []
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            found.append(child)
        elif isinstance(child, ast.If) and _is_type_checking(child.test):
            for branch in child.orelse:
                found += _run_time_imports(ast.Module(body=[branch], type_ignores=[]))
        else:
            found += _run_time_imports(child)
    return found


def _import_base(node: ast.ImportFrom, home: tuple[str, ...], package: str) -> tuple[str, ...] | None:
    """The module a `from … import` names, inside the package (None: outside it)."""
    module = tuple(part for part in (node.module or "").split(".") if part)
    if node.level:
        up = node.level - 1
        return (*home[: len(home) - up], *module) if up <= len(home) else None
    return module[1:] if module[:1] == (package,) else None


def python_graph(package: Path) -> dict[tuple[str, ...], set[tuple[str, ...]]]:
    files = sorted(package.rglob("*.py"))
    # An extension module (`_core`, built from Rust) is known by its stub: a module with no imports.
    stubs = [f for f in package.rglob("*.pyi") if not f.with_suffix(".py").exists()]
    modules = {python_module(package, f) for f in files + stubs}

    def longest(path: tuple[str, ...]) -> tuple[str, ...] | None:
        for n in range(len(path), -1, -1):
            if path[:n] in modules:
                return path[:n]
        return None

    edges: dict[tuple[str, ...], set[tuple[str, ...]]] = {m: set() for m in modules}
    for file in files:
        here = python_module(package, file)
        home = here if file.name == "__init__.py" else here[:-1]
        for node in _run_time_imports(ast.parse(file.read_text(), str(file))):
            targets: list[tuple[str, ...] | None] = []
            if isinstance(node, ast.Import):
                for alias in node.names:
                    parts = tuple(alias.name.split("."))
                    if parts[0] == package.name:
                        targets.append(longest(parts[1:]))
            else:
                base = _import_base(node, home, package.name)
                if base is None:
                    continue
                for alias in node.names:
                    submodule = (*base, alias.name)
                    targets.append(submodule if submodule in modules else longest(base))
            edges[here].update(t for t in targets if t is not None and t != here)
    return edges


def name(module: tuple[str, ...], python: bool = False) -> str:
    if python:
        return ".".join(module) or "(package)"
    return "::".join(module)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("src", type=Path, nargs="+")
    parser.add_argument("--edges", action="store_true", help="print every module and what it uses")
    parser.add_argument("--top", action="store_true", help="top-level modules instead of files")
    args = parser.parse_args()
    status = 0
    for src in args.src:
        python = (src / "__init__.py").exists()
        edges = python_graph(src) if python else graph(src, args.top)
        if args.edges:
            for module in sorted(edges):
                uses = ", ".join(name(t, python) for t in sorted(edges[module])) or "-"
                print(f"{src}: {name(module, python)} -> {uses}")
        groups = cycles(edges)
        for group in groups:
            print(f"{src}: cycle among {', '.join(name(m, python) for m in group)}")
        if groups:
            status = 1
        else:
            print(f"{src}: {len(edges)} modules, no cycles")
    return status


if __name__ == "__main__":
    sys.exit(main())

"""The relay's modules import each other as a tree: no cycle, not even a hidden one.

An import placed inside a function or under ``TYPE_CHECKING`` to dodge a cycle
still counts here: such a cycle makes the order modules load in matter, and
makes a newcomer ask which of two modules owns a name.
"""

from __future__ import annotations

import ast
from pathlib import Path

RELAY = Path(__file__).resolve().parents[2] / "relay"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(RELAY.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, known: set[str]) -> set[str]:
    """Every relay module this file imports, wherever in the file the import sits."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # ``from relay.simulator import payloads`` imports a module, not a name.
            names = [f"{node.module}.{alias.name}" for alias in node.names] + [node.module]
        else:
            continue
        found.update(name for name in names if name in known)
    return found


def _graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in RELAY.rglob("*.py")}
    known = set(files)
    return {name: _imports(path, known) - {name} for name, path in files.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules, or None when the graph is a tree."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target)) is not None:
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)) is not None:
            return found
    return None


def test_the_relay_modules_import_each_other_without_a_cycle() -> None:
    graph = _graph()
    assert {"relay.state", "relay.routes", "relay.stream", "relay.asgi"} <= set(graph)
    assert _cycle(graph) is None, " -> ".join(_cycle(graph) or [])


def test_the_cycle_finder_sees_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None

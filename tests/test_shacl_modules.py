"""The modules of govgraph.shacl import one another one way only: no import cycle, counting every import
(at module level, inside functions and under TYPE_CHECKING), as read from the source."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "govgraph" / "shacl"
PREFIX = "govgraph.shacl"


def _imports(path: Path) -> set[str]:
    """The govgraph.shacl modules that ``path`` imports (by module name, without the package prefix)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path.name}: use absolute imports (from govgraph.shacl.x import ...)")
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            if name.startswith(PREFIX + "."):
                module = name[len(PREFIX) + 1 :].split(".")[0]
                if (PACKAGE / f"{module}.py").is_file():
                    out.add(module)
    return out


def _graph() -> dict[str, set[str]]:
    return {p.stem: _imports(p) - {p.stem} for p in sorted(PACKAGE.glob("*.py"))}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, str] = {}
    stack: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = "open"
        stack.append(module)
        for imported in sorted(graph.get(module, ())):
            if state.get(imported) == "open":
                return [*stack[stack.index(imported) :], imported]
            if imported not in state and (found := visit(imported)):
                return found
        stack.pop()
        state[module] = "done"
        return None

    for module in sorted(graph):
        if module not in state and (found := visit(module)):
            return found
    return None


def test_the_shacl_package_has_no_import_cycle() -> None:
    graph = _graph()
    assert {"engine", "shapes", "sparql", "paths", "report", "model", "terms"} <= set(graph)
    cycle = _cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_import_reader_sees_imports_inside_functions_and_type_checking(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from govgraph.shacl.engine import Engine\n"
        "def f():\n    from govgraph.shacl import shapes\n    import govgraph.shacl.paths\n",
        encoding="utf-8",
    )
    assert _imports(source) == {"engine", "shapes", "paths"}


def test_the_layers() -> None:
    graph = _graph()
    assert graph["terms"] == set() and graph["literals"] == set()
    assert graph["model"] == {"terms"}
    for low in ("model", "paths", "sparql", "shapes", "wellformed"):
        assert "engine" not in graph[low] and "report" not in graph[low]

"""How the pricing package hangs together: no module imports another that imports it back,
not even through an import hidden inside a function."""

import ast
from pathlib import Path

import pytest

from config.env import parse_bool

PRICING = Path(__file__).resolve().parents[2] / "pricing"


def module_name(path: Path) -> str:
    parts = path.relative_to(PRICING.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, name: str) -> set[str]:
    """Every pricing module ``path`` imports, wherever in the file the import statement is."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            target = f"{base}.{node.module}" if node.level and node.module else node.module or base
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def import_graph() -> dict[str, set[str]]:
    paths = {module_name(p): p for p in PRICING.rglob("*.py") if "migrations" not in p.parts}
    return {name: imports_of(path, name) & set(paths) - {name} for name, path in paths.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, str] = {}

    def visit(node: str, trail: list[str]) -> list[str] | None:
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                return [*trail[trail.index(target) :], target] if target in trail else [node, target]
            if target not in state and (cycle := visit(target, [*trail, target])):
                return cycle
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start, [start])):
            return cycle
    return None


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]


def test_no_pricing_module_imports_itself_back_through_another():
    graph = import_graph()
    assert "pricing.refresh.apply" in graph  # the graph is the package's, not empty
    assert find_cycle(graph) is None


def test_no_step_of_the_refresh_imports_the_refresh_package_itself():
    graph = import_graph()
    steps = [name for name in graph if name.startswith("pricing.refresh.")]
    assert len(steps) >= 6
    assert all("pricing.refresh" not in graph[step] for step in steps)


@pytest.mark.parametrize(
    ("text", "expected"), [("1", True), (" Yes", True), ("on", True), ("off", False), ("0", False)]
)
def test_yes_no_texts_read_the_same_everywhere(text, expected):
    assert parse_bool(text, name="FLAG") is expected


def test_a_yes_no_text_that_is_neither_is_refused_by_name():
    with pytest.raises(ValueError, match="FLAG must be true/false"):
        parse_bool("maybe", name="FLAG")

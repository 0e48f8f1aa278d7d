"""The sandbox's modules form layers (STYLE.md rule 11): no import circle,
counting imports made only for type checking and imports inside functions."""

import ast
from pathlib import Path

import challenges.sandbox

PACKAGE = Path(challenges.sandbox.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imported(node: ast.AST, importer: str, is_package: bool) -> list[str]:
    """The sandbox modules an import node names, relative to the package."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
        prefix = "challenges.sandbox."
        return [name.removeprefix(prefix) for name in names if name.startswith(prefix)]
    if not isinstance(node, ast.ImportFrom):
        return []
    if node.level == 0:
        if not (node.module or "").startswith("challenges.sandbox"):
            return []
        base = node.module.removeprefix("challenges.sandbox").lstrip(".")
    else:
        package = importer.split(".") if is_package else importer.split(".")[:-1]
        package = [part for part in package if part]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join(package + ([node.module] if node.module else []))
    # "from . import x" and "from .api import respond" name modules or packages.
    return [base] if node.module else [".".join(filter(None, [base, a.name])) for a in node.names]


def import_graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    modules = {_module_name(path): path for path in paths}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            for target in _imported(node, name, path.name == "__init__.py"):
                if target in modules and target != name:
                    graph[name].add(target)
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as a list of modules, or None."""
    visiting, done = [], set()

    def visit(module: str) -> list[str] | None:
        if module in visiting:
            return visiting[visiting.index(module) :] + [module]
        if module in done:
            return None
        visiting.append(module)
        for target in sorted(graph[module]):
            if cycle := visit(target):
                return cycle
        visiting.pop()
        done.add(module)
        return None

    for module in sorted(graph):
        if cycle := visit(module):
            return cycle
    return None


def test_the_graph_sees_the_sandbox_modules_and_their_imports():
    graph = import_graph()
    assert {"lint", "framing", "clean_head", "lint_fields", "engine", "api.router"} <= set(graph)
    assert "lint" in graph["framing"]
    assert "layout" in graph["lint_fields"]
    assert "api" in graph["engine"]


def test_the_cycle_finder_finds_a_circle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_the_sandbox_import_graph_is_acyclic():
    assert find_cycle(import_graph()) is None

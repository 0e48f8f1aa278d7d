"""The rooms import one way (DESIGN.md): curriculum -> accounts; quiz, challenges ->
curriculum, accounts; classroom -> all of those; nothing imports classroom. quiz and
challenges never import each other, and challenges.sandbox imports no Django at all.

Every import counts, including those inside functions and for type checking.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("accounts", "curriculum", "quiz", "challenges", "classroom")
ALLOWED = {
    "accounts": set(),
    "curriculum": {"accounts"},
    "quiz": {"curriculum", "accounts"},
    "challenges": {"curriculum", "accounts"},
    "classroom": {"accounts", "curriculum", "quiz", "challenges"},
}


def _imports(path: Path) -> set[str]:
    """Top-level package names imported anywhere in one file."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def _app_files(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


@pytest.mark.parametrize("app", APPS)
def test_each_room_imports_only_the_rooms_below_it(app):
    wrong = sorted(
        f"{path.relative_to(ROOT)} imports {name}"
        for path in _app_files(app)
        for name in _imports(path)
        if name.split(".")[0] in APPS
        and name.split(".")[0] != app
        and name.split(".")[0] not in ALLOWED[app]
    )
    assert wrong == []


def test_the_sandbox_imports_no_django():
    wrong = sorted(
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sorted((ROOT / "challenges" / "sandbox").rglob("*.py"))
        for name in _imports(path)
        if name.split(".")[0] in {"django", *APPS} and not name.startswith("challenges.sandbox")
    )
    assert wrong == []


def test_the_rule_is_checked_on_real_files():
    """A guard for the guard: the scan sees the imports it is meant to police."""
    assert "curriculum.models" in _imports(ROOT / "quiz" / "models.py")
    assert any("quiz" in name for path in _app_files("classroom") for name in _imports(path))

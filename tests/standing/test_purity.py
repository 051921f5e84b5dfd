"""The standing engine is pure domain: nothing in it imports Flask, SQLAlchemy or Flask-Login,
and it imports only other pure domain modules."""

from __future__ import annotations

import ast
from pathlib import Path

import portfolio.standing

PACKAGE = Path(portfolio.standing.__file__).parent
FORBIDDEN = ("flask", "flask_login", "flask_wtf", "sqlalchemy", "werkzeug")
DOMAIN = (
    "portfolio.standing",
    "portfolio.standing.status",
    "portfolio.core.roles",
    "portfolio.core.clock",
    "portfolio.frameworks.schema",
    "portfolio.frameworks.practice_terms",
)


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def test_the_engine_imports_no_web_or_database_code() -> None:
    files = sorted(PACKAGE.glob("*.py"))
    assert len(files) >= 8
    for path in files:
        for name in _imports(path):
            assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"
            if name.startswith("portfolio"):
                assert name.startswith(DOMAIN), f"{path.name} imports {name}"


def test_each_file_is_small_and_each_function_short() -> None:
    for path in sorted(PACKAGE.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert len(source.splitlines()) < 400, path.name
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                assert length < 60, f"{path.name}: {node.name} has {length} lines"

"""The suite's own shape: no test module or conftest imports a test module or a conftest.

Shared helpers live in modules not named test_* (tests/factories/, tests/support/, and the
few beside the tests that use them); fixtures reach tests through pytest, by name, never by
import. Importing a test module runs its tests twice or couples them by order; importing a
conftest registers its fixtures a second time under another name.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _is_test_or_conftest(module: str) -> bool:
    last = module.rsplit(".", 1)[-1]
    return last == "conftest" or last.startswith("test_")


def _package_of(path: Path, root: Path) -> str:
    return ".".join(path.relative_to(root.parent).with_suffix("").parts[:-1])


def _imported_modules(path: Path, root: Path) -> list[tuple[int, str]]:
    """Every module the file imports, anywhere in it (inside functions too), by full name;
    for `from package import name`, also `package.name`, which may be a module."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = _package_of(path, root).split(".")
                package = package[: len(package) - (node.level - 1)]
                base = ".".join([*package, *([base] if base else [])])
            found.append((node.lineno, base))
            found.extend((node.lineno, f"{base}.{alias.name}") for alias in node.names)
    return found


def bad_imports(root: Path) -> list[str]:
    bad = []
    for path in sorted(root.rglob("*.py")):
        if not (path.name.startswith("test_") or path.name == "conftest.py"):
            continue
        for line, module in _imported_modules(path, root):
            if module.startswith("tests") and _is_test_or_conftest(module):
                bad.append(f"{path.relative_to(root.parent)}:{line} imports {module}")
    return bad


def test_no_test_module_or_conftest_imports_a_test_module_or_a_conftest() -> None:
    assert bad_imports(TESTS) == []


def test_the_check_finds_each_kind_of_import(tmp_path: Path) -> None:
    root = tmp_path / "tests"
    (root / "signoff").mkdir(parents=True)
    (root / "signoff" / "test_pages.py").write_text(
        "from tests.signoff.conftest import department\n"
        "from tests.signoff import test_rules\n"
        "import tests.test_query_counts\n"
        "from . import conftest\n"
        "def test_x():\n"
        "    from tests.test_growth import BASE\n"
    )
    (root / "conftest.py").write_text("from tests.signoff.test_pages import helper\n")
    (root / "signoff" / "helpers.py").write_text("from tests.conftest import anything\n")
    (root / "test_fine.py").write_text(
        "from tests import factories\nfrom tests.support.databases import ENGINE\n"
    )
    found = bad_imports(root)
    assert [line.split(" imports ")[1] for line in found] == [
        "tests.signoff.test_pages",
        "tests.signoff.conftest",
        "tests.signoff.test_rules",
        "tests.test_query_counts",
        "tests.signoff.conftest",
        "tests.test_growth",
    ]

"""`scripts/shape.py` counts what it says it counts, on small packages made for each test (never
on the real code, whose numbers are changing)."""

from __future__ import annotations

import importlib.util
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "shape.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("shape_script", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


shape = _load()

Make = Callable[[dict[str, str]], str]


@pytest.fixture
def make_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Make:
    """Writes the files (paths inside the package) under a package with a name no other test
    uses, adds the `__init__.py` files, puts it on the path and returns its name."""
    base = tmp_path.resolve()
    name = "shape_" + base.name.replace("-", "_").lower()
    monkeypatch.syspath_prepend(str(base))

    def make(files: dict[str, str]) -> str:
        root = base / name
        for relative, text in {"__init__.py": "", **files}.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            for folder in [path.parent, *path.parent.parents]:
                if folder == base:
                    break
                (folder / "__init__.py").touch()
            path.write_text(textwrap.dedent(text).replace("PKG", name), "utf-8")
        return name

    return make


def measure(name: str, base: Path) -> dict[str, int | None]:
    counts: dict[str, int | None] = shape.measure(base.resolve(), name).counts
    return counts


def statements(count: int, indent: str = "    ") -> str:
    return "".join(f"{indent}x{i} = {i}\n" for i in range(count))


# --- Import cycles ----------------------------------------------------------------------------


def test_a_package_without_cycles_counts_none(make_package: Make, tmp_path: Path) -> None:
    name = make_package(
        {
            "core/db.py": "VALUE = 1\n",
            "people/models.py": "from PKG.core.db import VALUE\n",
            "signoff/services.py": "from PKG.people import models\nfrom PKG.core import db\n",
        }
    )
    counts = measure(name, tmp_path)
    assert counts["folder_cycles"] == 0
    assert counts["folder_pairs"] == 0
    assert counts["module_cycles"] == 0


def test_folders_in_one_circle_are_one_cycle_and_each_mutual_pair_is_counted(
    make_package: Make, tmp_path: Path
) -> None:
    name = make_package(
        {
            # a -> b -> c -> a: one cycle of three folders, no pair imports each other.
            "a/one.py": "from PKG.b import two\n",
            "b/two.py": "from PKG.c import three\n",
            "c/three.py": "import PKG.a.one\n",
            # d <-> e: a second cycle, and a pair (through different modules, so no module
            # cycle there).
            "d/four.py": "from PKG.e import five\n",
            "d/six.py": "",
            "e/five.py": "",
            "e/seven.py": "from PKG.d import six\n",
        }
    )
    counts = measure(name, tmp_path)
    assert counts["folder_cycles"] == 2
    assert counts["folder_pairs"] == 1
    assert counts["module_cycles"] == 1  # a.one -> b.two -> c.three -> a.one


def test_modules_directly_in_the_package_belong_to_no_folder(
    make_package: Make, tmp_path: Path
) -> None:
    name = make_package(
        {
            "policy.py": "from PKG.people import models\n",
            "people/models.py": "from PKG import policy\n",
        }
    )
    counts = measure(name, tmp_path)
    assert counts["folder_cycles"] == 0
    assert counts["module_cycles"] == 1


def test_an_import_inside_a_function_is_a_real_dependency(
    make_package: Make, tmp_path: Path
) -> None:
    name = make_package(
        {
            "a/views.py": "from PKG.b.services import act\n",
            "b/services.py": """
                def act() -> None:
                    from PKG.a import views  # lazy, but it runs

                    print(views)
            """,
        }
    )
    counts = measure(name, tmp_path)
    assert counts["folder_cycles"] == 1
    assert counts["folder_pairs"] == 1
    assert counts["module_cycles"] == 1


def test_type_checking_imports_are_left_out_of_cycles_and_counted_apart(
    make_package: Make, tmp_path: Path
) -> None:
    name = make_package(
        {
            "a/models.py": "from PKG.b.models import Thing\n",
            "b/models.py": """
                from typing import TYPE_CHECKING

                if TYPE_CHECKING:
                    from PKG.a.models import Other

                class Thing: ...
            """,
        }
    )
    counts = measure(name, tmp_path)
    assert counts["folder_cycles"] == 0
    assert counts["module_cycles"] == 0
    assert counts["type_checking_imports"] == 1


def test_strongly_connected_components() -> None:
    edges = {"a": ["b"], "b": ["c", "a"], "c": ["c"], "d": ["e"], "e": ["d"], "f": []}
    components = shape.strongly_connected(edges)
    assert components == [["a", "b"], ["d", "e"], ["c"], ["f"]]


def test_a_long_chain_does_not_recurse() -> None:
    edges = {str(i): [str(i + 1)] for i in range(5000)}
    edges["5000"] = ["0"]
    assert [len(c) for c in shape.strongly_connected(edges)] == [5001]


def test_upward_imports_not_measured_without_a_layers_contract(
    make_package: Make, tmp_path: Path
) -> None:
    name = make_package({"a.py": ""})
    assert measure(name, tmp_path)["upward_imports"] is None


def test_upward_imports_are_counted_from_the_layers_contract(
    make_package: Make, tmp_path: Path
) -> None:
    name = make_package(
        {
            "web/views.py": "from PKG.core import clock\n",
            "core/clock.py": "def now() -> None:\n    from PKG.web import views\n",
            "core/db.py": "from PKG.web import views\n",
        }
    )
    (tmp_path / "pyproject.toml").write_text(
        textwrap.dedent(
            f"""
            [tool.importlinter]
            root_package = "{name}"

            [[tool.importlinter.contracts]]
            name = "Layers"
            type = "layers"
            layers = ["{name}.web", "{name}.core"]
            """
        ),
        "utf-8",
    )
    result = shape.measure(tmp_path.resolve(), name)
    assert result.counts["upward_imports"] == 2
    assert result.details["upward_imports"][0].startswith(
        f"{name}/core/clock.py:2: {name}.core.clock imports {name}.web.views"
    )
    assert result.details["upward_imports"][1].startswith(f"{name}/core/db.py:1: ")


# --- Routes, functions, files -----------------------------------------------------------------


ROUTES = '''
from flask import Blueprint

blueprint = Blueprint("things", __name__)


@blueprint.route("/short")
def short():
    """A docstring
    over several lines,

    not counted."""
    # a comment, not counted

{fifteen}

@blueprint.post("/long")
def long():
{sixteen}

@api.operation("GET", "/v1/things", summary="Things", tag="Things")
def listed():
{sixteen}

@blueprint.get("/call")
def call():
    return dict(
{call}    )


@other.decorator
def helper():
{sixteen}
'''


def test_route_bodies_count_code_lines_only(make_package: Make, tmp_path: Path) -> None:
    fifteen = statements(15).replace("x3 = 3\n", "x3 = 3\n\n    # comment\n")
    name = make_package(
        {
            "things/views.py": ROUTES.format(
                fifteen=fifteen,
                sixteen=statements(16),
                call="".join(f"        a{i}={i},\n" for i in range(14)),
            )
        }
    )
    result = shape.measure(tmp_path.resolve(), name)
    assert result.counts["long_routes"] == 3
    listed = "\n".join(result.details["long_routes"])
    assert "3 of 4 routes are over 15 lines" in listed
    assert f"{name}/things/views.py:35: long: 16" in listed
    assert "listed: 16" in listed
    assert "call: 16" in listed  # each line of a call spread over lines counts
    assert "short" not in listed
    assert "helper" not in listed  # not a route


def test_body_lines_skip_the_docstring_blanks_and_comments() -> None:
    source = textwrap.dedent(
        '''
        def f():
            """Doc."""

            # comment
            a = 1  # trailing comment still a code line
            text = """
            inside a string, even blank lines

            count"""
            return a
        '''
    )
    tree = shape.ast.parse(source)
    function = tree.body[0]
    assert shape.body_lines(function, shape.code_lines(source)) == 6


def test_functions_and_methods_over_sixty_lines(make_package: Make, tmp_path: Path) -> None:
    name = make_package(
        {
            "work.py": (
                "def sixty():\n"
                + statements(60)
                + "\n\ndef sixty_one():\n"
                + statements(61)
                + "\n\nclass Thing:\n    def method(self):\n"
                + statements(61, indent="        ")
            )
        }
    )
    result = shape.measure(tmp_path.resolve(), name)
    assert result.counts["long_functions"] == 2
    listed = "\n".join(result.details["long_functions"])
    assert f"{name}/work.py:64: sixty_one: 61" in listed
    assert "method: 61" in listed
    assert "sixty:" not in listed


def test_files_over_four_hundred_lines(make_package: Make, tmp_path: Path) -> None:
    name = make_package(
        {
            "fits.py": "\n" * 399 + "x = 1\n",
            "long.py": "# a line\n" * 401,
            "a/b/deep.py": "\n" * 500,
        }
    )
    result = shape.measure(tmp_path.resolve(), name)
    assert result.counts["long_files"] == 2
    assert result.details["long_files"] == [
        f"{name}/a/b/deep.py:1: 500 lines",
        f"{name}/long.py:1: 401 lines",
    ]


# --- Transactions -----------------------------------------------------------------------------


TRANSACTIONS = """
def act(session, db, connection, commit):
    session.commit()
    db.session.rollback()
    with connection.begin_nested() as savepoint:
        savepoint.commit()
    commit()  # a bare name is not a call on anything
    session.flush()
"""


def test_commit_and_rollback_calls_are_counted_outside_the_allowed_modules(
    make_package: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = make_package(
        {"views.py": TRANSACTIONS, "core/uow.py": TRANSACTIONS, "outbox/send.py": TRANSACTIONS}
    )
    result = shape.measure(tmp_path.resolve(), name)
    assert result.counts["transaction_calls"] == 9
    assert f"{name}/views.py:3: session.commit()" in result.details["transaction_calls"]

    monkeypatch.setattr(shape, "TRANSACTION_MODULES", [f"{name}.core.uow", f"{name}.outbox"])
    result = shape.measure(tmp_path.resolve(), name)
    assert result.counts["transaction_calls"] == 3
    assert all("/views.py:" in line for line in result.details["transaction_calls"][1:])


# --- The command ------------------------------------------------------------------------------


def test_exits_non_zero_above_an_allowed_value_unless_report_only(
    make_package: Make, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = make_package({"views.py": TRANSACTIONS})
    arguments = ["--path", str(tmp_path), "--package", name]
    assert shape.main(arguments) == 1
    printed = capsys.readouterr().out
    assert f"{name}/views.py:3: session.commit()" in printed
    assert "Over the allowed value: transaction_calls" in printed
    assert shape.main([*arguments, "--report-only"]) == 0


def test_exits_zero_when_every_count_is_allowed(
    make_package: Make, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = make_package({"a/one.py": "X = 1\n", "b/two.py": "from PKG.a.one import X\n"})
    assert shape.main(["--path", str(tmp_path), "--package", name]) == 0
    assert "Over the allowed value" not in capsys.readouterr().out

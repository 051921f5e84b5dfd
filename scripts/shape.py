"""The shape of `portfolio/` in numbers (issue 17's "Must show"): `make shape`.

Prints each count beside its allowed value, lists every offender as `file:line` so it can be
acted on, and exits 1 when any count is above what is allowed (`--report-only` always exits 0).
The allowed values and thresholds are the constants just below; the goal for every count is 0.

How each count is measured:

1. **Folder cycles.** The folders (feature packages) directly under `portfolio/` are the nodes;
   folder A → folder B when any module in A imports any module in B. Counted: strongly
   connected components (SCCs) of more than one folder, and the pairs of folders that import
   each other. Modules that sit directly in `portfolio/` (`policy.py`, `web.py`, ...) belong to
   no folder and are left out of this graph; a circle through them shows up in count 2.
2. **Module cycles.** Every module (file) under `portfolio/` is a node, each import an edge;
   counted: SCCs of more than one module. Built with grimp (import-linter's graph), which reads
   every import statement in a file, **including imports inside functions**: a lazy import is
   a real dependency and counts. Imports under `if TYPE_CHECKING:` are **excluded** from counts
   1 and 2 (they never run) and **counted separately**, as information with no limit.
   **Upward imports**, when pyproject.toml has `[tool.importlinter]` with a `layers` contract:
   the import statements (file and line) that start each route from a lower layer up to a
   higher one, as import-linter's own check of those contracts reports them (so its
   `ignore_imports`, containers and type-checking setting apply); "not measured" (`-`) while
   no such contract exists. The other contract types are `lint-imports`' business.
3. **Long routes.** Every function decorated with `@<anything>.route(...)`,
   `.get/.post/.put/.patch/.delete(...)` (Flask's blueprint and app decorators) or
   `.operation(...)` (the API's registry, `portfolio/api/registry.py`, which adds each
   operation's URL rule itself). Its body's lines are counted without its docstring, blank
   lines and comment-only lines: a line counts when some Python token other than a comment is
   on it (each line of a multi-line string or call counts). Allowed: `MAX_ROUTE_LINES`.
4. **Long files.** Python files under `portfolio/` by physical lines (as `wc -l` counts them).
5. **Long functions.** Every function and method, nested ones too, measured as routes are.
6. **Transaction calls.** Calls of `.commit(` or `.rollback(` on anything (a session, a
   connection, a savepoint) in a module that is not one of `TRANSACTION_MODULES`.

Usage: `python scripts/shape.py [--report-only] [--package portfolio] [--path DIR]`.
"""

from __future__ import annotations

import argparse
import ast
import io
import sys
import tokenize
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# --- What is allowed: one place, and 0 everywhere is the goal ---------------------------------

ALLOWED: dict[str, int] = {
    "folder_cycles": 0,
    "folder_pairs": 0,
    "module_cycles": 0,
    "upward_imports": 0,
    "long_routes": 0,
    "long_files": 0,
    "long_functions": 0,
    "transaction_calls": 0,
}
MAX_ROUTE_LINES = 15
MAX_FILE_LINES = 400
MAX_FUNCTION_LINES = 60
# Modules (or packages, covering everything inside) that may call `.commit()`/`.rollback()`:
# the unit of work, the outbox and the limiter's one count that must stand.
TRANSACTION_MODULES: list[str] = [
    # The boundary of every request, command and job (and its named exceptions).
    "portfolio.unit_of_work",
    # The outbox: each email's outcome is committed as it is sent.
    "portfolio.notices.mail",
    # The rate limiter's one short transaction of its own (`storage.apart`): a failed token
    # check must count although the request is refused, before the unit of work begins.
    "portfolio.ratelimit.storage",
]
# Decorator attributes that register a route: Flask's, and the API registry's `operation`.
ROUTE_DECORATORS = frozenset({"route", "get", "post", "put", "patch", "delete", "operation"})
TRANSACTION_METHODS = frozenset({"commit", "rollback"})

LABELS: dict[str, str] = {
    "folder_cycles": "folder cycles (SCCs of more than one folder)",
    "folder_pairs": "folder pairs that import each other",
    "module_cycles": "module cycles (SCCs of more than one module)",
    "upward_imports": "upward imports (layers contracts)",
    "type_checking_imports": "TYPE_CHECKING imports (not in 1-2)",
    "long_routes": f"routes over {MAX_ROUTE_LINES} lines",
    "long_files": f"files over {MAX_FILE_LINES} lines",
    "long_functions": f"functions over {MAX_FUNCTION_LINES} lines",
    "transaction_calls": ".commit(/.rollback( outside the unit of work",
}
NOT_CODE = frozenset(
    {
        tokenize.COMMENT,
        tokenize.NL,
        tokenize.NEWLINE,
        tokenize.INDENT,
        tokenize.DEDENT,
        tokenize.ENDMARKER,
        tokenize.ENCODING,
    }
)


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int


@dataclass(frozen=True)
class Finding:
    """One offender: where it is, what it is, and how big (for sorting, largest first)."""

    path: str
    line: int
    what: str
    size: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


@dataclass
class Shape:
    counts: dict[str, int | None] = field(default_factory=dict)
    details: dict[str, list[str]] = field(default_factory=dict)

    def failures(self) -> list[str]:
        return [
            name
            for name, allowed in ALLOWED.items()
            if (count := self.counts.get(name)) is not None and count > allowed
        ]


# --- Files and modules ------------------------------------------------------------------------


def discover(base: Path, package: str) -> dict[str, Path]:
    """Every module of the package, by dotted name, with its file."""
    root = base / package
    modules: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(base).with_suffix("")
        if "__pycache__" in relative.parts:
            continue
        parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
        modules[".".join(parts)] = path
    return modules


def folder_of(module: str, modules: Mapping[str, Path]) -> str | None:
    """The folder directly under the package that holds the module; None for a module that
    sits in the package itself (or is the package's `__init__`)."""
    parts = module.split(".")
    if len(parts) > 2:
        return parts[1]
    if len(parts) == 2 and modules[module].name == "__init__.py":
        return parts[1]
    return None


# --- Import graphs ----------------------------------------------------------------------------


def read_imports(package: str, *, exclude_type_checking: bool) -> set[Import]:
    """Every import between modules of the package, with its line, as grimp finds them
    (imports inside functions included)."""
    import grimp  # imported here so `--help` works without the test extra installed

    graph = grimp.build_graph(
        package, exclude_type_checking_imports=exclude_type_checking, cache_dir=None
    )
    found: set[Import] = set()
    for importer in graph.modules:
        for imported in graph.find_modules_directly_imported_by(importer):
            for detail in graph.get_import_details(importer=importer, imported=imported):
                found.add(Import(importer, imported, int(detail["line_number"])))
    return found


def strongly_connected(edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components, without recursion; each component sorted,
    the list sorted largest first."""
    nodes = sorted({*edges, *(target for targets in edges.values() for target in targets)})
    successors = {node: sorted(set(edges.get(node, ()))) for node in nodes}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    for start in nodes:
        if start in index:
            continue
        work: list[tuple[str, int]] = [(start, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            if position < len(successors[node]):
                work.append((node, position + 1))
                target = successors[node][position]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return sorted(components, key=lambda component: (-len(component), component))


def where(imp: Import, modules: Mapping[str, Path], base: Path) -> str:
    return f"{modules[imp.importer].relative_to(base)}:{imp.line}"


def measure_imports(
    shape: Shape, imports: set[Import], modules: Mapping[str, Path], base: Path
) -> None:
    by_folders: dict[tuple[str, str], list[Import]] = defaultdict(list)
    by_modules: dict[tuple[str, str], list[Import]] = defaultdict(list)
    for imp in sorted(imports, key=lambda imp: (imp.importer, imp.line, imp.imported)):
        by_modules[imp.importer, imp.imported].append(imp)
        source, target = folder_of(imp.importer, modules), folder_of(imp.imported, modules)
        if source is not None and target is not None and source != target:
            by_folders[source, target].append(imp)

    # 1. Folders.
    folder_edges: dict[str, set[str]] = defaultdict(set)
    for source, target in by_folders:
        folder_edges[source].add(target)
    cycles = [component for component in strongly_connected(folder_edges) if len(component) > 1]
    lines: list[str] = []
    for number, component in enumerate(cycles, 1):
        lines.append(f"folder cycle {number}: {len(component)} folders: {', '.join(component)}")
        members = set(component)
        for (source, target), found in sorted(by_folders.items()):
            if source in members and target in members:
                more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
                lines.append(
                    f"  {source} -> {target}: {len(found)} imports, first at "
                    f"{where(found[0], modules, base)}{more}"
                )
    shape.counts["folder_cycles"] = len(cycles)
    shape.details["folder_cycles"] = lines

    pairs = sorted(
        (source, target)
        for source, target in by_folders
        if source < target and (target, source) in by_folders
    )
    shape.counts["folder_pairs"] = len(pairs)
    shape.details["folder_pairs"] = [
        f"{a} <-> {b}: {len(by_folders[a, b])} imports {a} -> {b}, first at "
        f"{where(by_folders[a, b][0], modules, base)}; {len(by_folders[b, a])} back, first at "
        f"{where(by_folders[b, a][0], modules, base)}"
        for a, b in pairs
    ]

    # 2. Modules.
    module_edges: dict[str, set[str]] = defaultdict(set)
    for source, target in by_modules:
        module_edges[source].add(target)
    circles = [component for component in strongly_connected(module_edges) if len(component) > 1]
    lines = []
    for number, component in enumerate(circles, 1):
        lines.append(f"module cycle {number}: {len(component)} modules: {', '.join(component)}")
        members = set(component)
        for (source, target), found in sorted(by_modules.items()):
            if source in members and target in members:
                for imp in found:
                    lines.append(f"  {where(imp, modules, base)}: {source} imports {target}")
    shape.counts["module_cycles"] = len(circles)
    shape.details["module_cycles"] = lines


def measure_type_checking(
    shape: Shape,
    everything: set[Import],
    running: set[Import],
    modules: Mapping[str, Path],
    base: Path,
) -> None:
    only_typing = sorted(everything - running, key=lambda imp: (imp.importer, imp.line))
    shape.counts["type_checking_imports"] = len(only_typing)
    edges: dict[str, set[str]] = defaultdict(set)
    for imp in everything:
        edges[imp.importer].add(imp.imported)
    circles = sum(1 for component in strongly_connected(edges) if len(component) > 1)
    shape.details["type_checking_imports"] = [
        f"{where(imp, modules, base)}: {imp.importer} imports {imp.imported} for types only"
        for imp in only_typing
    ]
    if only_typing:
        shape.details["type_checking_imports"].append(
            f"(module cycles if these counted too: {circles})"
        )


def measure_layers(shape: Shape, pyproject: Path, modules: Mapping[str, Path], base: Path) -> None:
    """Upward imports, by import-linter's own check of the `layers` contracts in pyproject: each
    import statement that starts a route from a lower layer up to a higher one."""
    config: dict[str, Any] = {}
    if pyproject.is_file():
        config = tomllib.loads(pyproject.read_text("utf-8")).get("tool", {}).get("importlinter", {})
    layered = [c for c in config.get("contracts", []) if c.get("type") == "layers"]
    if not layered:
        shape.counts["upward_imports"] = None
        shape.details["upward_imports"] = ["not measured: pyproject has no layers contract"]
        return
    from importlinter import configuration
    from importlinter.application import use_cases

    configuration.configure()  # what `lint-imports` does first: the readers, the graph builder

    options = use_cases.read_user_options(config_filename=str(pyproject))
    options.contracts_options = [c for c in options.contracts_options if c["type"] == "layers"]
    use_cases._register_contract_types(options)
    report = use_cases.create_report(options, cache_dir=None)
    if report.could_not_run:
        problems = "; ".join(f"{n}: {e}" for n, e in report.invalid_contract_options.items())
        raise SystemExit(f"import-linter could not check the layers contracts: {problems}")
    lines: list[str] = []
    count = 0
    for contract, check in report.get_contracts_and_checks():
        for dependency in check.metadata.get("invalid_dependencies", []):
            for route in dependency["routes"]:
                rest = route["chain"][1:]
                then = "".join(f" -> {link['imported']}" for link in rest)
                for link in [route["chain"][0], *route["extra_firsts"]]:
                    for line in link["line_numbers"]:
                        count += 1
                        path = modules[link["importer"]].relative_to(base)
                        lines.append(
                            f"{path}:{line}: {link['importer']} imports {link['imported']}{then}"
                            f" (up to layer {dependency['imported']}; contract {contract.name!r})"
                        )
    shape.counts["upward_imports"] = count
    shape.details["upward_imports"] = sorted(lines)


# --- Files, functions, routes, transactions (ast) -----------------------------------------


def code_lines(source: str) -> set[int]:
    """The lines with some Python on them other than a comment."""
    found: set[int] = set()
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type not in NOT_CODE:
            found.update(range(token.start[0], token.end[0] + 1))
    return found


def body_lines(function: ast.FunctionDef | ast.AsyncFunctionDef, code: set[int]) -> int:
    """Lines of the body without its docstring, blank lines and comment-only lines."""
    body: list[ast.stmt] = list(function.body)
    if ast.get_docstring(function, clean=False) is not None:
        body = body[1:]
    if not body:
        return 0
    first = body[0]
    decorators = getattr(first, "decorator_list", [])
    start = min([first.lineno, *(decorator.lineno for decorator in decorators)])
    end = function.end_lineno or function.lineno
    return sum(1 for line in range(start, end + 1) if line in code)


def is_route(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(
        isinstance(decorator, ast.Call)
        and isinstance(decorator.func, ast.Attribute)
        and decorator.func.attr in ROUTE_DECORATORS
        for decorator in function.decorator_list
    )


def is_transaction_module(module: str) -> bool:
    return any(
        module == allowed or module.startswith(allowed + ".") for allowed in TRANSACTION_MODULES
    )


def measure_source(shape: Shape, modules: Mapping[str, Path], base: Path) -> None:
    routes: list[Finding] = []
    functions: list[Finding] = []
    files: list[Finding] = []
    transactions: list[Finding] = []
    route_total = 0
    for module, path in sorted(modules.items()):
        source = path.read_text("utf-8")
        shown = str(path.relative_to(base))
        length = len(source.splitlines())
        if length > MAX_FILE_LINES:
            files.append(Finding(shown, 1, f"{length} lines", length))
        tree = ast.parse(source, filename=shown)
        code = code_lines(source)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                size = body_lines(node, code)
                if size > MAX_FUNCTION_LINES:
                    functions.append(Finding(shown, node.lineno, f"{node.name}: {size}", size))
                if is_route(node):
                    route_total += 1
                    if size > MAX_ROUTE_LINES:
                        routes.append(Finding(shown, node.lineno, f"{node.name}: {size}", size))
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in TRANSACTION_METHODS
                and not is_transaction_module(module)
            ):
                text = ast.get_source_segment(source, node) or node.func.attr
                transactions.append(Finding(shown, node.lineno, text))

    def listed(findings: list[Finding]) -> list[str]:
        return [str(f) for f in sorted(findings, key=lambda f: (-f.size, f.path, f.line))]

    shape.counts["long_routes"] = len(routes)
    shape.details["long_routes"] = [
        f"{len(routes)} of {route_total} routes are over {MAX_ROUTE_LINES} lines",
        *listed(routes),
    ]
    shape.counts["long_files"] = len(files)
    shape.details["long_files"] = listed(files)
    shape.counts["long_functions"] = len(functions)
    shape.details["long_functions"] = listed(functions)
    shape.counts["transaction_calls"] = len(transactions)
    by_file: dict[str, int] = defaultdict(int)
    for finding in transactions:
        by_file[finding.path] += 1
    shape.details["transaction_calls"] = (
        [
            "by file: "
            + ", ".join(f"{p} {n}" for p, n in sorted(by_file.items(), key=lambda i: -i[1])),
            *listed(transactions),
        ]
        if transactions
        else []
    )


# --- Putting it together ----------------------------------------------------------------------


def measure(base: Path, package: str, pyproject: Path | None = None) -> Shape:
    base = base.resolve()
    if str(base) not in sys.path:
        sys.path.insert(0, str(base))
    modules = discover(base, package)
    if not modules:
        raise SystemExit(f"no Python files in {base / package}")
    shape = Shape()
    running = read_imports(package, exclude_type_checking=True)
    everything = read_imports(package, exclude_type_checking=False)
    measure_imports(shape, running, modules, base)
    measure_layers(shape, pyproject or base / "pyproject.toml", modules, base)
    measure_type_checking(shape, everything, running, modules, base)
    measure_source(shape, modules, base)
    return shape


def render(shape: Shape, package: str) -> str:
    out: list[str] = []
    for name, label in LABELS.items():
        details = shape.details.get(name, [])
        if details:
            out.append(f"== {label} ==")
            out.extend(details)
            out.append("")
    out.append(f"Shape of {package}/ (allowed values at the top of scripts/shape.py)")
    for name, label in LABELS.items():
        count = shape.counts.get(name)
        allowed = ALLOWED.get(name)
        shown = "-" if count is None else str(count)
        verdict = ""
        if allowed is not None and count is not None:
            verdict = "over" if count > allowed else "ok"
        limit = "-" if allowed is None else str(allowed)
        out.append(f"  {label:<48} {shown:>5}  allowed {limit:>2}  {verdict}")
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--report-only", action="store_true", help="print, and always exit 0")
    parser.add_argument("--package", default="portfolio", help="the package to measure")
    parser.add_argument(
        "--path",
        type=Path,
        default=Path(__file__).resolve().parent.parent,
        help="the folder holding the package and its pyproject.toml (default: the repository)",
    )
    arguments = parser.parse_args(argv)
    shape = measure(arguments.path, arguments.package)
    print(render(shape, arguments.package))
    failures = shape.failures()
    if failures and not arguments.report_only:
        print(f"Over the allowed value: {', '.join(failures)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

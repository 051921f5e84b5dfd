"""Print the import cycles under `portfolio/`: between folders (each top-level module or
package is one node) and between files, as grimp sees the code (imports inside functions
and under TYPE_CHECKING included). Exits 1 when there is any.

    .venv/bin/python scripts/import_cycles.py [-v]
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping

import grimp


def folder(module: str) -> str:
    return ".".join(module.split(".")[:2])


def cycles(nodes: Iterable[str], edges: Mapping[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(nodes):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def main() -> int:
    graph = grimp.build_graph("portfolio", cache_dir=None)
    files: dict[str, set[str]] = defaultdict(set)
    folders: dict[str, set[str]] = defaultdict(set)
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            files[module].add(imported)
            if folder(module) != folder(imported):
                folders[folder(module)].add(folder(imported))
    by_folder = cycles({folder(m) for m in graph.modules}, folders)
    by_file = cycles(graph.modules, files)
    print(f"import cycles between folders: {len(by_folder)} ({sum(map(len, by_folder))} folders)")
    print(f"import cycles between files: {len(by_file)} ({sum(map(len, by_file))} files)")
    if "-v" in sys.argv:
        for component in by_folder + by_file:
            print("  " + " ".join(component))
    return 1 if by_folder or by_file else 0


if __name__ == "__main__":
    sys.exit(main())

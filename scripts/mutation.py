"""Mutation testing of the pure rules (issue 18's "Must show"): `make mutate`.

Each group of modules is mutated by mutmut with only that group's own tests, so a mutant is
counted killed only when the tests written for those modules notice it (not when a page test
elsewhere happens to trip over it). Prints the kill rate of each group and every surviving
mutant, and exits 1 when any group is under `THRESHOLD`. How to read the figures, and why each
survivor is equivalent: docs/mutation.md.

Each group runs in a folder of its own, `mutants/<group>/` (ignored by git): the checkout's
`portfolio/`, `tests/` and `competencies/` linked in, and a `pyproject.toml` that is the
checkout's with the group's `only_mutate` and test selection in its `[tool.mutmut]` table.
mutmut then copies them into `mutants/<group>/mutants/` and mutates that copy; the checkout
itself is never changed. Every run starts afresh (`--keep` reuses the previous run's results,
for going through survivors one by one with `mutmut show` in that folder).

Usage: `python scripts/mutation.py [GROUP ...] [--max-children N] [--keep]`.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "mutants"
THRESHOLD = 95.0  # percent of mutants killed, in each group
# Linked into each group's folder: the code, the tests, and the shipped framework the engine's
# tests read (`portfolio.frameworks.files.SHIPPED` is found beside `portfolio/`).
LINKED = ("portfolio", "tests", "competencies")
KILLED = {"killed", "timeout", "caught by type check"}


@dataclass(frozen=True)
class Group:
    name: str
    modules: tuple[str, ...]  # the files mutated
    tests: tuple[str, ...]  # the tests run against them, and nothing else


GROUPS = (
    Group(
        "engine",
        tuple(
            f"portfolio/standing/{name}.py"
            for name in (
                "rules",
                "competence",
                "grants",
                "supervision",
                "answer",
                "verdict",
                "facts",
                "items",
                "terms",
            )
        ),
        ("tests/standing",),
    ),
    Group(
        "status",
        tuple(f"portfolio/standing/{name}.py" for name in ("status", "statuses", "history")),
        ("tests/signoff/test_status.py", "tests/signoff/test_rules.py"),
    ),
    Group("policy", ("portfolio/policy.py",), ("tests/test_policy.py",)),
)


@dataclass(frozen=True)
class Figures:
    group: Group
    statuses: dict[str, str]  # mutant name: mutmut's status

    @property
    def counts(self) -> Counter[str]:
        return Counter(self.statuses.values())

    @property
    def killed(self) -> int:
        return sum(1 for status in self.statuses.values() if status in KILLED)

    @property
    def rate(self) -> float:
        return 100.0 * self.killed / len(self.statuses) if self.statuses else 0.0

    @property
    def survivors(self) -> list[str]:
        return sorted(name for name, status in self.statuses.items() if status not in KILLED)


def group_config(group: Group) -> str:
    """The checkout's pyproject.toml with `[tool.mutmut]` narrowed to the group."""
    text = (ROOT / "pyproject.toml").read_text()
    base = tomllib.loads(text).get("tool", {}).get("mutmut", {})
    settings = {
        **base,
        "only_mutate": list(group.modules),
        "pytest_add_cli_args_test_selection": list(group.tests),
    }
    kept = re.sub(r"(?ms)^\[tool\.mutmut\]\n.*?(?=^\[|\Z)", "", text)
    lines = [f"{key} = {_toml(value)}" for key, value in settings.items()]
    return kept.rstrip() + "\n\n[tool.mutmut]\n" + "\n".join(lines) + "\n"


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


def prepare(group: Group, *, keep: bool) -> Path:
    folder = WORK / group.name
    if folder.exists() and not keep:
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in LINKED:
        link = folder / name
        if not link.exists():
            link.symlink_to(ROOT / name)
    (folder / "pyproject.toml").write_text(group_config(group))
    return folder


def mutmut(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    executable = Path(sys.executable).parent / "mutmut"
    env = {
        **os.environ,
        "TEST_DATABASE": "sqlite",
        # Derandomised and with the larger example count: the same figures on every run.
        "HYPOTHESIS_PROFILE": "ci",
    }
    return subprocess.run(  # noqa: S603 - our own virtual environment's mutmut
        [str(executable), *args], cwd=folder, env=env, text=True, capture_output=True, check=False
    )


def parse_results(output: str) -> dict[str, str]:
    """`mutmut results --all true`: one `    name: status` line per mutant."""
    found = {}
    for line in output.splitlines():
        name, colon, status = line.strip().rpartition(": ")
        if colon and name:
            found[name] = status
    return found


def run(group: Group, *, max_children: int, keep: bool) -> Figures:
    folder = prepare(group, keep=keep)
    print(f"== {group.name}: {', '.join(group.modules)}", flush=True)
    print(f"   tests: {' '.join(group.tests)}", flush=True)
    ran = mutmut(folder, "run", "--max-children", str(max_children))
    if ran.returncode != 0:
        print(ran.stdout[-4000:], ran.stderr[-4000:], sep="\n")
        raise SystemExit(f"mutmut run failed for {group.name} (exit {ran.returncode})")
    listed = mutmut(folder, "results", "--all", "true")
    return Figures(group, parse_results(listed.stdout))


def report(figures: Figures) -> None:
    counts = ", ".join(f"{count} {status}" for status, count in sorted(figures.counts.items()))
    print(
        f"   {figures.group.name}: {figures.killed} of {len(figures.statuses)} mutants killed, "
        f"{figures.rate:.1f}% ({counts})"
    )
    for name in figures.survivors:
        print(f"     {figures.statuses[name]}: {name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("groups", nargs="*", help=", ".join(g.name for g in GROUPS) + " (all)")
    parser.add_argument("--max-children", type=int, default=2, help="parallel mutants (2 cores)")
    parser.add_argument("--keep", action="store_true", help="reuse the previous run's results")
    args = parser.parse_args(argv)
    unknown = set(args.groups) - {g.name for g in GROUPS}
    if unknown:
        parser.error(f"no such group: {', '.join(sorted(unknown))}")
    chosen = [g for g in GROUPS if not args.groups or g.name in args.groups]
    results = [run(g, max_children=args.max_children, keep=args.keep) for g in chosen]
    print(f"\nMutants killed by each group's own tests (at least {THRESHOLD:.0f}% each):")
    for figures in results:
        report(figures)
    below = [f.group.name for f in results if f.rate < THRESHOLD]
    if below:
        print(f"Under {THRESHOLD:.0f}%: {', '.join(below)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Reading and checking framework files. Pure: paths in, checked data or errors out.

Every error names the file, the item (a competency's or scope's code where it has one), the
field and the line, so whoever edits the YAML can go straight to the mistake. Nothing is
returned for loading unless every file in the set is sound.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from portfolio.frameworks.schema import FrameworkFile, QualificationsFile, RuleSource

FILE_SUFFIXES = (".yaml", ".yml")
# The frameworks that ship with the product, loaded by default.
SHIPPED = Path(__file__).resolve().parent.parent.parent / "competencies"


@dataclass(frozen=True)
class FileError:
    file: str
    item: str | None
    field: str | None
    line: int | None
    message: str

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        parts = [where]
        if self.item:
            parts.append(self.item)
        if self.field:
            parts.append(f"field {self.field}")
        return ": ".join(parts) + f": {self.message}"


@dataclass(frozen=True)
class ParsedFile:
    path: str
    data: FrameworkFile | QualificationsFile
    lines: dict[tuple[Any, ...], int]
    content_hash: str

    @property
    def code(self) -> str:
        return self.data.code

    @property
    def version(self) -> str:
        return self.data.version


@dataclass
class FrameworkSet:
    """Every file of a load, checked together."""

    files: list[ParsedFile] = field(default_factory=list)

    @property
    def frameworks(self) -> list[ParsedFile]:
        return [item for item in self.files if isinstance(item.data, FrameworkFile)]

    @property
    def catalogues(self) -> list[ParsedFile]:
        return [item for item in self.files if isinstance(item.data, QualificationsFile)]


class FrameworkFilesError(Exception):
    def __init__(self, errors: Sequence[FileError]) -> None:
        super().__init__("\n".join(str(error) for error in errors))
        self.errors = list(errors)


def discover(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(item for item in path.rglob("*") if item.suffix in FILE_SUFFIXES)
    return [path]


def _line_map(node: yaml.Node, prefix: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], int]:
    lines = {prefix: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            lines[(*prefix, key.value)] = key.start_mark.line + 1
            lines.update(_line_map(value, (*prefix, key.value)))
    elif isinstance(node, yaml.SequenceNode):
        for index, value in enumerate(node.value):
            lines.update(_line_map(value, (*prefix, index)))
    return lines


def _line_for(lines: dict[tuple[Any, ...], int], location: Sequence[Any]) -> int | None:
    location = tuple(location)
    while location:
        if location in lines:
            return lines[location]
        location = location[:-1]
    return lines.get(())


def _item_for(raw: Any, location: Sequence[Any]) -> str | None:
    if len(location) >= 2 and isinstance(location[1], int) and isinstance(raw, dict):
        collection, index = location[0], location[1]
        items = raw.get(collection)
        if isinstance(items, list) and index < len(items) and isinstance(items[index], dict):
            name = items[index].get("code") or items[index].get("job_role")
            singular = {
                "competencies": "competency",
                "scopes": "scope",
                "sources": "source",
                "qualifications": "qualification",
                "pathways": "pathway",
            }
            label = singular.get(collection, collection)
            return f"{label} {name}" if name else f"{collection}[{index}]"
        return f"{collection}[{index}]"
    return None


def _field_for(location: Sequence[Any]) -> str | None:
    parts = (
        [str(part) for part in location[2:]]
        if len(location) >= 2 and isinstance(location[1], int)
        else [str(part) for part in location]
    )
    return ".".join(parts) if parts else None


def content_hash(model: BaseModel) -> str:
    """Of the meaning, not the bytes: comments and layout can change, content cannot."""
    canonical = json.dumps(model.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


# libyaml's safe loader where PyYAML was built with it (about ten times faster: the demo loads
# the framework files each time it is made), else PyYAML's own; both give the same documents.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_file(path: Path, display: str | None = None) -> ParsedFile | list[FileError]:
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return [FileError(name, None, None, None, f"cannot be read: {error}")]
    try:
        node = yaml.compose(text, Loader=_LOADER)
        raw = yaml.load(text, Loader=_LOADER)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(error, "problem", None) or str(error)
        return [FileError(name, None, None, line, f"is not valid YAML: {problem}")]
    if not isinstance(raw, dict) or node is None:
        return [FileError(name, None, None, 1, "must be a mapping with a 'kind' field")]
    lines = _line_map(node)
    kind = raw.get("kind")
    model: type[FrameworkFile] | type[QualificationsFile]
    if kind == "framework":
        model = FrameworkFile
    elif kind == "qualifications":
        model = QualificationsFile
    else:
        return [
            FileError(
                name,
                None,
                "kind",
                _line_for(lines, ("kind",)),
                "must be 'framework' or 'qualifications'",
            )
        ]
    try:
        data = model.model_validate(raw)
    except ValidationError as error:
        return [
            FileError(
                name,
                _item_for(raw, item["loc"]),
                _field_for([part for part in item["loc"] if not str(part).startswith("function-")]),
                _line_for(lines, item["loc"]),
                _message(item),
            )
            for item in error.errors()
        ]
    return ParsedFile(name, data, lines, content_hash(data))


def _message(item: Any) -> str:
    if item["type"] == "missing":
        return "is required"
    if item["type"] == "extra_forbidden":
        return "is not a known field"
    message = str(item["msg"])
    return message.removeprefix("Value error, ")


def check_set(files: Iterable[ParsedFile]) -> list[FileError]:
    """Checks that need every file at once: codes unique, references resolve, no cycles."""
    files = list(files)
    errors: list[FileError] = []
    competencies: dict[str, tuple[ParsedFile, int]] = {}
    tags: set[str] = set()
    frameworks_seen: dict[str, ParsedFile] = {}

    for parsed in files:
        if parsed.code in frameworks_seen:
            errors.append(
                FileError(
                    parsed.path,
                    None,
                    "code",
                    _line_for(parsed.lines, ("code",)),
                    f"framework {parsed.code} is also in {frameworks_seen[parsed.code].path}",
                )
            )
        frameworks_seen[parsed.code] = parsed
        source_keys = [source.key for source in parsed.data.sources]
        for index, key in enumerate(source_keys):
            if key in source_keys[:index]:
                errors.append(
                    FileError(
                        parsed.path,
                        f"source {key}",
                        "key",
                        _line_for(parsed.lines, ("sources", index, "key")),
                        "duplicate source key",
                    )
                )
        if isinstance(parsed.data, QualificationsFile):
            tags.update(parsed.data.tags)
            for index, qualification in enumerate(parsed.data.qualifications):
                for tag in qualification.tags:
                    if tag not in parsed.data.tags:
                        errors.append(
                            FileError(
                                parsed.path,
                                f"qualification {qualification.code}",
                                "tags",
                                _line_for(parsed.lines, ("qualifications", index, "tags")),
                                f"unknown qualification tag {tag!r}",
                            )
                        )
                errors += _check_source(
                    parsed,
                    ("qualifications", index),
                    f"qualification {qualification.code}",
                    qualification.source.key,
                )
            codes = {item.code for item in parsed.data.qualifications}
            for index, pathway in enumerate(parsed.data.pathways):
                for r_index, route in enumerate(pathway.entry_routes):
                    for code in route.qualifications:
                        if code not in codes:
                            errors.append(
                                FileError(
                                    parsed.path,
                                    f"pathway {pathway.job_role.value}",
                                    f"entry_routes.{r_index}.qualifications",
                                    _line_for(
                                        parsed.lines, ("pathways", index, "entry_routes", r_index)
                                    ),
                                    f"unknown qualification {code!r}",
                                )
                            )
                errors += _check_source(
                    parsed,
                    ("pathways", index),
                    f"pathway {pathway.job_role.value}",
                    pathway.source.key,
                )
            continue
        for index, competency in enumerate(parsed.data.competencies):
            if competency.code in competencies:
                other = competencies[competency.code][0]
                errors.append(
                    FileError(
                        parsed.path,
                        f"competency {competency.code}",
                        "code",
                        _line_for(parsed.lines, ("competencies", index, "code")),
                        f"duplicate competency code (also in {other.path})",
                    )
                )
            else:
                competencies[competency.code] = (parsed, index)
            errors += _check_source(
                parsed,
                ("competencies", index),
                f"competency {competency.code}",
                competency.source.key,
            )

    for code, (parsed, index) in competencies.items():
        assert isinstance(parsed.data, FrameworkFile)
        competency = parsed.data.competencies[index]
        for tag in competency.assessors.qualifications:
            if tag not in tags:
                errors.append(
                    FileError(
                        parsed.path,
                        f"competency {code}",
                        "assessors.qualifications",
                        _line_for(
                            parsed.lines, ("competencies", index, "assessors", "qualifications")
                        ),
                        f"unknown qualification tag {tag!r}",
                    )
                )
        for prerequisite in competency.evidence.prerequisites:
            if prerequisite not in competencies:
                errors.append(
                    FileError(
                        parsed.path,
                        f"competency {code}",
                        "evidence.prerequisites",
                        _line_for(
                            parsed.lines, ("competencies", index, "evidence", "prerequisites")
                        ),
                        f"unknown competency {prerequisite!r}",
                    )
                )

    cycle = _first_cycle(
        {
            code: competencies_of(parsed, index).evidence.prerequisites
            for code, (parsed, index) in competencies.items()
        }
    )
    if cycle:
        parsed, index = competencies[cycle[0]]
        errors.append(
            FileError(
                parsed.path,
                f"competency {cycle[0]}",
                "evidence.prerequisites",
                _line_for(parsed.lines, ("competencies", index, "evidence", "prerequisites")),
                "prerequisite cycle: " + " → ".join([*cycle, cycle[0]]),
            )
        )

    for parsed in files:
        if isinstance(parsed.data, FrameworkFile):
            errors += _check_scopes(parsed, set(competencies))
            errors += _check_practice(parsed, set(competencies))
    return errors


def competencies_of(parsed: ParsedFile, index: int):  # type: ignore[no-untyped-def]
    assert isinstance(parsed.data, FrameworkFile)
    return parsed.data.competencies[index]


def _check_source(
    parsed: ParsedFile, location: tuple[Any, ...], item: str, key: str
) -> list[FileError]:
    if key in {source.key for source in parsed.data.sources}:
        return []
    return [
        FileError(
            parsed.path,
            item,
            "source.key",
            _line_for(parsed.lines, (*location, "source", "key")),
            f"unknown source {key!r} (list it under sources)",
        )
    ]


def _check_practice(parsed: ParsedFile, known: set[str]) -> list[FileError]:
    """Every source a practice rule cites is listed; every competency it requires exists."""
    assert isinstance(parsed.data, FrameworkFile)
    keys = {source.key for source in parsed.data.sources}
    errors: list[FileError] = []
    for index, competency in enumerate(parsed.data.competencies):
        practice = competency.practice
        if practice is None:
            continue
        bases: list[RuleSource] = [item.basis for item in practice.designations]
        bases += [item.basis for item in practice.ceilings]
        bases += [item.basis for item in practice.patient_groups]
        if practice.entitlement is not None:
            bases.append(practice.entitlement.basis)
        line = parsed.lines.get(("competencies", index, "practice"))
        item = f"competency {competency.code}"
        errors += [
            FileError(parsed.path, item, "practice", line, f"unknown source {b.source.key!r}")
            for b in bases
            if b.source is not None and b.source.key not in keys
        ]
        errors += [
            FileError(parsed.path, item, "practice", line, f"unknown competency {code!r}")
            for rule in practice.patient_groups
            for code in rule.requires
            if code not in known
        ]
    return errors


def _check_scopes(parsed: ParsedFile, known: set[str]) -> list[FileError]:
    assert isinstance(parsed.data, FrameworkFile)
    errors: list[FileError] = []
    scopes = {scope.code: scope for scope in parsed.data.scopes}
    seen: set[str] = set()
    for index, scope in enumerate(parsed.data.scopes):
        item = f"scope {scope.code}"
        if scope.code in seen:
            errors.append(
                FileError(
                    parsed.path,
                    item,
                    "code",
                    _line_for(parsed.lines, ("scopes", index, "code")),
                    "duplicate scope code",
                )
            )
        seen.add(scope.code)
        for field_name in ("core", "optional"):
            for position, code in enumerate(getattr(scope, field_name)):
                if code not in known:
                    errors.append(
                        FileError(
                            parsed.path,
                            item,
                            f"{field_name}",
                            _line_for(parsed.lines, ("scopes", index, field_name, position)),
                            f"unknown competency {code!r}",
                        )
                    )
        both = set(scope.core) & set(scope.optional)
        if both:
            errors.append(
                FileError(
                    parsed.path,
                    item,
                    "optional",
                    _line_for(parsed.lines, ("scopes", index, "optional")),
                    f"{sorted(both)[0]} is listed as both core and optional",
                )
            )
        if scope.builds_on is not None and scope.builds_on not in scopes:
            errors.append(
                FileError(
                    parsed.path,
                    item,
                    "builds_on",
                    _line_for(parsed.lines, ("scopes", index, "builds_on")),
                    f"unknown scope {scope.builds_on!r}",
                )
            )
        errors += _check_source(parsed, ("scopes", index), item, scope.source.key)
    cycle = _first_cycle(
        {
            code: [scope.builds_on] if scope.builds_on in scopes else []
            for code, scope in scopes.items()
        }
    )
    if cycle:
        index = [scope.code for scope in parsed.data.scopes].index(cycle[0])
        errors.append(
            FileError(
                parsed.path,
                f"scope {cycle[0]}",
                "builds_on",
                _line_for(parsed.lines, ("scopes", index, "builds_on")),
                "scopes build on each other in a cycle: " + " → ".join([*cycle, cycle[0]]),
            )
        )
    job_roles = [scope.job_role for scope in parsed.data.scopes if scope.job_role is not None]
    for role in {role for role in job_roles if job_roles.count(role) > 1}:
        errors.append(
            FileError(
                parsed.path,
                f"scope for {role.value}",
                "job_role",
                None,
                "more than one scope for this job role",
            )
        )
    return errors


def _first_cycle(graph: dict[str, Sequence[str | None]]) -> list[str] | None:
    """A cycle in a dependency graph, as the list of its nodes, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in graph.get(node, ()):
            if target is None or target not in graph:
                continue
            if state.get(target) == 1:
                return stack[stack.index(target) :]
            if state.get(target) is None:
                found = visit(target)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if state.get(node) is None:
            found = visit(node)
            if found:
                return found
    return None


def read_set(paths: Sequence[Path], root: Path | None = None) -> FrameworkSet:
    """Parse and check every file; raise FrameworkFilesError listing every problem found."""
    errors: list[FileError] = []
    parsed_files: list[ParsedFile] = []
    for path in paths:
        display = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
        result = parse_file(path, display)
        if isinstance(result, list):
            errors += result
        else:
            parsed_files.append(result)
    if not errors:
        errors = check_set(parsed_files)
    if errors:
        raise FrameworkFilesError(errors)
    return FrameworkSet(parsed_files)

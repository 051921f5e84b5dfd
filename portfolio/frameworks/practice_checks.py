"""Checks on a competency's practice rules (`schema.Practice`) that need the whole file set:
every source they cite is listed, every competency they require exists."""

from __future__ import annotations

from collections.abc import Collection

from portfolio.frameworks.files import FileError, ParsedFile
from portfolio.frameworks.schema import FrameworkFile, RuleSource


def check_practice(parsed: ParsedFile, known: Collection[str]) -> list[FileError]:
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

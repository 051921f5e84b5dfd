"""Bad framework files are refused with the file, the item, the field and the line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from portfolio.frameworks.files import FileError, FrameworkFilesError, discover, read_set

MINIMAL = Path(__file__).parent / "fixtures" / "minimal" / "sample.yaml"
CATALOGUE = """\
kind: qualifications
code: quals
title: Qualifications
version: "1"
published_on: 2026-01-01
sources:
  - {key: q1, title: Q source, publisher: QAA, date: "2023-08"}
tags: [postgraduate-mammography]
qualifications:
  - code: pg-mammo
    title: Postgraduate award in mammography practice
    framework: fheq
    level: 7
    tags: [postgraduate-mammography]
    source: {key: q1}
"""


def _errors(tmp_path: Path, text: str, *others: tuple[str, str]) -> list[FileError]:
    (tmp_path / "framework.yaml").write_text(text)
    for name, content in others:
        (tmp_path / name).write_text(content)
    with pytest.raises(FrameworkFilesError) as caught:
        read_set(discover(tmp_path), tmp_path)
    return caught.value.errors


def _sample() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(MINIMAL.read_text())


def _line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)


def test_the_minimal_fixture_is_valid() -> None:
    framework_set = read_set([MINIMAL])
    assert [parsed.code for parsed in framework_set.files] == ["sample"]


def test_an_unparseable_file_names_the_file_and_line(tmp_path: Path) -> None:
    text = MINIMAL.read_text().replace("  - code: CANN", "  - code: [CANN")
    [error] = _errors(tmp_path, text)
    assert error.file == "framework.yaml"
    assert "not valid YAML" in error.message
    assert error.line is not None
    assert abs(error.line - _line_of(text, "code: [CANN")) <= 2


def test_a_missing_field_names_the_item_field_and_line(tmp_path: Path) -> None:
    text = MINIMAL.read_text().replace("    title: Cannulation\n", "")
    [error] = _errors(tmp_path, text)
    assert (error.file, error.item, error.field) == ("framework.yaml", "competency CANN", "title")
    assert error.message == "is required"
    assert error.line == _line_of(text, "- code: CANN")
    assert str(error).startswith(f"framework.yaml:{error.line}: competency CANN: field title")


def test_a_wrongly_typed_field_points_at_its_line(tmp_path: Path) -> None:
    text = MINIMAL.read_text().replace("    level: 3\n", "    level: three\n")
    [error] = _errors(tmp_path, text)
    assert (error.item, error.field, error.line) == (
        "competency CANN",
        "level",
        _line_of(text, "level: three"),
    )


def test_a_duplicate_code_is_refused(tmp_path: Path) -> None:
    text = MINIMAL.read_text().replace("  - code: CANN", "  - code: A-1")
    errors = _errors(tmp_path, text)
    duplicate = next(error for error in errors if "duplicate" in error.message)
    assert (duplicate.item, duplicate.field) == ("competency A-1", "code")
    assert (
        duplicate.line
        == [n for n, line in enumerate(text.splitlines(), 1) if "- code: A-1" in line][1]
    )


def test_a_duplicate_code_across_files_names_the_other_file(tmp_path: Path) -> None:
    other = MINIMAL.read_text().replace("code: sample", "code: another")
    errors = _errors(tmp_path, MINIMAL.read_text(), ("another.yaml", other))
    messages = [str(error) for error in errors]
    assert any(
        "duplicate competency code" in message and ".yaml" in message for message in messages
    )


def test_a_scope_naming_an_unknown_competency_is_refused(tmp_path: Path) -> None:
    text = MINIMAL.read_text().replace("optional: [CANN]", "optional: [CANN, NOPE]")
    [error] = _errors(tmp_path, text)
    assert (error.item, error.field) == ("scope scsw", "optional")
    assert "unknown competency 'NOPE'" in error.message
    assert error.line == _line_of(text, "NOPE")


def test_a_prerequisite_cycle_is_refused(tmp_path: Path) -> None:
    text = MINIMAL.read_text().replace(
        "    evidence: {types: [observed_practice]}",
        "    evidence: {types: [observed_practice], prerequisites: [CANN]}",
    )
    [error] = _errors(tmp_path, text)
    assert error.field == "evidence.prerequisites"
    assert "prerequisite cycle" in error.message
    assert "A-1" in error.message
    assert "CANN" in error.message


def test_an_unknown_qualification_tag_is_refused(tmp_path: Path) -> None:
    text = (
        MINIMAL.read_text()
        .replace(
            "must_hold_sign_off: true}",
            "must_hold_sign_off: true, qualifications: [paediatric-award]}",
        )
        .replace("rule: registrant,", "rule: qualified_registrant,")
    )
    [error] = _errors(tmp_path, text, ("quals.yaml", CATALOGUE))
    assert (error.item, error.field) == ("competency CANN", "assessors.qualifications")
    assert "unknown qualification tag 'paediatric-award'" in error.message


def test_a_known_qualification_tag_is_accepted(tmp_path: Path) -> None:
    text = (
        MINIMAL.read_text()
        .replace(
            "must_hold_sign_off: true}",
            "must_hold_sign_off: true, qualifications: [postgraduate-mammography]}",
        )
        .replace("rule: registrant,", "rule: qualified_registrant,")
    )
    (tmp_path / "framework.yaml").write_text(text)
    (tmp_path / "quals.yaml").write_text(CATALOGUE)
    assert len(read_set(discover(tmp_path), tmp_path).files) == 2


def test_an_unknown_register_type_is_refused(tmp_path: Path) -> None:
    text = MINIMAL.read_text().replace("registers: [hcpc, nmc]", "registers: [hcpc, cqc]")
    [error] = _errors(tmp_path, text)
    assert error.item == "competency CANN"
    assert error.field is not None
    assert error.field == "assessors.registers.1"
    assert error.line == _line_of(text, "cqc")
    assert "'none', 'hcpc', 'nmc', 'gmc' or 'rct'" in error.message


def test_an_unknown_field_is_refused_rather_than_ignored(tmp_path: Path) -> None:
    text = MINIMAL.read_text().replace(
        "    domain: Clinical\n", "    domain: Clinical\n    domian: typo\n"
    )
    [error] = _errors(tmp_path, text)
    assert (error.item, error.field, error.message) == (
        "competency CANN",
        "domian",
        "is not a known field",
    )


def test_a_scope_cycle_is_refused(tmp_path: Path) -> None:
    text = MINIMAL.read_text().replace(
        "{code: common-core, title: Common core,",
        "{code: common-core, title: Common core, builds_on: scsw,",
    )
    errors = _errors(tmp_path, text)
    assert any("cycle" in error.message and error.field == "builds_on" for error in errors)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = (
        MINIMAL.read_text()
        .replace("    title: Cannulation\n", "")
        .replace("    level: 2\n", "    level: 99\n")
    )
    assert len(_errors(tmp_path, text)) == 2

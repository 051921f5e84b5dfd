"""The practice rules in the framework data: validated, sourced or labelled "set by your
trust", checked across the file set, and left out of the canonical form where unused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from portfolio.core.roles import JobRole
from portfolio.frameworks import schema
from portfolio.frameworks.files import SHIPPED, check_set, discover, parse_file, read_set
from portfolio.standing.items import basis_of
from portfolio.standing.status import SupervisionLevel
from portfolio.standing.terms import EntitlementKind, Modality, PatientGroup
from tests.standing.builders import FRAMEWORK, ITEMS

SOURCE = {"source": {"key": "sor-ap"}}
LOCAL = {"set_by_trust": True, "note": "Your trust sets this."}


def test_the_items_the_review_names_declare_their_rules() -> None:
    chest = ITEMS["AP-CHEST"]
    assert chest.entitlement is not None
    assert chest.entitlement.kind is EntitlementKind.EXPOSURE
    assert chest.entitlement.modality is Modality.GENERAL_RADIOGRAPHY
    assert chest.entitlement.examination == "chest"
    assert {(c.at_most, c.patient_group) for c in chest.ceilings} == {
        (SupervisionLevel.INDIRECT, None),
        (SupervisionLevel.DIRECT, PatientGroup.CHILD),
    }
    assert [r.code for rule in chest.patient_groups for r in rule.requires] == ["PAED"]
    mammo = ITEMS["MAMMO-2V"]
    assert [c.remote_at_qualifying_site for c in mammo.ceilings] == [True]
    assert mammo.ceilings[0].job_roles == frozenset({JobRole.MA})
    assert ITEMS["PAED"].ceilings[0].at_most is SupervisionLevel.DIRECT
    assert ITEMS["SCSW-QA"].entitlement is not None
    assert ITEMS["SCSW-QA"].entitlement.task_modality_only
    assert {d.kind.value for d in ITEMS["MR-COILS"].designations} == {
        "mr_authorised_person",
        "mr_safety_screening",
    }
    assert ITEMS["CORE-ID"].entitlement is None  # a local switch, off as shipped


def test_every_practice_rule_cites_a_listed_source_or_says_the_trust_sets_it() -> None:
    keys = {source.key for source in FRAMEWORK.sources}
    for competency in FRAMEWORK.competencies:
        practice = competency.practice
        if practice is None:
            continue
        bases = [c.basis for c in practice.ceilings] + [d.basis for d in practice.designations]
        bases += [p.basis for p in practice.patient_groups]
        bases += [practice.entitlement.basis] if practice.entitlement else []
        for basis in bases:
            assert basis.set_by_trust or (basis.source and basis.source.key in keys)
            if basis.source and basis.source.confidence is not schema.Confidence.CONFIRMED:
                assert basis.source.note, f"{competency.code}: say what is to confirm"


def test_files_without_practice_rules_keep_their_content_hash() -> None:
    care = next(
        f
        for f in read_set(discover(SHIPPED), SHIPPED.parent).frameworks
        if f.code == "care-certificate"
    )
    assert care.content_hash == ("7f812402f7d5a0d3accb870e8e37b92ea0e2464279cf9a7ab1e9dd83a52084f0")
    dumped = schema.Condition(code="x", label="X").model_dump(mode="json")
    assert dumped == {"code": "x", "label": "X", "mandatory_for": []}


@pytest.mark.parametrize(
    ("model", "data", "message"),
    [
        (schema.RuleSource, {}, "either a source or set_by_trust"),
        (schema.RuleSource, {**SOURCE, **LOCAL}, "either a source or set_by_trust"),
        (schema.RuleSource, {"set_by_trust": True}, "needs a note"),
        (
            schema.CeilingRule,
            {"at_most": "remote", "remote_at_qualifying_site": True, "basis": SOURCE},
            "stricter at_most",
        ),
        (
            schema.Condition,
            {"code": "x", "label": "X", "supervision": "direct"},
            "needs its patient_groups",
        ),
        (
            schema.EntitlementRule,
            {"kind": "exposure", "required": False, "basis": SOURCE},
            "set by the trust",
        ),
        (
            schema.EntitlementRule,
            {"kind": "equipment_qa", "modality": "ct", "task_modality_only": True, "basis": SOURCE},
            "takes its modality from the task",
        ),
        (
            schema.PatientGroupRequirement,
            {"group": "child", "job_roles": [], "requires": ["PAED"], "basis": SOURCE},
            "at least 1",
        ),
    ],
)
def test_impossible_practice_rules_are_refused(
    model: type[schema.Strict], data: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        model.model_validate(data)


def test_the_valid_forms_are_accepted() -> None:
    assert schema.RuleSource.model_validate(LOCAL).set_by_trust
    assert schema.CeilingRule.model_validate(
        {"at_most": "indirect", "remote_at_qualifying_site": True, "basis": SOURCE}
    ).remote_at_qualifying_site
    assert (
        schema.EntitlementRule.model_validate(
            {"kind": "patient_identification", "required": False, "basis": LOCAL}
        ).required
        is False
    )


def _write(tmp_path: Path, practice: dict[str, Any]) -> Path:
    data = yaml.safe_load((SHIPPED / "imaging-support.yaml").read_text(encoding="utf-8"))
    for competency in data["competencies"]:
        if competency["code"] == "AP-CHEST":
            competency["practice"] = practice
    path = tmp_path / "imaging-support.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("practice", "message"),
    [
        (
            {"ceilings": [{"at_most": "direct", "basis": {"source": {"key": "nowhere"}}}]},
            "unknown source 'nowhere'",
        ),
        (
            {
                "patient_groups": [
                    {"group": "child", "job_roles": ["ap"], "requires": ["NOPE"], "basis": LOCAL}
                ]
            },
            "unknown competency 'NOPE'",
        ),
        (
            {"entitlement": {"kind": "exposure", "basis": {"source": {"key": "nowhere"}}}},
            "unknown source 'nowhere'",
        ),
        (
            {
                "designations": [
                    {"kind": "mr_authorised_person", "basis": {"source": {"key": "nowhere"}}}
                ]
            },
            "unknown source 'nowhere'",
        ),
    ],
)
def test_the_file_set_check_finds_unknown_sources_and_codes(
    tmp_path: Path, practice: dict[str, Any], message: str
) -> None:
    parsed = parse_file(_write(tmp_path, practice))
    assert not isinstance(parsed, list), parsed
    qualifications = parse_file(SHIPPED / "qualifications.yaml")
    assert not isinstance(qualifications, list)
    errors = check_set([parsed, qualifications])
    assert [e.message for e in errors] == [message]
    assert errors[0].item == "competency AP-CHEST"
    assert errors[0].field == "practice"


def test_a_local_basis_reads_set_by_your_trust_and_a_source_names_its_publisher() -> None:
    local = basis_of(schema.RuleSource.model_validate(LOCAL), {})
    assert (local.local, local.label) == (True, "set by your trust: Your trust sets this.")
    sources = {s.key: s for s in FRAMEWORK.sources}
    cited = basis_of(
        schema.RuleSource.model_validate({"source": {"key": "sor-paeds", "section": "§5"}}),
        sources,
    )
    assert cited.label == (
        "Society of Radiographers (SoR/APR), Practice standards for imaging children and young "
        "people: 5. Standard requirements: §5"
    )
    unsure = basis_of(
        schema.RuleSource.model_validate(
            {"source": {"key": "missing", "confidence": "to_confirm", "note": "n"}}
        ),
        sources,
    )
    assert unsure.label == "missing (to confirm locally)"

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
from portfolio.standing.facts import DesignationNeed, EntitlementNeed, ItemRef
from portfolio.standing.items import basis_of, item_facts
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


def test_every_practice_rule_of_the_shipped_framework_reaches_the_engine_as_written() -> None:
    """Read afresh here (not the builders' items): each field of each rule, in its order,
    with its source, for every competency of the shipped framework."""
    titles = {c.code: c.title for c in FRAMEWORK.competencies}
    sources = {s.key: s for s in FRAMEWORK.sources}
    for competency in FRAMEWORK.competencies:
        facts = item_facts(competency, titles=titles, sources=sources)
        practice = competency.practice or schema.Practice()
        assert (facts.code, facts.title) == (competency.code, competency.title)
        assert facts.ref == ItemRef(competency.code, competency.title)
        assert facts.prerequisites == tuple(
            ItemRef(code, titles[code]) for code in competency.evidence.prerequisites
        )
        rule = practice.entitlement
        if rule is None or not rule.required:
            assert facts.entitlement is None
        else:
            assert facts.entitlement == EntitlementNeed(
                kind=rule.kind,
                basis=basis_of(rule.basis, sources),
                modality=rule.modality,
                examination=rule.examination,
                task_modality_only=rule.task_modality_only,
            )
        assert facts.designations == tuple(
            DesignationNeed(kind=d.kind, basis=basis_of(d.basis, sources))
            for d in practice.designations
        )
        assert [
            (c.at_most.value, c.job_roles, c.trainee, c.preceptee, c.patient_group)
            for c in facts.ceilings
        ] == [
            (c.at_most.value, frozenset(c.job_roles), c.trainee, c.preceptee, c.patient_group)
            for c in practice.ceilings
        ]
        assert [(c.remote_at_qualifying_site, c.basis) for c in facts.ceilings] == [
            (c.remote_at_qualifying_site, basis_of(c.basis, sources)) for c in practice.ceilings
        ]
        assert [
            (p.group, p.job_roles, tuple(r.code for r in p.requires), p.basis)
            for p in facts.patient_groups
        ] == [
            (p.group, frozenset(p.job_roles), tuple(p.requires), basis_of(p.basis, sources))
            for p in practice.patient_groups
        ]
        assert [tuple(r.title for r in p.requires) for p in facts.patient_groups] == [
            tuple(titles[code] for code in p.requires) for p in practice.patient_groups
        ]
        assert [
            (c.code, c.label, c.mandatory_for, c.patient_groups, c.supervision)
            for c in facts.conditions
        ] == [
            (
                c.code,
                c.label,
                frozenset(c.mandatory_for),
                frozenset(c.patient_groups),
                SupervisionLevel(c.supervision.value) if c.supervision else None,
            )
            for c in competency.conditions
        ]


def test_the_shipped_framework_has_each_kind_of_rule_the_engine_reads() -> None:
    """So the test above compares something: the shipped file holds every field in use."""
    titles = {c.code: c.title for c in FRAMEWORK.competencies}
    sources = {s.key: s for s in FRAMEWORK.sources}
    items = [item_facts(c, titles=titles, sources=sources) for c in FRAMEWORK.competencies]
    ceilings = [c for i in items for c in i.ceilings]
    assert {c.at_most for c in ceilings} >= {SupervisionLevel.DIRECT, SupervisionLevel.INDIRECT}
    assert any(c.job_roles for c in ceilings)
    assert any(c.patient_group for c in ceilings)
    assert any(c.remote_at_qualifying_site for c in ceilings)
    assert any(i.prerequisites for i in items)
    assert any(i.designations for i in items)
    assert any(c.supervision for i in items for c in i.conditions)
    assert any(c.mandatory_for for i in items for c in i.conditions)
    entitlements = [i.entitlement for i in items if i.entitlement]
    assert any(e.examination for e in entitlements)
    assert any(e.modality for e in entitlements)
    assert any(e.task_modality_only for e in entitlements)


def test_an_unknown_title_reads_as_the_code_and_an_unlisted_source_as_its_key() -> None:
    chest = next(c for c in FRAMEWORK.competencies if c.code == "AP-CHEST")
    facts = item_facts(chest, titles={}, sources={})
    assert facts.patient_groups[0].requires == (ItemRef("PAED", "PAED"),)
    assert facts.patient_groups[0].requires[0].name == "PAED"
    assert all(not c.basis.local and c.basis.text for c in facts.ceilings)
    assert facts.entitlement is not None
    assert facts.entitlement.basis.text.split(":")[0] in {s.key for s in FRAMEWORK.sources}


def test_a_trainee_or_preceptee_ceiling_in_a_framework_reaches_the_engine_as_such() -> None:
    chest = next(c for c in FRAMEWORK.competencies if c.code == "AP-CHEST")
    assert chest.practice is not None
    ceilings = [
        schema.CeilingRule.model_validate({"at_most": "direct", "trainee": True, "basis": SOURCE}),
        schema.CeilingRule.model_validate({"at_most": "direct", "preceptee": True, "basis": LOCAL}),
    ]
    practice = chest.practice.model_copy(update={"ceilings": ceilings})
    facts = item_facts(chest.model_copy(update={"practice": practice}), titles={}, sources={})
    assert [(c.trainee, c.preceptee) for c in facts.ceilings] == [(True, False), (False, True)]
    assert facts.ceilings[1].basis.label == "set by your trust: Your trust sets this."

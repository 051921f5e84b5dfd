"""The frameworks that ship: sourced, honest about what is local policy, and shaped as the
roles build on each other."""

from __future__ import annotations

import pytest

from portfolio.core.roles import JobRole
from portfolio.frameworks.files import SHIPPED, FrameworkSet, discover, read_set
from portfolio.frameworks.practice_terms import AssessorList, DesignationKind
from portfolio.frameworks.rules import ScopeDefinition, resolve_scope
from portfolio.frameworks.schema import AssessorRule, Confidence, FrameworkFile, QualificationsFile
from portfolio.people.registers import Radiography


@pytest.fixture(scope="module")
def shipped() -> FrameworkSet:
    return read_set(discover(SHIPPED), SHIPPED.parent)


def _imaging(shipped: FrameworkSet) -> FrameworkFile:
    data = next(f.data for f in shipped.frameworks if f.code == "imaging-support")
    assert isinstance(data, FrameworkFile)
    return data


def _scopes(shipped: FrameworkSet) -> dict[str, ScopeDefinition]:
    return {
        s.code: ScopeDefinition(s.code, s.builds_on, tuple(s.core), tuple(s.optional))
        for s in _imaging(shipped).scopes
    }


def _scope_code(shipped: FrameworkSet, role: JobRole) -> str:
    return next(s.code for s in _imaging(shipped).scopes if s.job_role is role)


def test_every_job_role_has_a_scope(shipped: FrameworkSet) -> None:
    assert {s.job_role for s in _imaging(shipped).scopes if s.job_role} == set(JobRole)


def test_each_role_contains_the_one_below_it(shipped: FrameworkSet) -> None:
    scopes = _scopes(shipped)
    csw, scsw, ap = (
        resolve_scope(scopes, _scope_code(shipped, r))
        for r in (JobRole.CSW, JobRole.SCSW, JobRole.AP)
    )
    assert set(csw) <= set(scsw) <= set(ap)
    assert {code for code, item in scsw.items() if item.core} <= {
        code for code, item in ap.items() if item.core
    }


def test_the_mammography_branch_has_the_common_core_but_not_the_csw_duties(
    shipped: FrameworkSet,
) -> None:
    scopes = _scopes(shipped)
    ma = resolve_scope(scopes, _scope_code(shipped, JobRole.MA))
    common = resolve_scope(scopes, "common-core")
    assert common
    assert all(ma[code].core for code in common)
    csw_only = set(resolve_scope(scopes, _scope_code(shipped, JobRole.CSW))) - set(common)
    assert csw_only
    assert not csw_only & set(ma)
    assert ma["MAMMO-2V"].core


def test_cannulation_is_never_core_in_a_national_scope(shipped: FrameworkSet) -> None:
    scopes = _scopes(shipped)
    for role in JobRole:
        items = resolve_scope(scopes, _scope_code(shipped, role))
        assert "CANN" not in items or not items["CANN"].core


def test_cannulation_rules_are_local_policy_and_its_prerequisites_must_be_current(
    shipped: FrameworkSet,
) -> None:
    cannulation = next(c for c in _imaging(shipped).competencies if c.code == "CANN")
    assert cannulation.evidence.supervised_procedures is not None
    assert cannulation.evidence.supervised_procedures.confidence is Confidence.TO_CONFIRM
    assert "national" in (cannulation.evidence.supervised_procedures.note or "").lower()
    assert {"ANTT", "CORE-BLS"} <= set(cannulation.evidence.prerequisites)
    # Assessed by the organisation's approved list, not by holding a support worker's sign-off.
    assert cannulation.assessors.rule is AssessorRule.APPROVED_LIST
    assert not cannulation.assessors.must_hold_sign_off
    assert cannulation.assessors.approved_lists == [AssessorList.CANNULATION_ASSESSOR]
    assert {r.value for r in cannulation.assessors.registers} == {"hcpc", "nmc", "gmc"}


def test_approved_lists_assess_antt_and_basic_life_support(shipped: FrameworkSet) -> None:
    items = {c.code: c.assessors for c in _imaging(shipped).competencies}
    assert items["ANTT"].approved_lists == [AssessorList.ANTT_ASSESSOR]
    assert items["CORE-BLS"].approved_lists == [AssessorList.BLS_INSTRUCTOR]
    assert items["CORE-BLS"].professions == []  # cascade trainers too, not only resus officers
    assert not any(rule.must_hold_sign_off for code, rule in items.items() if code != "RT-PHLEB")


def test_the_mr_safety_assessor_holds_an_mr_role(shipped: FrameworkSet) -> None:
    mr = next(c for c in _imaging(shipped).competencies if c.code == "MR-SAFETY").assessors
    assert mr.designations == [DesignationKind.MR_AUTHORISED_PERSON]
    assert mr.approved_lists == [AssessorList.MR_SAFETY_TRAINER]


def test_imaging_items_need_a_diagnostic_and_radiotherapy_a_therapeutic_radiographer(
    shipped: FrameworkSet,
) -> None:
    items = {c.code: c.assessors.radiography for c in _imaging(shipped).competencies}
    assert items["AP-CHEST"] is items["AP-APPEND"] is items["MAMMO-2V"] is Radiography.DIAGNOSTIC
    assert items["RT-OBS"] is items["RT-PHLEB"] is Radiography.THERAPEUTIC
    assert items["CORE-IPC"] is None  # common to both parts of the register


def test_two_view_mammography_needs_the_postgraduate_award(shipped: FrameworkSet) -> None:
    mammography = next(c for c in _imaging(shipped).competencies if c.code == "MAMMO-2V")
    assert mammography.assessors.rule is AssessorRule.QUALIFIED_REGISTRANT
    assert mammography.assessors.qualifications == ["postgraduate-mammography"]


def test_an_assistant_practitioner_imaging_children_is_always_directly_supervised(
    shipped: FrameworkSet,
) -> None:
    paediatric = next(c for c in _imaging(shipped).competencies if c.code == "PAED")
    assert any(JobRole.AP in condition.mandatory_for for condition in paediatric.conditions)


def test_mr_safety_is_kept_apart_from_radiation_protection(shipped: FrameworkSet) -> None:
    codes = {c.code for c in _imaging(shipped).competencies}
    assert {"MR-SAFETY", "CORE-RP"} <= codes
    coils = next(c for c in _imaging(shipped).competencies if c.code == "MR-COILS")
    assert "MR-SAFETY" in coils.evidence.prerequisites


def test_the_care_certificate_has_its_sixteen_2025_standards(shipped: FrameworkSet) -> None:
    care = next(f.data for f in shipped.frameworks if f.code == "care-certificate")
    assert isinstance(care, FrameworkFile)
    assert len(care.competencies) == 16
    assert [n.value for n in care.nations] == ["england"]
    standards = {c.code: c for c in care.competencies}
    assert standards["CC-16"].title.startswith("Awareness of learning disability and autism")
    assert standards["CC-04"].title == "Equality, diversity, inclusion and human rights"
    for standard in care.competencies:
        assert not standard.expires
        assert standard.joint_declaration
        assert standard.previously_achieved_allowed
        assert standard.assessors.rule is AssessorRule.ANY_COMPETENT_COLLEAGUE
        simulation = any(m.value == "simulation" for c in standard.criteria for m in c.methods)
        assert simulation == (standard.code == "CC-12")


def test_every_local_default_says_so(shipped: FrameworkSet) -> None:
    for parsed in shipped.frameworks:
        assert isinstance(parsed.data, FrameworkFile)
        for competency in parsed.data.competencies:
            for default in (
                competency.reassessment_months,
                competency.evidence.supervised_procedures,
            ):
                if default is not None and default.confidence is not Confidence.CONFIRMED:
                    assert default.note, f"{competency.code} needs a note on its default"


def test_the_pathways_cover_every_job_role(shipped: FrameworkSet) -> None:
    catalogue = next(f.data for f in shipped.catalogues)
    assert isinstance(catalogue, QualificationsFile)
    assert {p.job_role for p in catalogue.pathways} == set(JobRole)
    assert {q.apprenticeship_standard for q in catalogue.qualifications} >= {
        "ST0216",
        "ST0217",
        "ST0583",
        "ST0215",
        "ST0619",
        "ST0620",
    }

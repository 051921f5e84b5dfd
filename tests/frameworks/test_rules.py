"""Scope inheritance, local policy precedence and qualification equivalences, as pure rules."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portfolio.frameworks.rules import (
    PolicyVersion,
    Requirement,
    Rule,
    ScopeDefinition,
    equivalent_levels,
    resolve_scope,
    rqf_level,
    rule_in_force,
    worker_scope,
)
from portfolio.frameworks.schema import QualificationFramework as Q

SCOPES = {
    "common-core": ScopeDefinition("common-core", None, ("ID", "IPC"), ()),
    "csw": ScopeDefinition("csw", "common-core", ("STOCK",), ()),
    "scsw": ScopeDefinition("scsw", "csw", ("RIS",), ("CANN", "COILS")),
    "ap": ScopeDefinition("ap", "scsw", ("CHEST", "COILS"), ("PAED",)),
    "ma": ScopeDefinition("ma", "common-core", ("MAMMO",), ()),
}


def test_an_assistant_practitioners_scope_contains_the_senior_csws() -> None:
    ap, scsw = resolve_scope(SCOPES, "ap"), resolve_scope(SCOPES, "scsw")
    assert set(scsw) <= set(ap)
    assert ap["CANN"].core is False
    assert ap["CANN"].from_scope == "scsw"
    assert ap["ID"].from_scope == "common-core"


def test_a_higher_role_can_make_an_optional_item_core_but_never_the_reverse() -> None:
    assert resolve_scope(SCOPES, "scsw")["COILS"].core is False
    assert resolve_scope(SCOPES, "ap")["COILS"].core is True


def test_the_mammography_branch_has_the_common_core_and_not_the_csw_duties() -> None:
    ma = resolve_scope(SCOPES, "ma")
    assert {"ID", "IPC", "MAMMO"} == set(ma)
    assert all(ma[code].core for code in ("ID", "IPC"))


def test_a_post_and_a_plan_take_up_optional_items_and_cannot_widen_the_scope() -> None:
    scsw = resolve_scope(SCOPES, "scsw")
    mine = worker_scope(scsw, post_core=["COILS", "CHEST"], plan=["CANN", "PAED"])
    assert mine["COILS"] is Requirement.POST_CORE
    assert mine["CANN"] is Requirement.PLANNED
    assert mine["RIS"] is Requirement.CORE
    assert set(mine) == set(scsw)  # CHEST and PAED are not in the SCSW scope
    assert [code for code, why in mine.items() if not why.counts] == []
    assert worker_scope(scsw, [], [])["CANN"] is Requirement.OPTIONAL


codes = st.sampled_from([f"C{n}" for n in range(12)])


@st.composite
def scope_chains(draw: st.DrawFn) -> dict[str, ScopeDefinition]:
    count = draw(st.integers(1, 5))
    scopes: dict[str, ScopeDefinition] = {}
    for index in range(count):
        core = tuple(draw(st.lists(codes, max_size=4, unique=True)))
        optional = tuple(c for c in draw(st.lists(codes, max_size=4, unique=True)) if c not in core)
        scopes[f"s{index}"] = ScopeDefinition(
            f"s{index}", f"s{index - 1}" if index else None, core, optional
        )
    return scopes


@given(scope_chains())
def test_inheritance_invariants(scopes: dict[str, ScopeDefinition]) -> None:
    names = sorted(scopes)
    for lower, higher in itertools.pairwise(names):
        below, above = resolve_scope(scopes, lower), resolve_scope(scopes, higher)
        assert set(below) <= set(above)  # a role keeps everything beneath it
        assert all(above[code].core for code, item in below.items() if item.core)
    for name in names:
        resolved = resolve_scope(scopes, name)
        chain_core = {c for n in names[: names.index(name) + 1] for c in scopes[n].core}
        assert {code for code, item in resolved.items() if item.core} == chain_core


DEFAULT = Rule(
    supervised_procedures=5,
    reassessment_months=12,
    countersignature_required=True,
    policy_version=None,
)
V3 = PolicyVersion(3, "Cannulation policy v3", dt.date(2024, 4, 1), 8, None, None)
V4 = PolicyVersion(4, "Cannulation policy v4", dt.date(2026, 1, 1), 10, 24, False)


def test_before_any_policy_the_framework_default_applies() -> None:
    assert rule_in_force(DEFAULT, [V3, V4], dt.date(2024, 3, 31)) == DEFAULT


def test_a_policy_applies_from_its_effective_date() -> None:
    assert rule_in_force(DEFAULT, [V3, V4], dt.date(2024, 4, 1)).policy_version == 3
    assert rule_in_force(DEFAULT, [V3, V4], dt.date(2025, 12, 31)).policy_version == 3
    assert rule_in_force(DEFAULT, [V3, V4], dt.date(2026, 1, 1)).policy_version == 4


def test_a_policy_overrides_only_what_it_sets() -> None:
    rule = rule_in_force(DEFAULT, [V3], dt.date(2025, 1, 1))
    assert (
        rule.supervised_procedures,
        rule.reassessment_months,
        rule.countersignature_required,
    ) == (
        8,
        12,
        True,
    )
    rule = rule_in_force(DEFAULT, [V3, V4], dt.date(2026, 6, 1))
    assert (
        rule.supervised_procedures,
        rule.reassessment_months,
        rule.countersignature_required,
    ) == (
        10,
        24,
        False,
    )


policies = st.lists(
    st.builds(
        PolicyVersion,
        version=st.integers(1, 50),
        title=st.just("p"),
        effective_from=st.dates(dt.date(2020, 1, 1), dt.date(2030, 1, 1)),
        supervised_procedures=st.none() | st.integers(0, 30),
    ),
    max_size=6,
    unique_by=lambda p: p.version,
)


@given(policies, st.dates(dt.date(2019, 1, 1), dt.date(2031, 1, 1)))
def test_the_rule_in_force_is_the_latest_effective_version_on_that_date(
    versions: list[PolicyVersion], on: dt.date
) -> None:
    rule = rule_in_force(DEFAULT, versions, on)
    effective = [p for p in versions if p.effective_from <= on]
    if not effective:
        assert rule == DEFAULT
        return
    chosen = next(p for p in versions if p.version == rule.policy_version)
    assert chosen.effective_from <= on
    assert all(
        (p.effective_from, p.version) <= (chosen.effective_from, chosen.version) for p in effective
    )
    expected = (
        DEFAULT.supervised_procedures
        if chosen.supervised_procedures is None
        else chosen.supervised_procedures
    )
    assert rule.supervised_procedures == expected


@pytest.mark.parametrize(
    ("framework", "level", "other", "expected"),
    [
        (Q.RQF, 2, Q.SCQF, (5,)),
        (Q.RQF, 3, Q.EQF, (4,)),
        (Q.RQF, 4, Q.FHEQ, (4,)),
        (Q.RQF, 5, Q.EQF, (5,)),
        (Q.SCQF, 8, Q.RQF, (4, 5)),
        (Q.CQFW, 6, Q.SCQF, (9, 10)),
        (Q.RQF, 2, Q.FHEQ, ()),  # FHEQ starts at level 4
    ],
)
def test_known_equivalences(framework: Q, level: int, other: Q, expected: tuple[int, ...]) -> None:
    assert equivalent_levels(framework, level)[other] == expected


pairs = st.sampled_from([(f, lvl) for f in Q for lvl in range(1, 13)])


@given(pairs, st.sampled_from(list(Q)))
def test_equivalence_is_symmetric(pair: tuple[Q, int], other: Q) -> None:
    framework, level = pair
    try:
        mapped = equivalent_levels(framework, level)[other]
    except ValueError:
        return
    for other_level in mapped:
        assert level in equivalent_levels(other, other_level)[framework]


def test_levels_outside_the_table_are_refused() -> None:
    with pytest.raises(ValueError, match="no equivalence"):
        equivalent_levels(Q.RQF, 8)
    assert rqf_level(Q.SCQF, 6) == 3

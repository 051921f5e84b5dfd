"""The policy as pure decisions over plain facts."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portfolio.core.roles import AccountRole
from portfolio.policy import Actor, Decision, OrganisationFacts, Permission, PersonFacts, decide

WORKER = PersonFacts(
    id=1,
    organisation_id=10,
    roles=frozenset({AccountRole.SUPPORT_WORKER}),
    department_id=100,
    supervisor_ids=frozenset({2}),
)


def actor(id: int, *roles: AccountRole, org: int = 10, **kwargs) -> Actor:  # type: ignore[no-untyped-def]
    return Actor(id=id, organisation_id=org, roles=frozenset(roles), **kwargs)


def test_people_see_themselves_but_may_not_edit_themselves() -> None:
    me = actor(1, AccountRole.SUPPORT_WORKER)
    assert decide(me, Permission.VIEW_PERSON, WORKER) is Decision.ALLOW
    assert decide(me, Permission.EDIT_PERSON, WORKER) is Decision.FORBID


def test_the_assigned_supervisor_sees_the_worker_and_another_does_not() -> None:
    assert (
        decide(actor(2, AccountRole.SUPERVISOR), Permission.VIEW_PERSON, WORKER) is Decision.ALLOW
    )
    assert decide(actor(3, AccountRole.SUPERVISOR), Permission.VIEW_PERSON, WORKER) is Decision.HIDE


def test_educators_see_support_workers_within_their_reach_only() -> None:
    inside = actor(4, AccountRole.EDUCATOR, reach_department_ids=frozenset({100}))
    outside = actor(5, AccountRole.EDUCATOR, reach_department_ids=frozenset({200}))
    whole = actor(6, AccountRole.EDUCATOR, reach_whole_organisation=True)
    assert decide(inside, Permission.VIEW_PERSON, WORKER) is Decision.ALLOW
    assert decide(outside, Permission.VIEW_PERSON, WORKER) is Decision.HIDE
    assert decide(whole, Permission.VIEW_PERSON, WORKER) is Decision.ALLOW


def test_an_admin_may_not_deactivate_themselves() -> None:
    admin = actor(7, AccountRole.ADMIN)
    me = PersonFacts(id=7, organisation_id=10, roles=frozenset({AccountRole.ADMIN}))
    assert decide(admin, Permission.DEACTIVATE_PERSON, me) is Decision.FORBID
    assert decide(admin, Permission.DEACTIVATE_PERSON, WORKER) is Decision.ALLOW


@given(
    roles=st.frozensets(st.sampled_from(list(AccountRole)), min_size=1),
    whole=st.booleans(),
    permission=st.sampled_from(
        [
            Permission.VIEW_PERSON,
            Permission.EDIT_PERSON,
            Permission.RESET_PASSWORD,
            Permission.DEACTIVATE_PERSON,
        ]
    ),
)
def test_nobody_reaches_into_another_organisation(
    roles: frozenset[AccountRole], whole: bool, permission: Permission
) -> None:
    stranger = Actor(id=99, organisation_id=20, roles=roles, reach_whole_organisation=whole)
    assert decide(stranger, permission, WORKER) is Decision.HIDE
    assert (
        decide(stranger, Permission.ADMINISTER_ORGANISATION, OrganisationFacts(10)) is Decision.HIDE
    )


def test_any_shift_lead_in_the_organisation_may_ask_what_a_worker_may_do() -> None:
    lead = Actor(id=50, organisation_id=10, roles=frozenset({AccountRole.SUPERVISOR}))
    stranger = Actor(id=51, organisation_id=2, roles=frozenset({AccountRole.SUPERVISOR}))
    colleague = Actor(id=52, organisation_id=10, roles=frozenset({AccountRole.SUPPORT_WORKER}))
    asks = Permission.VIEW_SCOPE_OF_PRACTICE
    assert decide(lead, asks, WORKER) is Decision.ALLOW
    assert decide(stranger, asks, WORKER) is Decision.HIDE
    assert decide(colleague, asks, WORKER) is Decision.HIDE
    department = OrganisationFacts(organisation_id=10)
    assert decide(lead, Permission.VIEW_SHIFT, department) is Decision.ALLOW
    assert decide(colleague, Permission.VIEW_SHIFT, department) is Decision.FORBID
    assert decide(stranger, Permission.VIEW_SHIFT, department) is Decision.HIDE


def test_only_the_assessor_a_request_waits_on_may_decide_it() -> None:
    from portfolio.policy import SignOffRequestFacts

    request = SignOffRequestFacts(organisation_id=10, worker_id=1, assessor_id=2)
    addressed = Actor(id=2, organisation_id=10, roles=frozenset({AccountRole.SUPERVISOR}))
    educator = Actor(
        id=3,
        organisation_id=10,
        roles=frozenset({AccountRole.EDUCATOR}),
        reach_whole_organisation=True,
    )
    worker = Actor(id=1, organisation_id=10, roles=frozenset({AccountRole.SUPPORT_WORKER}))
    assert decide(addressed, Permission.DECIDE_SIGN_OFF, request) is Decision.ALLOW
    assert decide(educator, Permission.DECIDE_SIGN_OFF, request) is Decision.HIDE
    assert decide(worker, Permission.DECIDE_SIGN_OFF, request) is Decision.HIDE
    # While it waits, the assessor reads the worker's evidence, and nothing else of theirs.
    waiting = PersonFacts(
        id=1,
        organisation_id=10,
        roles=frozenset({AccountRole.SUPPORT_WORKER}),
        assessor_ids=frozenset({4}),
    )
    stranger = Actor(id=4, organisation_id=10, roles=frozenset({AccountRole.SUPERVISOR}))
    assert decide(stranger, Permission.VIEW_EVIDENCE, waiting) is Decision.ALLOW
    assert decide(stranger, Permission.VIEW_PERSON, waiting) is Decision.HIDE


def test_only_the_administrator_who_uploaded_a_staff_file_may_preview_or_import_it() -> None:
    from portfolio.policy import UploadFacts

    admin = actor(1, AccountRole.ADMIN)
    colleague = actor(2, AccountRole.ADMIN)
    stranger = actor(3, AccountRole.ADMIN, org=20)
    educator = actor(4, AccountRole.EDUCATOR)
    upload = UploadFacts(organisation_id=10, uploaded_by_id=1)
    assert decide(admin, Permission.IMPORT_PEOPLE) is Decision.ALLOW
    assert decide(educator, Permission.IMPORT_PEOPLE) is Decision.FORBID
    assert decide(admin, Permission.IMPORT_PEOPLE, upload) is Decision.ALLOW
    assert decide(colleague, Permission.IMPORT_PEOPLE, upload) is Decision.HIDE
    assert decide(stranger, Permission.IMPORT_PEOPLE, UploadFacts(10, 3)) is Decision.HIDE
    demoted = actor(1, AccountRole.EDUCATOR)
    assert decide(demoted, Permission.IMPORT_PEOPLE, upload) is Decision.FORBID


def test_only_the_educator_who_asked_for_a_cohort_export_may_follow_or_download_it() -> None:
    from portfolio.policy import CohortExportFacts

    educator = actor(1, AccountRole.EDUCATOR)
    colleague = actor(2, AccountRole.EDUCATOR, reach_whole_organisation=True)
    admin = actor(3, AccountRole.ADMIN)
    supervisor = actor(4, AccountRole.SUPERVISOR)
    export = CohortExportFacts(organisation_id=10, requested_by_id=1)
    assert decide(educator, Permission.EXPORT_COHORT) is Decision.ALLOW
    assert decide(admin, Permission.EXPORT_COHORT) is Decision.FORBID
    assert decide(supervisor, Permission.EXPORT_COHORT) is Decision.FORBID
    assert decide(educator, Permission.EXPORT_COHORT, export) is Decision.ALLOW
    assert decide(colleague, Permission.EXPORT_COHORT, export) is Decision.HIDE
    assert decide(admin, Permission.EXPORT_COHORT, export) is Decision.HIDE
    elsewhere = actor(1, AccountRole.EDUCATOR, org=20)
    assert decide(elsewhere, Permission.EXPORT_COHORT, export) is Decision.HIDE
    # No longer an educator: their own export is refused, not hidden.
    assert decide(actor(1, AccountRole.SUPERVISOR), Permission.EXPORT_COHORT, export) is (
        Decision.FORBID
    )


def test_only_practice_educators_have_countersignatures_on_their_to_do_list() -> None:
    assert decide(actor(1, AccountRole.EDUCATOR), Permission.VIEW_COUNTERSIGNATURES) is (
        Decision.ALLOW
    )
    for role in (AccountRole.SUPERVISOR, AccountRole.ADMIN, AccountRole.SUPPORT_WORKER):
        assert decide(actor(1, role), Permission.VIEW_COUNTERSIGNATURES) is Decision.FORBID


_RECORD_KEEPING = (
    Permission.TRANSCRIBE_SIGN_OFF,
    Permission.OVERRIDE_MINIMUM,
    Permission.REDACT_RECORD,
)


@pytest.mark.parametrize("permission", _RECORD_KEEPING)
@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (actor(1, AccountRole.SUPPORT_WORKER), Decision.FORBID),  # the worker themselves
        (actor(2, AccountRole.SUPERVISOR), Decision.FORBID),  # their assigned assessor
        (actor(3, AccountRole.SUPERVISOR), Decision.HIDE),  # an assessor not assigned
        (
            actor(4, AccountRole.EDUCATOR, reach_department_ids=frozenset({100})),
            Decision.ALLOW,
        ),
        (
            # An assessor who is also an educator in reach may.
            actor(
                2,
                AccountRole.SUPERVISOR,
                AccountRole.EDUCATOR,
                reach_department_ids=frozenset({100}),
            ),
            Decision.ALLOW,
        ),
        (
            actor(5, AccountRole.EDUCATOR, reach_department_ids=frozenset({200})),
            Decision.HIDE,
        ),
        (actor(7, AccountRole.ADMIN), Decision.ALLOW),
        (actor(8, AccountRole.ADMIN, org=20), Decision.HIDE),
    ],
)
def test_educators_in_reach_and_admins_keep_records_never_the_worker_or_an_assessor_alone(
    permission: Permission, who: Actor, expected: Decision
) -> None:
    assert decide(who, permission, WORKER) is expected


@pytest.mark.parametrize("permission", _RECORD_KEEPING)
def test_an_educator_never_keeps_their_own_record(permission: Permission) -> None:
    educator = actor(9, AccountRole.EDUCATOR, AccountRole.ADMIN, reach_whole_organisation=True)
    themselves = PersonFacts(
        id=9, organisation_id=10, roles=frozenset({AccountRole.EDUCATOR, AccountRole.ADMIN})
    )
    assert decide(educator, permission, themselves) is Decision.FORBID


# Who may do what that concerns no one person: the account roles each permission is for.
_BY_ROLE: dict[Permission, frozenset[AccountRole]] = {
    Permission.USE_ACCOUNT: frozenset(AccountRole),
    Permission.BROWSE_FRAMEWORKS: frozenset(AccountRole),
    Permission.ADMINISTER_PEOPLE: frozenset({AccountRole.ADMIN}),
    Permission.IMPORT_PORTFOLIO: frozenset({AccountRole.ADMIN}),
    Permission.IMPORT_PEOPLE: frozenset({AccountRole.ADMIN}),
    Permission.ADMINISTER_ORGANISATION: frozenset({AccountRole.ADMIN}),
    Permission.VIEW_LEAVERS: frozenset({AccountRole.ADMIN, AccountRole.EDUCATOR}),
    Permission.VIEW_SUPERVISEES: frozenset({AccountRole.SUPERVISOR}),
    Permission.CONFIRM_PROCEDURES: frozenset({AccountRole.SUPERVISOR}),
    Permission.VIEW_WORKERS_IN_REACH: frozenset({AccountRole.EDUCATOR}),
    Permission.VIEW_COUNTERSIGNATURES: frozenset({AccountRole.EDUCATOR}),
    Permission.EXPORT_COHORT: frozenset({AccountRole.EDUCATOR}),
    Permission.VIEW_TO_DO: frozenset({AccountRole.SUPERVISOR, AccountRole.EDUCATOR}),
    Permission.VIEW_SHIFT: frozenset(
        {AccountRole.SUPERVISOR, AccountRole.EDUCATOR, AccountRole.ADMIN}
    ),
}


@given(
    permission=st.sampled_from(sorted(_BY_ROLE, key=lambda p: p.value)),
    roles=st.frozensets(st.sampled_from(list(AccountRole)), min_size=1),
)
def test_what_concerns_nobody_in_particular_follows_the_account_roles_alone(
    permission: Permission, roles: frozenset[AccountRole]
) -> None:
    """Anyone holding one of the permission's roles may; everyone else sees it refused (403),
    never hidden: the page exists for them, the action is not theirs."""
    someone = Actor(id=1, organisation_id=10, roles=roles)
    expected = Decision.ALLOW if roles & _BY_ROLE[permission] else Decision.FORBID
    assert decide(someone, permission) is expected


@pytest.mark.parametrize("role", list(AccountRole))
def test_each_role_alone_has_exactly_its_own_pages(role: AccountRole) -> None:
    allowed = {p for p, roles in _BY_ROLE.items() if role in roles}
    decided = {p for p in _BY_ROLE if decide(actor(1, role), p) is Decision.ALLOW}
    assert decided == allowed


def test_the_organisation_pages_are_an_administrators_own_organisations_only() -> None:
    admin = actor(1, AccountRole.ADMIN)
    educator = actor(2, AccountRole.EDUCATOR, reach_whole_organisation=True)
    ours, theirs = OrganisationFacts(10), OrganisationFacts(20)
    assert decide(admin, Permission.ADMINISTER_ORGANISATION, ours) is Decision.ALLOW
    assert decide(admin, Permission.ADMINISTER_ORGANISATION, theirs) is Decision.HIDE
    assert decide(educator, Permission.ADMINISTER_ORGANISATION, ours) is Decision.FORBID
    assert decide(admin, Permission.IMPORT_PEOPLE, ours) is Decision.ALLOW
    assert decide(admin, Permission.IMPORT_PEOPLE, theirs) is Decision.HIDE


# Everything an educator in reach may do to a support worker's records.
_IN_REACH = (
    Permission.VIEW_PERSON,
    Permission.VIEW_EVIDENCE,
    Permission.RECORD_QUALIFICATION,
    Permission.PLAN_COMPETENCIES,
    Permission.COUNTERSIGN,
    Permission.MANAGE_SIGN_OFF,
    Permission.TRANSCRIBE_SIGN_OFF,
    Permission.OVERRIDE_MINIMUM,
    Permission.REDACT_RECORD,
    Permission.PRINT_PORTFOLIO,
)


@given(
    permission=st.sampled_from(_IN_REACH),
    department=st.one_of(st.none(), st.integers(min_value=1, max_value=500)),
)
def test_a_whole_organisation_educator_reaches_every_support_worker_there(
    permission: Permission, department: int | None
) -> None:
    """In any department, or none recorded yet; and nobody in another organisation."""
    educator = actor(6, AccountRole.EDUCATOR, reach_whole_organisation=True)
    worker = dataclasses.replace(WORKER, department_id=department)
    assert decide(educator, permission, worker) is Decision.ALLOW
    elsewhere = dataclasses.replace(worker, organisation_id=20)
    assert decide(educator, permission, elsewhere) is Decision.HIDE


def test_an_educator_reaches_only_the_departments_named_and_never_an_unplaced_worker() -> None:
    educator = actor(4, AccountRole.EDUCATOR, reach_department_ids=frozenset({100, 300}))
    unplaced = dataclasses.replace(WORKER, department_id=None)
    assert decide(educator, Permission.COUNTERSIGN, WORKER) is Decision.ALLOW
    assert decide(educator, Permission.COUNTERSIGN, unplaced) is Decision.HIDE
    not_an_educator = actor(4, AccountRole.SUPERVISOR, reach_department_ids=frozenset({100}))
    assert decide(not_an_educator, Permission.COUNTERSIGN, WORKER) is Decision.HIDE


_CHANGES = (
    Permission.EDIT_PERSON,
    Permission.RESET_PASSWORD,
    Permission.RECORD_QUALIFICATION,
    Permission.GRANT_ENTITLEMENT,
    Permission.PLAN_COMPETENCIES,
    Permission.MANAGE_SIGN_OFF,
    Permission.TRANSCRIBE_SIGN_OFF,
    Permission.OVERRIDE_MINIMUM,
)
_READS = (
    Permission.VIEW_PERSON,
    Permission.VIEW_EVIDENCE,
    Permission.EXPORT_PORTFOLIO,
    Permission.PRINT_PORTFOLIO,
    Permission.REDACT_RECORD,
    Permission.DEACTIVATE_PERSON,
)


def test_a_leavers_records_are_read_only_to_those_who_may_see_them() -> None:
    """An administrator still reads, exports, prints and redacts a leaver's portfolio, and
    changes nothing in it (403) until the leaver is reactivated."""
    admin = actor(7, AccountRole.ADMIN)
    leaver = dataclasses.replace(WORKER, active=False)
    for permission in _CHANGES:
        assert decide(admin, permission, leaver) is Decision.FORBID, permission
        assert decide(admin, permission, WORKER) is Decision.ALLOW, permission
    for permission in _READS:
        assert decide(admin, permission, leaver) is Decision.ALLOW, permission
    themselves = actor(1, AccountRole.SUPPORT_WORKER)
    for permission in (Permission.LOG_EVIDENCE, Permission.REQUEST_SIGN_OFF):
        assert decide(themselves, permission, leaver) is Decision.FORBID, permission
        assert decide(themselves, permission, WORKER) is Decision.ALLOW, permission
    stranger = actor(8, AccountRole.ADMIN, org=20)
    assert decide(stranger, Permission.EDIT_PERSON, leaver) is Decision.HIDE


# --- Practice records: holders of an authority to grant -------------------------------------

HELD_BY_7 = PersonFacts(
    id=1,
    organisation_id=10,
    roles=frozenset({AccountRole.SUPPORT_WORKER}),
    department_id=100,
    granter_ids=frozenset({7}),
)


def test_a_holder_of_an_authority_grants_though_they_could_not_otherwise_see_the_person() -> None:
    holder = actor(7, AccountRole.SUPERVISOR)
    assert decide(holder, Permission.VIEW_PERSON, HELD_BY_7) is Decision.HIDE
    assert decide(holder, Permission.VIEW_PRACTICE_RECORDS, HELD_BY_7) is Decision.ALLOW
    assert decide(holder, Permission.RECORD_PRACTICE, HELD_BY_7) is Decision.ALLOW


def test_practice_records_are_seen_by_the_person_and_educators_and_granted_by_neither() -> None:
    me = actor(1, AccountRole.SUPPORT_WORKER)
    educator = actor(5, AccountRole.EDUCATOR, reach_department_ids=frozenset({100}))
    for viewer in (me, educator):
        assert decide(viewer, Permission.VIEW_PRACTICE_RECORDS, HELD_BY_7) is Decision.ALLOW
        assert decide(viewer, Permission.RECORD_PRACTICE, HELD_BY_7) is Decision.FORBID
    assert decide(educator, Permission.RECORD_PRECEPTORSHIP, HELD_BY_7) is Decision.ALLOW


def test_nobody_grants_to_themselves_nor_to_a_leaver() -> None:
    holder_themselves = PersonFacts(
        id=7, organisation_id=10, roles=frozenset({AccountRole.SUPERVISOR}), department_id=100,
        granter_ids=frozenset({7}),
    )  # fmt: skip
    holder = actor(7, AccountRole.SUPERVISOR, AccountRole.ADMIN)
    assert decide(holder, Permission.RECORD_PRACTICE, holder_themselves) is Decision.FORBID
    left = PersonFacts(**{**HELD_BY_7.__dict__, "active": False})
    assert decide(holder, Permission.VIEW_PRACTICE_RECORDS, left) is Decision.ALLOW
    assert decide(holder, Permission.RECORD_PRACTICE, left) is Decision.FORBID


def test_a_department_record_is_for_admins_educators_reaching_it_and_its_holders() -> None:
    ward = OrganisationFacts(10, 100, frozenset({7}))
    assert decide(actor(7, AccountRole.SUPERVISOR), Permission.VIEW_PRACTICE_REGISTER, ward) is (
        Decision.ALLOW
    )
    inside = actor(5, AccountRole.EDUCATOR, reach_department_ids=frozenset({100}))
    outside = actor(6, AccountRole.EDUCATOR, reach_department_ids=frozenset({200}))
    assert decide(inside, Permission.VIEW_PRACTICE_REGISTER, ward) is Decision.ALLOW
    assert decide(outside, Permission.VIEW_PRACTICE_REGISTER, ward) is Decision.FORBID
    assert decide(actor(8, AccountRole.ADMIN), Permission.VIEW_PRACTICE_REGISTER, ward) is (
        Decision.ALLOW
    )


@given(
    roles=st.frozensets(st.sampled_from(AccountRole)),
    whole=st.booleans(),
    holders=st.frozensets(st.integers(1, 9)),
    caller=st.integers(2, 9),  # 1 is the person: ids are unique across organisations
)
def test_a_holder_elsewhere_never_sees_or_grants(
    roles: frozenset[AccountRole], whole: bool, holders: frozenset[int], caller: int
) -> None:
    """Holding an authority in another organisation's department (the same id) gives
    nothing: another organisation's people and departments stay hidden."""
    stranger = Actor(id=caller, organisation_id=99, roles=roles, reach_whole_organisation=whole)
    person = PersonFacts(**{**HELD_BY_7.__dict__, "granter_ids": holders | {caller}})
    for permission in (Permission.VIEW_PRACTICE_RECORDS, Permission.RECORD_PRACTICE):
        assert decide(stranger, permission, person) is Decision.HIDE
    ward = OrganisationFacts(10, 100, holders | {caller})
    assert decide(stranger, Permission.VIEW_PRACTICE_REGISTER, ward) is Decision.HIDE


@given(roles=st.frozensets(st.sampled_from(AccountRole)), holds=st.booleans())
def test_only_a_holder_or_an_admin_records_a_grant(
    roles: frozenset[AccountRole], holds: bool
) -> None:
    caller = Actor(id=7, organisation_id=10, roles=roles)
    person = PersonFacts(**{**HELD_BY_7.__dict__, "granter_ids": frozenset({7} if holds else ())})
    decision = decide(caller, Permission.RECORD_PRACTICE, person)
    may = holds or AccountRole.ADMIN in roles
    assert (decision is Decision.ALLOW) == may

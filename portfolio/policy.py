"""Who may see and do what: the one place that decides.

Pure: the decisions take plain facts about the caller and the target (built by
`portfolio.access`) and return a `Decision`. Every route asks through `access.authorise`;
a route that never asks fails the request (see `access.check_policy_was_consulted`).

HIDE means the caller may not even know the thing exists (the page answers 404); FORBID means
they can see it but may not take this action on it (403).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field

from portfolio.core.roles import AccountRole


class Decision(enum.Enum):
    ALLOW = "allow"
    FORBID = "forbid"
    HIDE = "hide"


class Permission(enum.Enum):
    # Any signed-in, active person: their own home and account pages.
    USE_ACCOUNT = "use_account"
    # The competency frameworks and every job role's scope of practice (read only).
    BROWSE_FRAMEWORKS = "browse_frameworks"
    # A person's profile: job role history, supervisors, registration.
    VIEW_PERSON = "view_person"
    # The organisation's list of people, and adding someone.
    ADMINISTER_PEOPLE = "administer_people"
    EDIT_PERSON = "edit_person"
    DEACTIVATE_PERSON = "deactivate_person"
    RESET_PASSWORD = "reset_password"  # noqa: S105 - a permission's name, not a password
    # A person's qualifications (held, in progress, planned): themselves, admins, educators.
    RECORD_QUALIFICATION = "record_qualification"
    # IR(ME)R operator entitlement is the employer's grant: administrators only.
    GRANT_ENTITLEMENT = "grant_entitlement"
    # Practice records (entitlements, designations): whoever may see the person, and holders
    # of an authority to grant in their department, who grant (admins type a holder's grant in).
    VIEW_PRACTICE_RECORDS = "view_practice_records"
    RECORD_PRACTICE = "record_practice"
    RECORD_PRECEPTORSHIP = "record_preceptorship"  # educators in reach and admins
    VIEW_PRACTICE_REGISTER = "view_practice_register"  # a department's IR(ME)R record
    # Adding optional competencies to a worker's plan: their supervisor or an educator.
    PLAN_COMPETENCIES = "plan_competencies"
    # A support worker logs their own evidence and procedures (nobody logs for them).
    LOG_EVIDENCE = "log_evidence"
    # Reading a worker's evidence, attachments and procedure log.
    VIEW_EVIDENCE = "view_evidence"
    # Supervisors' and educators' lists of the support workers they look after.
    VIEW_SUPERVISEES = "view_supervisees"
    # The organisation's name, nation, departments, posts and local policies.
    ADMINISTER_ORGANISATION = "administer_organisation"
    VIEW_WORKERS_IN_REACH = "view_workers_in_reach"
    # A support worker asks for sign-off, or opens the point-of-care sign-off on their own
    # device (the assessor's authority comes from their own password and the framework's
    # rules in portfolio.signoff.rules, never from the worker's session).
    REQUEST_SIGN_OFF = "request_sign_off"
    # The assessor a request is addressed to decides it in their own session (eligibility:
    # signoff.rules). Target: the request (`SignOffRequestFacts`).
    DECIDE_SIGN_OFF = "decide_sign_off"
    # A practice educator countersigns a sign-off that needs it.
    COUNTERSIGN = "countersign"
    # Suspending, reinstating and revoking a sign-off: educators in reach and admins.
    MANAGE_SIGN_OFF = "manage_sign_off"
    # Typing in a sign-off made on paper or at a previous employer, and accepting a previous
    # employer's sign-off after one practice observed here: educators in reach and admins,
    # never for themselves (someone else must have seen the original).
    TRANSCRIBE_SIGN_OFF = "transcribe_sign_off"
    # Letting a sign-off go ahead without the supervised procedure minimum ("7 of 10"), with
    # a reason: educators in reach and admins. An assessor cannot, unless they are an educator
    # too: the person who decides is not the person who waives what the decision needs.
    OVERRIDE_MINIMUM = "override_minimum"
    # Removing text that may identify a patient from a saved record (evidence, a sign-off
    # decision): educators in reach and admins, never on their own record.
    REDACT_RECORD = "redact_record"
    # A witness confirms, as themselves, the supervised procedures that name them (through
    # the API, re-entering their password; on the pages they do it on the worker's device):
    # supervisors and assessors. Which lines name them is checked where they are read.
    CONFIRM_PROCEDURES = "confirm_procedures"
    # The to-do list of requests waiting (and, for educators, countersignatures).
    VIEW_TO_DO = "view_to_do"
    # The to-do list's sign-offs waiting for a practice educator's countersignature.
    VIEW_COUNTERSIGNATURES = "view_countersignatures"
    # "May this person do this task today, under what supervision?" and a person's printable
    # current scope: the person themselves, and any supervisor (a shift lead), educator or
    # administrator in their organisation, assigned or not: a shift lead asks about whoever
    # is on the rota. Reveals what they may do, never their evidence.
    VIEW_SCOPE_OF_PRACTICE = "view_scope_of_practice"
    # The shift view: who in a department may do a chosen task today.
    VIEW_SHIFT = "view_shift"
    # Importing a staff record extract (CSV): administrators, into their own organisation.
    # With an upload as the target (`UploadFacts`), only the administrator who uploaded it
    # may preview or confirm it.
    IMPORT_PEOPLE = "import_people"
    # A person's complete export (a ZIP of everything the portfolio holds about them): the
    # person themselves, and administrators of their organisation (a subject access request,
    # a leaver taking their record with them). Nobody else, supervisors and educators included.
    EXPORT_PORTFOLIO = "export_portfolio"
    # Bringing another organisation's export in as a person's records: administrators.
    IMPORT_PORTFOLIO = "import_portfolio"
    # The list of people who have left (deactivated accounts): administrators, and educators
    # for the support workers in their reach.
    VIEW_LEAVERS = "view_leavers"
    # A support worker's portfolio as a PDF (recorded, with a verification code): the worker
    # themselves, their assigned supervisors, educators within reach and administrators.
    PRINT_PORTFOLIO = "print_portfolio"
    # Every portfolio of a department, post or job role as one ZIP of PDFs, prepared in the
    # background: educators, for the support workers in their reach. With an export as the
    # target (`CohortExportFacts`), only the educator who asked for it may follow or download
    # it: the ZIP was chosen within their reach, not anyone else's.
    EXPORT_COHORT = "export_cohort"
    # Recording a review of a registrant's conditions of practice, after which they may assess
    # again (E1): practice educators who may see the person, never on themselves.
    REVIEW_REGISTRATION = "review_registration"
    # The organisation's approved-assessor lists (cannulation, ANTT, basic life support, MR
    # safety): educators and administrators of the organisation see and change them.
    MANAGE_ASSESSOR_LISTS = "manage_assessor_lists"


@dataclass(frozen=True)
class Actor:
    id: int
    organisation_id: int
    roles: frozenset[AccountRole]
    reach_whole_organisation: bool = False
    reach_department_ids: frozenset[int] = frozenset()

    def is_(self, role: AccountRole) -> bool:
        return role in self.roles


@dataclass(frozen=True)
class PersonFacts:
    """What the policy needs to know about a person someone wants to see or act on."""

    id: int
    organisation_id: int
    roles: frozenset[AccountRole]
    department_id: int | None = None  # current department, support workers only
    supervisor_ids: frozenset[int] = field(default_factory=frozenset)
    # Assessors a sign-off request of theirs is waiting on: asking someone to assess lets
    # them read the worker's evidence (nothing else) until it is decided or withdrawn.
    assessor_ids: frozenset[int] = field(default_factory=frozenset)
    # False for someone who has left (a deactivated account): their records are read only.
    active: bool = True
    granter_ids: frozenset[int] = field(default_factory=frozenset)  # who may grant there today


@dataclass(frozen=True)
class SignOffRequestFacts:
    """A sign-off request: whose it is and whose to-do list it waits on."""

    organisation_id: int
    worker_id: int
    assessor_id: int


@dataclass(frozen=True)
class OrganisationFacts:
    """Something that belongs to an organisation as a whole (the organisation, a department)."""

    organisation_id: int
    department_id: int | None = None
    granter_ids: frozenset[int] = field(default_factory=frozenset)  # as on `PersonFacts`


@dataclass(frozen=True)
class UploadFacts:
    """A staff record extract waiting between its preview and its import."""

    organisation_id: int
    uploaded_by_id: int


@dataclass(frozen=True)
class CohortExportFacts:
    """A cohort export: whose organisation, and who asked for it."""

    organisation_id: int
    requested_by_id: int


Target = PersonFacts | OrganisationFacts | SignOffRequestFacts | UploadFacts | CohortExportFacts


def educator_reaches(actor: Actor, department_id: int | None) -> bool:
    if not actor.is_(AccountRole.EDUCATOR):
        return False
    if actor.reach_whole_organisation:
        return True
    return department_id is not None and department_id in actor.reach_department_ids


def may_see_person(actor: Actor, person: PersonFacts) -> bool:
    if actor.id == person.id:
        return True
    if actor.organisation_id != person.organisation_id:
        return False
    if actor.is_(AccountRole.ADMIN):
        return True
    if _supervises(actor, person):
        return True
    if actor.is_(AccountRole.EDUCATOR):
        if actor.reach_whole_organisation:
            return True
        return AccountRole.SUPPORT_WORKER in person.roles and educator_reaches(
            actor, person.department_id
        )
    return False


def _supervises(actor: Actor, person: PersonFacts) -> bool:
    return actor.is_(AccountRole.SUPERVISOR) and actor.id in person.supervisor_ids


def _educator_or_admin_for(actor: Actor, person: PersonFacts) -> bool:
    """An educator whose reach takes in the person, or an administrator; never on oneself.
    Supervising or assessing someone gives no say over their record."""
    return actor.id != person.id and (
        educator_reaches(actor, person.department_id) or actor.is_(AccountRole.ADMIN)
    )


# What someone who may see the person may also do to them. Anyone who may not see the
# person gets HIDE (404) for all of these, before any rule here is asked.
_ON_A_PERSON: dict[Permission, Callable[[Actor, PersonFacts], bool]] = {
    Permission.VIEW_PERSON: lambda actor, person: True,
    Permission.VIEW_EVIDENCE: lambda actor, person: True,
    Permission.EDIT_PERSON: lambda actor, person: actor.is_(AccountRole.ADMIN),
    Permission.RESET_PASSWORD: lambda actor, person: actor.is_(AccountRole.ADMIN),
    # An admin cannot lock themselves out: another admin must do it.
    Permission.DEACTIVATE_PERSON: lambda actor, person: (
        actor.is_(AccountRole.ADMIN) and actor.id != person.id
    ),
    Permission.RECORD_QUALIFICATION: lambda actor, person: (
        actor.id == person.id
        or actor.is_(AccountRole.ADMIN)
        or educator_reaches(actor, person.department_id)
    ),
    # The employer's grant: nobody grants it to themselves.
    Permission.GRANT_ENTITLEMENT: lambda actor, person: (
        actor.is_(AccountRole.ADMIN) and actor.id != person.id
    ),
    Permission.PLAN_COMPETENCIES: lambda actor, person: (
        AccountRole.SUPPORT_WORKER in person.roles
        and (
            _supervises(actor, person)
            or educator_reaches(actor, person.department_id)
            or actor.is_(AccountRole.ADMIN)
        )
    ),
    Permission.LOG_EVIDENCE: lambda actor, person: (
        actor.id == person.id and actor.is_(AccountRole.SUPPORT_WORKER)
    ),
    Permission.REQUEST_SIGN_OFF: lambda actor, person: (
        actor.id == person.id and actor.is_(AccountRole.SUPPORT_WORKER)
    ),
    Permission.COUNTERSIGN: lambda actor, person: (
        actor.id != person.id and educator_reaches(actor, person.department_id)
    ),
    Permission.MANAGE_SIGN_OFF: lambda actor, person: _educator_or_admin_for(actor, person),
    Permission.RECORD_PRECEPTORSHIP: lambda actor, person: _educator_or_admin_for(actor, person),
    Permission.TRANSCRIBE_SIGN_OFF: lambda actor, person: _educator_or_admin_for(actor, person),
    Permission.OVERRIDE_MINIMUM: lambda actor, person: _educator_or_admin_for(actor, person),
    Permission.REDACT_RECORD: lambda actor, person: _educator_or_admin_for(actor, person),
    Permission.EXPORT_PORTFOLIO: lambda actor, person: (
        actor.id == person.id or actor.is_(AccountRole.ADMIN)
    ),
    # Everyone who may see the person (themselves, an assigned supervisor, an educator within
    # reach, an administrator), for a support worker: nobody else has a portfolio to print.
    Permission.PRINT_PORTFOLIO: lambda actor, person: AccountRole.SUPPORT_WORKER in person.roles,
    Permission.REVIEW_REGISTRATION: lambda actor, person: (
        actor.id != person.id and actor.is_(AccountRole.EDUCATOR)
    ),
}


# What changes a person's records. A leaver's portfolio is archived as it was: those allowed
# may still read it, and nobody changes it (FORBID) until an administrator reactivates them.
_CHANGES_A_RECORD = frozenset(
    {
        Permission.EDIT_PERSON,
        Permission.RESET_PASSWORD,
        Permission.RECORD_QUALIFICATION,
        Permission.GRANT_ENTITLEMENT,
        Permission.PLAN_COMPETENCIES,
        Permission.LOG_EVIDENCE,
        Permission.REQUEST_SIGN_OFF,
        Permission.COUNTERSIGN,
        Permission.MANAGE_SIGN_OFF,
        Permission.TRANSCRIBE_SIGN_OFF,
        Permission.OVERRIDE_MINIMUM,
        Permission.RECORD_PRACTICE,
        Permission.RECORD_PRECEPTORSHIP,
        Permission.REVIEW_REGISTRATION,
        # Not REDACT_RECORD: a patient identifier is removed from a leaver's record too.
    }
)


_RUN_A_SHIFT = frozenset({AccountRole.SUPERVISOR, AccountRole.EDUCATOR, AccountRole.ADMIN})
_PRACTICE = (
    Permission.VIEW_PRACTICE_RECORDS,
    Permission.RECORD_PRACTICE,
    Permission.VIEW_PRACTICE_REGISTER,
)


def _assesses(actor: Actor) -> bool:
    return bool(actor.roles & {AccountRole.SUPERVISOR, AccountRole.EDUCATOR})


def decide(actor: Actor, permission: Permission, target: Target | None = None) -> Decision:
    if permission is Permission.DECIDE_SIGN_OFF:
        assert isinstance(target, SignOffRequestFacts)
        # Only the assessor it waits on: nobody else learns the request exists.
        addressed = actor.id == target.assessor_id != target.worker_id
        same = actor.organisation_id == target.organisation_id
        return Decision.ALLOW if addressed and same and _assesses(actor) else Decision.HIDE
    if (
        permission is Permission.VIEW_EVIDENCE
        and isinstance(target, PersonFacts)
        and actor.id in target.assessor_ids
        and actor.organisation_id == target.organisation_id
        and _assesses(actor)
    ):
        return Decision.ALLOW
    if permission is Permission.VIEW_SCOPE_OF_PRACTICE:
        assert isinstance(target, PersonFacts)
        if actor.id == target.id:
            return Decision.ALLOW
        if actor.organisation_id != target.organisation_id:
            return Decision.HIDE
        visible = bool(actor.roles & _RUN_A_SHIFT) or may_see_person(actor, target)
        return Decision.ALLOW if visible else Decision.HIDE
    if permission in _PRACTICE:
        return _practice(actor, permission, target)
    if permission in _ON_A_PERSON:
        assert isinstance(target, PersonFacts)
        if not may_see_person(actor, target):
            return Decision.HIDE
        if permission in _CHANGES_A_RECORD and not target.active:
            return Decision.FORBID
        return _allow_if(_ON_A_PERSON[permission](actor, target))
    match permission:
        case Permission.USE_ACCOUNT | Permission.BROWSE_FRAMEWORKS:
            return Decision.ALLOW
        case Permission.ADMINISTER_PEOPLE | Permission.IMPORT_PORTFOLIO:
            return _allow_if(actor.is_(AccountRole.ADMIN))
        case Permission.VIEW_LEAVERS:
            return _allow_if(bool(actor.roles & {AccountRole.ADMIN, AccountRole.EDUCATOR}))
        case Permission.VIEW_SUPERVISEES:
            return _allow_if(actor.is_(AccountRole.SUPERVISOR))
        case Permission.VIEW_WORKERS_IN_REACH:
            return _allow_if(actor.is_(AccountRole.EDUCATOR))
        case Permission.VIEW_SHIFT:
            if target is not None and target.organisation_id != actor.organisation_id:
                return Decision.HIDE
            return _allow_if(bool(actor.roles & _RUN_A_SHIFT))
        case Permission.VIEW_TO_DO:
            return _allow_if(_assesses(actor))
        case Permission.VIEW_COUNTERSIGNATURES:
            return _allow_if(actor.is_(AccountRole.EDUCATOR))
        case Permission.CONFIRM_PROCEDURES:
            return _allow_if(actor.is_(AccountRole.SUPERVISOR))
        case Permission.IMPORT_PEOPLE:
            if isinstance(target, UploadFacts) and target.uploaded_by_id != actor.id:
                return Decision.HIDE  # nobody else learns what was uploaded
            if target is not None and target.organisation_id != actor.organisation_id:
                return Decision.HIDE
            return _allow_if(actor.is_(AccountRole.ADMIN))
        case Permission.EXPORT_COHORT:
            if isinstance(target, CohortExportFacts) and (
                target.requested_by_id != actor.id
                or target.organisation_id != actor.organisation_id
            ):
                return Decision.HIDE  # nobody else learns what was exported
            return _allow_if(actor.is_(AccountRole.EDUCATOR))
        case Permission.ADMINISTER_ORGANISATION | Permission.MANAGE_ASSESSOR_LISTS:
            if target is not None and target.organisation_id != actor.organisation_id:
                return Decision.HIDE
            keepers = {AccountRole.ADMIN} | (
                {AccountRole.EDUCATOR} if permission is Permission.MANAGE_ASSESSOR_LISTS else set()
            )
            return _allow_if(bool(actor.roles & keepers))
    raise AssertionError(f"no rule for {permission}")  # pragma: no cover - enum is exhaustive


def _practice(actor: Actor, permission: Permission, on: Target | None) -> Decision:
    """Holders see and grant, admins type a grant in; never to oneself, nor a leaver."""
    assert isinstance(on, PersonFacts | OrganisationFacts)
    grants = actor.id in on.granter_ids and actor.organisation_id == on.organisation_id
    if isinstance(on, OrganisationFacts):  # a department's record
        if actor.organisation_id != on.organisation_id:
            return Decision.HIDE
        reaches = educator_reaches(actor, on.department_id)
        return _allow_if(grants or reaches or actor.is_(AccountRole.ADMIN))
    if not (grants or may_see_person(actor, on)):
        return Decision.HIDE
    if permission is Permission.VIEW_PRACTICE_RECORDS:
        return Decision.ALLOW
    if not on.active:
        return Decision.FORBID
    return _allow_if(actor.id != on.id and (grants or actor.is_(AccountRole.ADMIN)))


def _allow_if(condition: bool) -> Decision:
    return Decision.ALLOW if condition else Decision.FORBID

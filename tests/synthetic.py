"""A synthetic trust of any size, for benchmarks and for query-count tests that grow it.

Rows go in with bulk Core inserts (the services would take hours for 100,000 pieces of
evidence); what they insert is what the services would: the shipped frameworks (loaded through
the real loader), support workers with a job role and post in a department, supervisors with
registrations, evidence with versions and links inside each worker's scope, and sign-offs,
some expired, some due, some awaiting countersignature, plus requests waiting on assessors.
Names and numbers are invented. Nothing here is audited: this is test data, not a record.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from portfolio.audit.services import Auditor
from portfolio.core.clock import today, utcnow
from portfolio.core.passwords import hash_password
from portfolio.core.roles import AccountRole, JobRole, Nation
from portfolio.evidence import earliest
from portfolio.evidence.models import (
    Evidence,
    EvidenceKind,
    EvidenceLink,
    EvidenceVersion,
    ProcedureLine,
    ProcedureOutcome,
)
from portfolio.frameworks import loading
from portfolio.frameworks import queries as frameworks
from portfolio.frameworks.files import SHIPPED, discover, read_set
from portfolio.frameworks.models import Post
from portfolio.frameworks.rules import resolve_scope
from portfolio.people.models import (
    Appointment,
    Department,
    Organisation,
    SupervisorAssignment,
    User,
    UserAccountRole,
)
from portfolio.people.registers import RegisterCheckResult, RegisterType
from portfolio.signoff.models import (
    Authentication,
    RequestState,
    SignOffDecision,
    SignOffRequest,
)
from portfolio.standing.status import Outcome, SupervisionLevel

PASSWORD = "synthetic-trust-2026"
JOB_ROLES = (JobRole.CSW, JobRole.SCSW, JobRole.MA, JobRole.AP)
# The small trust the growth tests start from, before doubling one dimension.
BASE = {"workers": 8, "evidence_each": 3, "sign_offs_each": 3, "competencies_each": 4}


@dataclass
class Trust:
    organisation_id: int
    department_ids: list[int]
    worker_ids: list[int] = field(default_factory=list)
    supervisor_ids: list[int] = field(default_factory=list)
    educator_id: int = 0
    # (worker, department) for picking a department of a known size.
    department_of: dict[int, int] = field(default_factory=dict)


def load_frameworks(session: Session, key: bytes) -> None:
    loading.load(
        Auditor(session, key=key, actor_id=None), read_set(discover(SHIPPED), SHIPPED.parent)
    )


def scopes_by_job_role(session: Session) -> dict[JobRole, list[str]]:
    definitions = frameworks.scope_definitions(session)
    chains = {code: pair[0] for code, pair in definitions.items()}
    return {
        scope.job_role: list(resolve_scope(chains, code))
        for code, (_, scope) in definitions.items()
        if scope.job_role is not None
    }


_numbers: Iterator[int] = itertools.count(1)


def _users(
    session: Session, organisation_id: int, count: int, role: AccountRole, stem: str, password: str
) -> list[int]:
    rows = []
    for _ in range(count):
        number = next(_numbers)
        row = {
            "organisation_id": organisation_id,
            "email": f"{stem}{number}@synthetic.example",
            "name": f"{stem.capitalize()} {number}",
            "password_hash": password,
            "active": True,
            "session_version": 1,
            "must_change_password": False,
            "created_at": utcnow(),
            "register": RegisterType.NONE,
            "reach_whole_organisation": role is AccountRole.EDUCATOR,
        }
        if role is AccountRole.SUPERVISOR:
            row |= {
                "profession": "radiographer",
                "register": RegisterType.HCPC,
                "register_number": f"RA{number:06d}",
                "register_checked_on": today() - dt.timedelta(days=10),
                "register_check_result": RegisterCheckResult.REGISTERED,
            }
        rows.append(row)
    ids = list(session.scalars(insert(User).returning(User.id), rows))
    session.execute(insert(UserAccountRole), [{"user_id": i, "role": role} for i in ids])
    return ids


def seed(
    session: Session,
    *,
    key: bytes,
    workers: int,
    departments: int = 10,
    evidence_each: int = 10,
    sign_offs_each: int = 4,
    competencies_each: int | None = None,
    supervisors: int | None = None,
    requests_each_supervisor: int = 5,
    frameworks_loaded: bool = False,
) -> Trust:
    """A trust with `workers` support workers spread over `departments` and the four job roles.

    `competencies_each` limits how much of each worker's scope their records touch (None: all).
    Each worker has `evidence_each` pieces of evidence (each linked to one competency) and
    `sign_offs_each` decisions spread over their scope: one in ten expired, one in ten due,
    one in twenty awaiting countersignature, the rest competent and current.
    """
    if not frameworks_loaded:
        load_frameworks(session, key)
    scopes = scopes_by_job_role(session)
    password = hash_password(PASSWORD)
    organisation = Organisation(name=f"Synthetic trust {next(_numbers)}", nation=Nation.ENGLAND)
    session.add(organisation)
    session.flush()
    department_ids = list(
        session.scalars(
            insert(Department).returning(Department.id),
            [
                {"organisation_id": organisation.id, "name": f"Department {number + 1}"}
                for number in range(departments)
            ],
        )
    )
    trust = Trust(organisation.id, department_ids)
    posts = {
        (department_id, job_role): post_id
        for department_id in department_ids
        for job_role, post_id in zip(
            JOB_ROLES,
            session.scalars(
                insert(Post).returning(Post.id),
                [
                    {
                        "department_id": department_id,
                        "name": f"{job_role.label} post",
                        "job_role": job_role,
                        "active": True,
                    }
                    for job_role in JOB_ROLES
                ],
            ),
            strict=True,
        )
    }
    trust.worker_ids = _users(
        session, organisation.id, workers, AccountRole.SUPPORT_WORKER, "worker", password
    )
    supervisor_count = supervisors if supervisors is not None else max(1, workers // 30)
    trust.supervisor_ids = _users(
        session, organisation.id, supervisor_count, AccountRole.SUPERVISOR, "assessor", password
    )
    [trust.educator_id] = _users(
        session, organisation.id, 1, AccountRole.EDUCATOR, "educator", password
    )
    start = today() - dt.timedelta(days=3 * 365)
    appointments, assignments = [], []
    job_role_of: dict[int, JobRole] = {}
    for index, worker_id in enumerate(trust.worker_ids):
        job_role = JOB_ROLES[index % len(JOB_ROLES)]
        department_id = department_ids[index % len(department_ids)]
        job_role_of[worker_id] = job_role
        trust.department_of[worker_id] = department_id
        appointments.append(
            {
                "user_id": worker_id,
                "effective_from": start,
                "job_role": job_role,
                "trainee": False,
                "afc_band": {"csw": "2", "scsw": "3", "ma": "4", "ap": "4"}[job_role.value],
                "department_id": department_id,
                "post_id": posts[(department_id, job_role)],
                "started_in_post_on": start,
                "recorded_at": utcnow(),
            }
        )
        assignments.append(
            {
                "worker_id": worker_id,
                "supervisor_id": trust.supervisor_ids[index % supervisor_count],
                "starts_on": start,
            }
        )
    session.execute(insert(Appointment), appointments)
    session.execute(insert(SupervisorAssignment), assignments)
    _records(session, trust, job_role_of, scopes, evidence_each, sign_offs_each, competencies_each)
    _requests(session, trust, job_role_of, scopes, requests_each_supervisor)
    session.flush()
    return trust


def _records(
    session: Session,
    trust: Trust,
    job_role_of: dict[int, JobRole],
    scopes: dict[JobRole, list[str]],
    evidence_each: int,
    sign_offs_each: int,
    competencies_each: int | None,
) -> None:
    now, on = utcnow(), today()
    evidence_ids = (
        list(
            session.scalars(
                insert(Evidence).returning(Evidence.id),
                [
                    {"worker_id": worker_id, "created_at": now}
                    for worker_id in trust.worker_ids
                    for _ in range(evidence_each)
                ],
            )
        )
        if evidence_each
        else []
    )
    versions, codes_of_version = [], []
    for position, evidence_id in enumerate(evidence_ids):
        worker_id = trust.worker_ids[position // evidence_each]
        codes = _touched(scopes[job_role_of[worker_id]], competencies_each)
        code = codes[position % len(codes)]
        versions.append(
            {
                "evidence_id": evidence_id,
                "number": 1,
                "kind": EvidenceKind.REFLECTIVE_ACCOUNT,
                "title": f"Reflection {position}",
                "activity_on": on - dt.timedelta(days=position % 700 + 1),
                "body": "What I did, and what I learned.",
                "frozen": False,
                "created_at": now,
                "updated_at": now,
            }
        )
        codes_of_version.append(code)
    if versions:
        version_ids = list(
            session.scalars(insert(EvidenceVersion).returning(EvidenceVersion.id), versions)
        )
        session.execute(
            insert(EvidenceLink),
            [
                {"version_id": version_id, "competency_code": code}
                for version_id, code in zip(version_ids, codes_of_version, strict=True)
            ],
        )
    decisions, lines = [], []
    for worker_id in trust.worker_ids:
        codes = _touched(scopes[job_role_of[worker_id]], competencies_each)
        for number in range(sign_offs_each):
            code = codes[number % len(codes)]
            decisions.append(_decision(worker_id, code, number, trust.supervisor_ids[0], on, now))
        lines.append(
            {
                "worker_id": worker_id,
                "competency_code": codes[0],
                "performed_on": on - dt.timedelta(days=3),
                "setting": "CT",
                "outcome": ProcedureOutcome.SUCCESSFUL,
                "witness_id": trust.supervisor_ids[0],
                "recorded_at": now,
            }
        )
    if decisions:
        session.execute(insert(SignOffDecision), decisions)
    session.execute(insert(ProcedureLine), lines)
    # Bulk inserts bypass the flush that keeps each worker's earliest evidence.
    earliest.refresh(session, trust.worker_ids)


def _touched(scope: Sequence[str], limit: int | None) -> Sequence[str]:
    return scope[:limit] if limit else scope


def _decision(
    worker_id: int, code: str, number: int, assessor_id: int, on: dt.date, now: dt.datetime
) -> dict[str, object]:
    # Spread the picture: most current, some due, some expired, some awaiting countersignature.
    kind = number % 20
    if kind in (0, 10):
        observed = on - dt.timedelta(days=400)  # expired
    elif kind in (1, 11):
        observed = on - dt.timedelta(days=330)  # due for reassessment
    else:
        observed = on - dt.timedelta(days=30 + number)
    return {
        "worker_id": worker_id,
        "competency_code": code,
        "outcome": Outcome.COMPETENT,
        "supervision": SupervisionLevel.INDIRECT,
        "conditions": "",
        "observed_on": observed,
        "recorded_at": now,
        "recorded_on": observed,
        "expires_on": observed + dt.timedelta(days=365),
        "framework_code": "imaging-support",
        "framework_version": "1",
        "procedures_required": 0,
        "reassessment_months": 12,
        "assessor_id": assessor_id,
        "assessor_name": "Assessor",
        "assessor_register": RegisterType.HCPC,
        "authentication": Authentication.POINT_OF_CARE,
        "declared_at": now,
        "countersignature_required": kind == 5,
    }


def _requests(
    session: Session,
    trust: Trust,
    job_role_of: dict[int, JobRole],
    scopes: dict[JobRole, list[str]],
    each: int,
) -> None:
    supervised: dict[int, list[int]] = {}
    rows = session.execute(
        select(SupervisorAssignment.supervisor_id, SupervisorAssignment.worker_id).where(
            SupervisorAssignment.supervisor_id.in_(trust.supervisor_ids)
        )
    )
    for supervisor_id, worker_id in rows:
        supervised.setdefault(supervisor_id, []).append(worker_id)
    requests = [
        {
            "worker_id": worker_id,
            "competency_code": scopes[job_role_of[worker_id]][-1],
            "assessor_id": supervisor_id,
            "state": RequestState.WAITING,
            "requested_at": utcnow(),
            "requested_on": today() - dt.timedelta(days=index),
            "declared_at": utcnow(),
        }
        for supervisor_id, workers in supervised.items()
        for index, worker_id in enumerate(workers[:each])
    ]
    if requests:
        session.execute(insert(SignOffRequest), requests)

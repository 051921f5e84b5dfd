"""Read operations: who am I, the frameworks, the support workers I may see, and a worker's
statuses, progress and scope of practice. Each loads (404), asks the policy as the pages do
(`access.authorise`), reads through the pages' own queries and answers plain values."""

from __future__ import annotations

from flask import abort, g
from flask_login import current_user
from sqlalchemy import or_, select

from portfolio.access import authorise, current_actor, load_person, public
from portfolio.api import pagination, schemas
from portfolio.api.auth import current_token
from portfolio.api.blueprint import api, blueprint
from portfolio.api.models import ApiToken
from portfolio.api.openapi import document
from portfolio.api.problems import invalid
from portfolio.api.services import expires_on
from portfolio.careers.queries import worker_scope_of
from portfolio.core.clock import today
from portfolio.core.roles import AccountRole, JobRole, job_role_title
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.frameworks import queries as frameworks
from portfolio.oversight import matrix as oversight_matrix
from portfolio.oversight.queries import Reach, workers
from portfolio.people.models import SupervisorAssignment, User
from portfolio.people.queries import appointment_on
from portfolio.policy import Actor, Decision, Permission, PersonFacts, decide
from portfolio.progress.queries import worker_progress
from portfolio.reckoner import queries as reckoner
from portfolio.reckoner.standings import Options
from portfolio.signoff.shown import statuses_with_shown

PEOPLE = "People"
FRAMEWORKS = "Frameworks"


def due_days() -> int:
    return get_settings().reassessment_due_days


@blueprint.route("/openapi.json")
@public
def openapi_json() -> dict[str, object]:
    """The OpenAPI 3.1 document, open to anyone: it describes, it holds no data."""
    g.policy_consulted = True
    return document(api)


@api.operation(
    "GET", "/v1/me", summary="The person the token acts as", tag=PEOPLE, response=schemas.Me
)
def me() -> schemas.Me:
    authorise(Permission.USE_ACCOUNT)
    user: User = current_user._get_current_object()
    appointment = appointment_on(get_session(), user.id, today())
    token = get_session().get_one(ApiToken, current_token().id)
    return schemas.Me(
        id=user.id,
        name=user.name,
        email=user.email,
        organisation=schemas.Named(id=user.organisation.id, name=user.organisation.name),
        account_roles=sorted(user.roles),
        job_role=appointment.job_role if appointment else None,
        job_role_title=job_role_title(appointment.job_role, appointment.trainee)
        if appointment
        else None,
        department=schemas.Named(id=appointment.department.id, name=appointment.department.name)
        if appointment and appointment.department
        else None,
        token=schemas.TokenInfo(scope=token.scope, expires_on=expires_on(token)),
    )


@api.operation(
    "GET",
    "/v1/frameworks",
    summary="Competency framework versions",
    tag=FRAMEWORKS,
    query=schemas.ListQuery,
    response=schemas.FrameworkPage,
)
def frameworks_list(query: schemas.ListQuery) -> schemas.Output:
    authorise(Permission.BROWSE_FRAMEWORKS)
    items, cursor = pagination.page(
        frameworks.versions(get_session()),  # by code, newest version first
        lambda item: (item.framework_code, -item.sequence),
        limit=query.limit,
        cursor=query.cursor,
    )
    return schemas.FrameworkPage(
        items=[
            schemas.Framework(
                code=item.framework_code,
                kind=item.kind,
                title=item.title,
                version=item.version,
                published_on=item.published_on,
                current=item.is_current,
            )
            for item in items
        ],
        next_cursor=cursor,
    )


@api.operation(
    "GET",
    "/v1/competencies",
    summary="The competencies of the current frameworks",
    tag=FRAMEWORKS,
    query=schemas.ListQuery,
    response=schemas.CompetencyPage,
)
def competencies(query: schemas.ListQuery) -> schemas.Output:
    authorise(Permission.BROWSE_FRAMEWORKS)
    rows = sorted(
        (
            schemas.Competency(
                code=view.code,
                title=view.title,
                domain=view.definition.domain,
                level=view.definition.level,
                framework=view.framework_code,
                framework_version=view.version,
                expires=view.definition.expires,
                countersignature_required=view.definition.countersignature_required,
            )
            for view in frameworks.current_competencies(get_session()).values()
        ),
        key=lambda row: row.code,
    )
    items, cursor = pagination.page(
        rows, lambda row: (row.code,), limit=query.limit, cursor=query.cursor
    )
    return schemas.CompetencyPage(items=items, next_cursor=cursor)


@api.operation(
    "GET",
    "/v1/scopes/<job_role>",
    summary="A job role's scope of practice",
    tag=FRAMEWORKS,
    response=schemas.Scope,
)
def scope(job_role: str) -> schemas.Scope:
    authorise(Permission.BROWSE_FRAMEWORKS)
    try:
        role = JobRole(job_role)
    except ValueError:
        abort(404)
    view = frameworks.scope_for(get_session(), role)
    if view is None:
        abort(404)
    return schemas.Scope(
        job_role=role,
        title=view.scope.title,
        competencies=[
            schemas.ScopeItem(code=competency.code, title=competency.title, core=item.core)
            for item, competency in view.items
        ],
    )


@api.operation(
    "GET",
    "/v1/workers",
    summary="Support workers you may see",
    tag=PEOPLE,
    query=schemas.WorkerFilters,
    response=schemas.WorkerPage,
)
def workers_list(query: schemas.WorkerFilters) -> schemas.Output:
    """Active support workers with a job role on the date, by name: everyone an administrator
    or an educator reaching the whole organisation sees, an educator's departments, a
    supervisor's assigned workers, yourself. Who may be seen is decided by the policy on
    today's facts, as for their pages (a past or future date never widens it); each row then
    shows the worker as they were on the date."""
    authorise(Permission.USE_ACCOUNT)
    actor, session, on = current_actor(), get_session(), query.on or today()
    on_the_date = workers(session, Reach(actor.organisation_id, whole_organisation=True), on)
    may_see = _visible_today(actor, on_the_date if on == today() else None)
    visible = [
        worker
        for worker in oversight_matrix.select_workers(
            on_the_date,
            oversight_matrix.Filters(
                department_id=query.department_id, post_id=query.post_id, job_role=query.job_role
            ),
        )
        if worker.id in may_see
    ]
    rows = [
        schemas.Worker(
            id=worker.id,
            name=worker.name,
            job_role=worker.job_role,
            job_role_title=worker.job_role_title,
            department=schemas.Named(id=worker.department_id, name=worker.department),
            post=schemas.Named(id=worker.post_id, name=worker.post)
            if worker.post_id is not None and worker.post is not None
            else None,
            started_in_post_on=worker.started_in_post_on,
        )
        for worker in visible
    ]
    items, cursor = pagination.page(
        rows, lambda row: (row.name.lower(), row.id), limit=query.limit, cursor=query.cursor
    )
    return schemas.WorkerPage(items=items, next_cursor=cursor)


def _visible_today(actor: Actor, today_workers: list[oversight_matrix.Worker] | None) -> set[int]:
    """The support workers VIEW_PERSON lets the actor see today: their department and
    supervisors as of today, as `access.person_facts` reads them for the profile page."""
    session, now = get_session(), today()
    if today_workers is None:
        today_workers = workers(session, Reach(actor.organisation_id, whole_organisation=True), now)
    supervised = set(
        session.scalars(
            select(SupervisorAssignment.worker_id).where(
                SupervisorAssignment.supervisor_id == actor.id,
                SupervisorAssignment.starts_on <= now,
                or_(SupervisorAssignment.ends_on.is_(None), SupervisorAssignment.ends_on >= now),
            )
        )
    )
    return {
        worker.id
        for worker in today_workers
        if decide(
            actor,
            Permission.VIEW_PERSON,
            PersonFacts(
                id=worker.id,
                organisation_id=actor.organisation_id,
                roles=frozenset({AccountRole.SUPPORT_WORKER}),
                department_id=worker.department_id,
                supervisor_ids=frozenset({actor.id}) if worker.id in supervised else frozenset(),
            ),
        )
        is Decision.ALLOW
    }


@api.operation(
    "GET",
    "/v1/workers/<int:person_id>/competencies",
    summary="A worker's competencies with their status on a date",
    tag=PEOPLE,
    query=schemas.DatedListQuery,
    response=schemas.StatusPage,
)
def statuses(person_id: int, query: schemas.DatedListQuery) -> schemas.Output:
    """Every competency in the worker's scope of practice on the date, by code, with its
    status as the portfolio held it at the end of that day."""
    person, _ = load_person(person_id, Permission.VIEW_PERSON)
    on, session = query.on or today(), get_session()
    scope_now = worker_scope_of(session, person.id, on)
    rows = scope_now.rows if scope_now else []
    found, shown = statuses_with_shown(
        session, person.id, [row.code for row in rows], on, due_window_days=due_days()
    )
    answers = [
        schemas.CompetencyStatus(
            code=row.code,
            title=row.title,
            domain=row.domain,
            requirement=row.requirement.label,
            status=found[row.code].status,
            status_label=shown[row.code].text
            if row.code in shown
            else found[row.code].status.label,
            reason=found[row.code].reason(),
            may_practise=found[row.code].may_practise and row.code not in shown,
            prerequisite_lapsed=row.code in shown and shown[row.code].lapsed,
            not_entitled=row.code in shown and shown[row.code].unentitled,
            supervision=found[row.code].supervision,
            conditions=list(found[row.code].conditions),
            expires_on=found[row.code].expires_on,
            since=found[row.code].since,
        )
        for row in rows
    ]
    items, cursor = pagination.page(
        answers, lambda item: (item.code,), limit=query.limit, cursor=query.cursor
    )
    return schemas.StatusPage(items=items, next_cursor=cursor)


@api.operation(
    "GET",
    "/v1/workers/<int:person_id>/progress",
    summary="A worker's progress against their scope and towards the next job role",
    tag=PEOPLE,
    response=schemas.Progress,
)
def progress(person_id: int) -> schemas.Progress:
    person, _ = load_person(person_id, Permission.VIEW_PERSON)
    found = worker_progress(get_session(), person, today(), due_window_days=due_days())

    def tally(value: object) -> schemas.Tally | None:
        if value is None:
            return None
        return schemas.Tally(done=value.done, total=value.total, percent=value.percent)  # type: ignore[attr-defined]

    scope_progress = found.progress
    return schemas.Progress(
        person_id=person.id,
        on=found.on,
        job_role=found.scope.job_role if found.scope else None,
        overall=tally(scope_progress.overall) if scope_progress else None,
        by_domain=[
            schemas.DomainTally(domain=item.domain, tally=tally(item.tally))  # type: ignore[arg-type]
            for item in (scope_progress.by_domain if scope_progress else ())
        ],
        due=list(scope_progress.due if scope_progress else ()),
        expired=list(scope_progress.expired if scope_progress else ()),
        next_steps=schemas.NextSteps(
            evidence_needed=list(found.next_steps.evidence_needed),
            procedures_awaiting=found.next_steps.procedures_awaiting,
            requests_waiting=found.next_steps.requests_waiting,
            feedback=list(found.next_steps.feedback),
        ),
        next_job_role=found.readiness.next_job_role if found.readiness else None,
        next_job_role_competencies=tally(found.readiness.competencies) if found.readiness else None,
    )


@api.operation(
    "GET",
    "/v1/workers/<int:person_id>/reckoner",
    summary="May this person do this task on this date, and under what supervision?",
    tag=PEOPLE,
    query=schemas.ReckonerQuery,
    response=schemas.ReckonerAnswer,
)
def reckoner_answer(person_id: int, query: schemas.ReckonerQuery) -> schemas.ReckonerAnswer:
    """The scope of practice reckoner's answer, as on the person's scope of practice page:
    may or may not, the supervision and conditions, until when, and why."""
    person, _ = load_person(person_id, Permission.VIEW_SCOPE_OF_PRACTICE)
    session, on = get_session(), query.on or today()
    known = frameworks.current_competencies(session)
    if query.task not in known:
        raise invalid("task", "No current framework has a competency with this code")
    result = reckoner.scope_answers(
        session, person.id, on, task=query.task, options=Options.of(get_settings())
    )
    answer = result.task
    assert answer is not None
    return schemas.ReckonerAnswer(
        person_id=person.id,
        task=answer.code,
        on=on,
        may=answer.may,
        answer=answer.label,
        status=answer.status,
        in_scope=answer.in_scope,
        supervision=answer.supervision,
        conditions=list(answer.condition_labels),
        valid_until=answer.valid_until,
        signed_off_on=answer.signed_off_on,
        signed_off_by=answer.signed_off_by,
        reason=answer.reason,
        missing=list(answer.missing),
        note=answer.note,
    )

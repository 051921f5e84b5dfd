"""Sign-off through the API: the assessors a worker may ask, asking, an assessor's list of
requests waiting on them, and deciding one with their password entered again. The rules are
`signoff.rules` and `signoff.services`, exactly as on the pages."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from portfolio.access import authorise
from portfolio.api import pagination, schemas
from portfolio.api.blueprint import api
from portfolio.api.evidence import identifier_problem
from portfolio.api.problems import Problem, invalid, refused
from portfolio.api.views import due_days
from portfolio.core.clock import today
from portfolio.core.identifiers import IdentifierFoundError
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.people.models import User
from portfolio.policy import Permission, SignOffRequestFacts
from portfolio.signoff import queries, services
from portfolio.signoff.models import Authentication, SignOffRequest
from portfolio.signoff.views import _context, _me, auditor_for
from portfolio.unit_of_work import doom, keep_despite_refusal
from portfolio.web import auditor, check_credentials

SIGN_OFF = "Sign-off"


def _register_days() -> int:
    return get_settings().register_check_valid_days


@api.operation(
    "GET",
    "/v1/competencies/<code>/assessors",
    summary="Who may sign this competency off for you today",
    tag=SIGN_OFF,
    query=schemas.ListQuery,
    response=schemas.AssessorPage,
)
def assessors(code: str, query: schemas.ListQuery) -> schemas.Output:
    """The colleagues the framework allows to assess it for you (register, profession,
    qualification, their own current sign-off where asked, a register check in date)."""
    worker = _me(Permission.REQUEST_SIGN_OFF)
    on = today()
    context = _context(worker, code, on, in_scope=True)
    eligible, _ = queries.eligible_assessors(
        get_session(),
        context,
        on,
        due_window_days=due_days(),
        register_check_valid_days=_register_days(),
    )
    items, cursor = pagination.page(
        sorted(eligible, key=lambda person: (person.name.lower(), person.id)),
        lambda person: (person.name.lower(), person.id),
        limit=query.limit,
        cursor=query.cursor,
    )
    return schemas.AssessorPage(
        items=[
            schemas.Assessor(id=person.id, name=person.name, profession=person.profession)
            for person in items
        ],
        next_cursor=cursor,
    )


def _request_answer(request: SignOffRequest) -> schemas.SignOffRequest:
    return schemas.SignOffRequest(
        id=request.id,
        worker_id=request.worker_id,
        competency_code=request.competency_code,
        assessor_id=request.assessor_id,
        state=request.state.value,
        requested_on=request.requested_on,
    )


@api.operation(
    "POST",
    "/v1/sign-off-requests",
    summary="Ask an eligible assessor to sign a competency off",
    tag=SIGN_OFF,
    body=schemas.NewSignOffRequest,
    response=schemas.SignOffRequest,
    status=201,
    errors=(415,),
)
def request_create(body: schemas.NewSignOffRequest) -> schemas.SignOffRequest:
    """Refused (422) while anything required is missing, such as supervised procedures still
    to be confirmed or a prerequisite out of date; the chosen evidence is frozen."""
    worker = _me(Permission.REQUEST_SIGN_OFF)
    on, session = today(), get_session()
    context = _context(worker, body.competency_code, on, in_scope=True)
    _, facts = queries.eligible_assessors(
        session, context, on, due_window_days=due_days(), register_check_valid_days=_register_days()
    )
    try:
        if body.assessor_id not in facts:
            raise services.SignOffError("assessor_id", "Choose an assessor who may sign this off")
        created = services.request_sign_off(
            auditor(),
            worker,
            context,
            assessor=facts[body.assessor_id],
            evidence_ids=body.evidence_ids,
            declared=body.declaration,
            on=on,
            register_check_valid_days=_register_days(),
        )
    except services.SignOffError as error:
        doom()
        raise invalid(error.field, error.message) from None
    return _request_answer(created)


@api.operation(
    "GET",
    "/v1/sign-off-requests",
    summary="Requests waiting on you, oldest first",
    tag=SIGN_OFF,
    query=schemas.ListQuery,
    response=schemas.WaitingPage,
)
def requests_waiting(query: schemas.ListQuery) -> schemas.Output:
    authorise(Permission.VIEW_TO_DO)
    me: User = current_user._get_current_object()
    rows = queries.to_do(get_session(), me.id, today())
    items, cursor = pagination.page(
        rows,
        lambda row: (row.requested_at.isoformat(), row.request_id),
        limit=query.limit,
        cursor=query.cursor,
    )
    return schemas.WaitingPage(
        items=[
            schemas.WaitingRequest(
                id=row.request_id,
                worker_id=row.worker_id,
                worker=row.worker,
                competency_code=row.competency_code,
                competency=row.competency,
                requested_at=row.requested_at,
                waiting_days=row.waiting_days,
            )
            for row in items
        ],
        next_cursor=cursor,
    )


@api.operation(
    "POST",
    "/v1/sign-off-requests/<int:request_id>/decision",
    summary="Decide a request waiting on you, with your password",
    tag=SIGN_OFF,
    body=schemas.NewDecision,
    response=schemas.Decision,
    status=201,
    errors=(409, 415),
)
def decide(request_id: int, body: schemas.NewDecision) -> schemas.Decision:
    """Only the assessor the request waits on decides it, re-entering their password (counted
    like a sign-in; a temporary password is refused). Competent needs a supervision level;
    not yet competent needs what went well, what to develop and an action plan. Another
    decision got there first: 409, and nothing of this one is saved."""
    session = get_session()
    waiting = session.get(SignOffRequest, request_id)
    if waiting is None:
        abort(404)
    worker = session.get_one(User, waiting.worker_id)
    authorise(
        Permission.DECIDE_SIGN_OFF,
        SignOffRequestFacts(worker.organisation_id, worker.id, waiting.assessor_id),
    )
    me: User = current_user._get_current_object()
    on = today()
    context = _context(worker, waiting.competency_code, on)
    pending = services.pending_request(waiting)
    assessor, problem = check_credentials(
        me.email, body.password, wrong="Enter the correct password"
    )
    if assessor is None:
        keep_despite_refusal()  # the failed attempt is counted
        raise invalid("password", problem)
    facts = queries.facts_of_assessor(session, assessor, context, on, due_window_days=due_days())
    try:
        decision = services.decide(
            auditor_for(assessor),
            context,
            services.DecisionDetails(
                outcome=body.outcome,
                observed_on=body.observed_on,
                supervision=body.supervision,
                condition_codes=frozenset(body.condition_codes),
                evidence_ids=frozenset(body.evidence_ids or pending.evidence_ids),
                went_well=body.went_well,
                to_develop=body.to_develop,
                action_plan=body.action_plan,
            ),
            assessor=facts,
            authentication=Authentication.OWN_SESSION,
            declared=True,  # made by the worker when they asked
            request=pending,
            on=on,
            register_check_valid_days=_register_days(),
            backdate_days=get_settings().sign_off_backdate_days,
            confirmed=body.confirmed,
        )
    except services.AlreadyDecidedError as error:
        doom()
        raise Problem(409, error.message) from None
    except services.SignOffError as error:
        doom()
        raise refused(error, {"assessor": "password"}) from None
    except IdentifierFoundError as error:
        doom()
        raise identifier_problem(error) from None
    return schemas.Decision(
        id=decision.id,
        worker_id=decision.worker_id,
        competency_code=decision.competency_code,
        outcome=decision.outcome,
        supervision=decision.supervision,
        conditions=[line for line in decision.conditions.split("\n") if line],
        observed_on=decision.observed_on,
        recorded_on=decision.recorded_on,
        expires_on=decision.expires_on,
        countersignature_required=decision.countersignature_required,
        assessor_name=decision.assessor_name,
    )

"""The web side of the policy: builds the facts, asks `policy.decide`, and turns the answer
into 404 or 403. Also guarantees that every route either asks or is explicitly public.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    g,
    has_request_context,
    redirect,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import event, or_, select
from sqlalchemy.orm import Session

from portfolio.core.clock import today
from portfolio.db import get_session
from portfolio.people.models import Department, EducatorDepartment, SupervisorAssignment, User
from portfolio.people.queries import appointment_on
from portfolio.policy import (
    Actor,
    Decision,
    OrganisationFacts,
    Permission,
    PersonFacts,
    Target,
    decide,
)
from portfolio.practice.records import granter_ids
from portfolio.signoff.models import RequestState, SignOffRequest

View = TypeVar("View", bound=Callable[..., Any])


def public(view: View) -> View:
    """Mark a route as open to everyone, signed in or not."""
    view.is_public = True  # type: ignore[attr-defined]
    return view


def _is_public_endpoint(app: Flask, endpoint: str | None) -> bool:
    if endpoint is None or endpoint == "static":
        return True
    view = app.view_functions.get(endpoint)
    return bool(getattr(view, "is_public", False))


def current_actor() -> Actor:
    if "actor" not in g:
        user: User = current_user._get_current_object()
        signed_in = g.get("signed_in")
        reach = (
            signed_in.reach_department_ids
            if signed_in is not None
            else frozenset(
                get_session().scalars(
                    select(EducatorDepartment.department_id).where(
                        EducatorDepartment.educator_id == user.id
                    )
                )
            )
        )
        g.actor = Actor(
            id=user.id,
            organisation_id=user.organisation_id,
            roles=user.roles,
            reach_whole_organisation=user.reach_whole_organisation,
            reach_department_ids=reach,
        )
    actor: Actor = g.actor
    return actor


def person_facts(person: User, on: dt.date | None = None) -> PersonFacts:
    on = on or today()
    session = get_session()
    appointment = appointment_on(session, person.id, on)
    department_id = appointment.department_id if appointment else None
    supervisor_ids = frozenset(
        session.scalars(
            select(SupervisorAssignment.supervisor_id).where(
                SupervisorAssignment.worker_id == person.id,
                SupervisorAssignment.starts_on <= on,
                or_(SupervisorAssignment.ends_on.is_(None), SupervisorAssignment.ends_on >= on),
            )
        )
    )
    assessor_ids = frozenset(
        session.scalars(
            select(SignOffRequest.assessor_id).where(
                SignOffRequest.worker_id == person.id,
                SignOffRequest.state == RequestState.WAITING,
            )
        )
    )
    return PersonFacts(
        id=person.id,
        organisation_id=person.organisation_id,
        roles=person.roles,
        department_id=department_id,
        supervisor_ids=supervisor_ids,
        assessor_ids=assessor_ids,
        active=person.active,
    )


def practice_facts(person: User) -> PersonFacts:
    """`person_facts` with the holders today of an authority to grant in their department."""
    facts = person_facts(person)
    holders = granter_ids(get_session(), facts.department_id, today())
    return replace(facts, granter_ids=holders)


def department_facts(department: Department) -> OrganisationFacts:
    """A department, with the holders today of an authority to grant in it."""
    holders = granter_ids(get_session(), department.id, today())
    return OrganisationFacts(department.organisation_id, department.id, holders)


def authorise(permission: Permission, target: Target | None = None) -> None:
    """Stop the request unless the signed-in person may do this (404 if they may not see
    the target at all, 403 if they may see it but not do this)."""
    g.policy_consulted = True
    decision = decide(current_actor(), permission, target)
    if decision is Decision.HIDE:
        abort(404)
    if decision is Decision.FORBID:
        abort(403)


def load_person(person_id: int, permission: Permission) -> tuple[User, PersonFacts]:
    """The person by id, for pages and the API alike: 404 when there is none (or the policy
    hides them), 403 when they may be seen but not this."""
    person = get_session().get(User, person_id)
    if person is None:
        abort(404)
    facts = person_facts(person)
    authorise(permission, facts)
    return person, facts


def allowed(permission: Permission, target: Target | None = None) -> bool:
    """For templates deciding whether to show a link or button; never a substitute for
    `authorise` in the route that acts."""
    if not current_user.is_authenticated:
        return False
    return decide(current_actor(), permission, target) is Decision.ALLOW


@event.listens_for(Session, "before_commit")
def _refuse_commit_before_the_policy(session: Session) -> None:
    """A route that forgot to ask the policy must not save anything before it is caught.
    (A session marked `outside_the_policy`, the rate limiter's own counts, saves nothing the
    policy guards.)"""
    if (
        not has_request_context()
        or session.info.get("outside_the_policy")
        or _is_public_endpoint(current_app, request.endpoint)
    ):
        return
    if not g.get("policy_consulted"):
        raise RuntimeError(f"route {request.endpoint} tried to save without asking the policy")


def init_app(app: Flask) -> None:
    @app.before_request
    def _require_sign_in() -> ResponseReturnValue | None:
        if _is_public_endpoint(app, request.endpoint) or current_user.is_authenticated:
            return None
        g.policy_consulted = True  # answered here: sign in first
        if request.method == "GET":
            return redirect(url_for("accounts.sign_in", next=request.full_path.rstrip("?")))
        return redirect(url_for("accounts.sign_in"), 303)

    @app.after_request
    def _check_policy_was_consulted(response: Response) -> Response:
        if (
            response.status_code < 400
            and not _is_public_endpoint(app, request.endpoint)
            and not g.get("policy_consulted")
        ):
            current_app.logger.error(
                "route %s answered without asking the policy", request.endpoint
            )
            raise RuntimeError(f"route {request.endpoint} did not consult the policy")
        return response

    app.jinja_env.globals["allowed"] = allowed
    app.jinja_env.globals["Permission"] = Permission

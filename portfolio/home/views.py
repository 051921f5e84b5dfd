"""The page each person lands on: what matters to them, by account role."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from portfolio.access import allowed, authorise, current_actor, public
from portfolio.core.clock import today
from portfolio.core.roles import AccountRole
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.home.health import checks
from portfolio.home.ready import home_facts
from portfolio.people import queries
from portfolio.policy import Permission
from portfolio.progress import queries as progress_queries
from portfolio.signoff import queries as signoff_queries

blueprint = Blueprint("home", __name__)


@blueprint.route("/")
@public
def root() -> Response:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    return redirect(url_for("accounts.sign_in"))


@blueprint.route("/health")
@public
def health() -> tuple[dict[str, object], int]:
    """For load balancers and monitoring: 200 when every check passes, 503 naming the one
    that failed. No sign-in, no session, nothing audited: it only reads and probes."""
    results = checks(
        get_session(),
        get_settings().attachment_folder,
    )
    healthy = all(results.values())
    body: dict[str, object] = {
        "status": "ok" if healthy else "fail",
        "checks": {name: "ok" if passed else "fail" for name, passed in results.items()},
    }
    return body, 200 if healthy else 503


@blueprint.route("/home")
def index() -> str:
    authorise(Permission.USE_ACCOUNT)
    actor = current_actor()
    session = get_session()
    on = today()
    due_days = get_settings().reassessment_due_days
    supervisees = (
        queries.supervisees(session, actor.id, on=on) if actor.is_(AccountRole.SUPERVISOR) else None
    )
    return render_template(
        "home/index.html",
        on=on,
        **(_worker_home(session, on, due_days) if actor.is_(AccountRole.SUPPORT_WORKER) else {}),
        supervisees=progress_queries.supervisee_progress(
            session, supervisees, on, due_window_days=due_days
        )
        if supervisees is not None
        else None,
        in_reach=queries.workers_in_reach(
            session,
            actor.organisation_id,
            whole_organisation=actor.reach_whole_organisation,
            department_ids=actor.reach_department_ids,
            on=on,
        )
        if actor.is_(AccountRole.EDUCATOR)
        else None,
        to_do=len(signoff_queries.to_do(session, actor.id, on))
        if actor.roles & {AccountRole.SUPERVISOR, AccountRole.EDUCATOR}
        else None,
        # The to-do list's other kind of work: sign-offs waiting for a countersignature.
        to_countersign=len(signoff_queries.awaiting_countersignature(session, actor, on))
        if allowed(Permission.VIEW_COUNTERSIGNATURES)
        else None,
        people_count=queries.people_in_organisation(
            session, actor.organisation_id, on=on, per_page=1
        ).total
        if actor.is_(AccountRole.ADMIN)
        else None,
    )


def _worker_home(session: Session, on: dt.date, due_days: int) -> dict[str, Any]:
    """A support worker's own part of the home: their post, progress, next steps and the
    competencies ready to ask for sign-off."""
    user = current_user._get_current_object()
    appointment = queries.appointment_on(session, user.id, on)
    progress = progress_queries.worker_progress(
        session, user, on, due_window_days=due_days, appointment=appointment
    )
    facts = home_facts(
        session,
        worker_id=user.id,
        organisation_id=user.organisation_id,
        codes=[row.code for row in progress.scope.rows] if progress.scope else [],
        statuses=progress.statuses,
        on=on,
    )
    return {
        "me": queries.person_row_of(user, appointment),
        "progress": progress,
        "ready": facts.ready,
        "my_supervisors": facts.supervisors,
    }

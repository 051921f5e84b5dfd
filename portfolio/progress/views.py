"""A worker's progress against their scope of practice and the next job role, for the worker,
their supervisors and educators (the worker's home shows the same)."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from portfolio.access import authorise, person_facts
from portfolio.core.clock import today
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.people.models import User
from portfolio.policy import Permission
from portfolio.progress import queries
from portfolio.progress.charts import progress_bars

blueprint = Blueprint("progress", __name__)
blueprint.add_app_template_global(progress_bars, "progress_bars")


def progress_of(worker: User) -> queries.WorkerProgress:
    return queries.worker_progress(
        get_session(),
        worker,
        today(),
        due_window_days=get_settings().reassessment_due_days,
    )


@blueprint.route("/people/<int:person_id>/progress")
def show(person_id: int) -> str:
    person = get_session().get(User, person_id)
    if person is None:
        abort(404)
    facts = person_facts(person)
    authorise(Permission.VIEW_PERSON, facts)
    return render_template(
        "progress/show.html", person=person, facts=facts, progress=progress_of(person)
    )

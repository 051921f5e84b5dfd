"""The scope of practice reckoner: may this person do this task on this date, under what
supervision, and why; who in a department may do a task on a shift; a person's printable
current scope.

Each route loads (404), asks the policy (403), reads through `reckoner.queries` (judged by
the standing engine, `reckoner.standings`) and renders. Bad input re-renders the pickers
with an error summary; nothing here writes.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from portfolio.access import authorise, current_actor, person_facts
from portfolio.core.clock import today
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.frameworks.queries import current_competencies
from portfolio.people.models import Department, User
from portfolio.people.queries import departments_of
from portfolio.policy import OrganisationFacts, Permission
from portfolio.reckoner import queries
from portfolio.reckoner.forms import ScopeForm, ShiftForm
from portfolio.reckoner.standings import Options

blueprint = Blueprint("reckoner", __name__)


def _options() -> Options:
    return Options.of(get_settings())


@blueprint.route("/people/<int:person_id>/scope-of-practice")
def person(person_id: int) -> str:
    """One person: the answer for a chosen task, and everything they may do on the date."""
    session = get_session()
    person = session.get(User, person_id)
    if person is None:
        abort(404)
    facts = person_facts(person)
    authorise(Permission.VIEW_SCOPE_OF_PRACTICE, facts)
    competencies = current_competencies(session)
    form = ScopeForm(request.args)
    form.offer(competencies)
    result = None
    if not request.args or form.validate():
        result = queries.scope_answers(
            session,
            person.id,
            form.date_or(today()),
            task=form.task.data or None,
            options=_options(),
        )
    return render_template(
        "reckoner/person.html",
        person=person,
        facts=facts,
        form=form,
        result=result,
        competencies=competencies,
    )


def _department(value: str) -> Department | None:
    """The department asked for, or None for nothing or an unknown number (the form says so)."""
    if not value.isdigit():
        return None
    return get_session().get(Department, int(value))


@blueprint.route("/shift")
def shift() -> str:
    """Who in a department may do a chosen task on a date: those who may first."""
    department = _department(request.args.get("department", ""))
    target = OrganisationFacts(department.organisation_id) if department else None
    authorise(Permission.VIEW_SHIFT, target)
    session, actor = get_session(), current_actor()
    competencies = current_competencies(session)
    form = ShiftForm(request.args)
    form.offer(departments_of(session, actor.organisation_id), competencies)
    rows = None
    if not request.args:
        form.start(today(), queries.own_department(session, actor.id, today()))
    elif form.validate() and department is not None:
        rows = _who_may(form, department)
    return render_template(
        "reckoner/shift.html",
        form=form,
        rows=rows,
        department=department,
        task=competencies.get(form.task.data or ""),
        is_today=form.on.data == today(),
    )


def _who_may(form: ShiftForm, department: Department) -> list[queries.ShiftRow]:
    return queries.shift_view(
        get_session(), department.id, form.task.data, form.date_or(today()), options=_options()
    )

"""The approved-assessor lists (`/assessor-lists`) and the review of a registrant's conditions
of practice (`/people/<id>/conditions-review`): load, authorise, one use case, render."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from portfolio.access import authorise, person_facts
from portfolio.assessors.forms import ApprovalForm, ReviewForm
from portfolio.core.clock import today
from portfolio.core.forms import ConfirmForm
from portfolio.db import get_session
from portfolio.frameworks.practice_terms import AssessorList
from portfolio.people import reviews
from portfolio.people.models import User
from portfolio.policy import OrganisationFacts, Permission
from portfolio.practice import assessor_lists as lists
from portfolio.practice.models import AssessorListEntry
from portfolio.web import auditor, keep_confirmations, save_or_refuse

blueprint = Blueprint("assessors", __name__)


def _list(value: str) -> AssessorList:
    """The list named in the address, after asking the policy (404 for no such list)."""
    authorise(Permission.MANAGE_ASSESSOR_LISTS, OrganisationFacts(current_user.organisation_id))
    try:
        return AssessorList(value)
    except ValueError:
        abort(404)


def _to(kind: AssessorList) -> Response:
    return redirect(url_for("assessors.show", assessor_list=kind.value), 303)


@blueprint.route("/assessor-lists")
def index() -> str:
    authorise(Permission.MANAGE_ASSESSOR_LISTS, OrganisationFacts(current_user.organisation_id))
    return render_template("assessors/index.html", lists=list(AssessorList))


@blueprint.route("/assessor-lists/<assessor_list>", methods=["GET", "POST"])
def show(assessor_list: str) -> Response | str:
    kind, session = _list(assessor_list), get_session()
    form = ApprovalForm()
    form.set_people(lists.candidates(session, current_user.organisation_id))
    if form.validate_on_submit() and save_or_refuse(
        form, lambda: _approve(kind, form), "person_id"
    ):
        flash(f"Added to the list: {kind.label}.", "success")
        return _to(kind)
    rows = lists.members(session, current_user.organisation_id, kind)
    return render_template("assessors/list.html", kind=kind, form=form, rows=rows)


def _approve(kind: AssessorList, form: ApprovalForm) -> object:
    return lists.approve(
        auditor(),
        kind,
        form.person_id.data,
        approved_by=current_user,
        approved_on=form.approved_on.data,
        today=today(),
    )


@blueprint.route("/assessor-lists/<assessor_list>/<int:entry_id>/remove", methods=["POST"])
def remove(assessor_list: str, entry_id: int) -> Response:
    kind = _list(assessor_list)
    entry = lists.entry_in(get_session(), current_user.organisation_id, entry_id)
    if entry is None or entry.assessor_list is not kind:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit() and save_or_refuse(form, lambda: _remove(entry), "csrf_token"):
        flash(f"Taken off the list from today: {kind.label}.", "success")
    for message in form.csrf_token.errors:
        flash(message, "error")
    return _to(kind)


def _remove(entry: AssessorListEntry) -> bool:
    lists.remove(auditor(), entry, removed_by=current_user, today=today())
    return True


@blueprint.route("/people/<int:person_id>/conditions-review", methods=["GET", "POST"])
def review(person_id: int) -> Response | str:
    person = get_session().get(User, person_id) or abort(404)
    authorise(Permission.REVIEW_REGISTRATION, person_facts(person))
    form = ReviewForm()
    form.checked_on = person.register_checked_on
    keep_confirmations(form)
    if form.validate_on_submit() and save_or_refuse(form, lambda: _record(person, form), "note"):
        flash("Your review of the conditions of practice has been recorded.", "success")
        return redirect(url_for("people.show", person_id=person.id), 303)
    return render_template("assessors/review.html", form=form, person=person)


def _record(person: User, form: ReviewForm) -> object:
    return reviews.record_review(
        auditor(),
        person,
        reviewer=current_user,
        reviewed_on=form.reviewed_on.data,
        note=form.note.data or "",
        today=today(),
        confirmed=form.confirmed.data or [],
    )

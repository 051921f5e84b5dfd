"""The practice records pages: a person's entitlements and designations (as at any date, with
each one's history), granting, reviewing and withdrawing them, and their preceptorships; a
department's IR(ME)R training and entitlement record and who holds each authority; the
organisation's sites and their two-mammography-associate model records.

Each route loads (404), asks the policy (403) and calls one use case (`actions`) through
`_saved`, which leaves the form showing why when the service refuses (nothing is saved).
See docs/domain/practice.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from portfolio.access import authorise, department_facts, practice_facts
from portfolio.core.clock import today
from portfolio.core.forms import options
from portfolio.core.roles import AccountRole
from portfolio.db import get_session
from portfolio.people.models import Department, User
from portfolio.policy import OrganisationFacts, Permission, PersonFacts
from portfolio.practice import actions, records
from portfolio.practice.forms import (
    AuthorityForm,
    DesignationForm,
    EndAuthorityForm,
    EndPreceptorshipForm,
    EntitlementForm,
    PreceptorshipForm,
    RecordsOnForm,
    ReviewForm,
    SiteForm,
    TwoMaForm,
    WithdrawForm,
)
from portfolio.practice.models import (
    Authority,
    Designation,
    IrmerEntitlement,
    PracticeAuthority,
    Preceptorship,
    Site,
)
from portfolio.web import auditor, keep_confirmations, save_or_refuse

blueprint = Blueprint("practice", __name__)
R = TypeVar("R", IrmerEntitlement, Designation)

# Who may grant each kind of record (the service checks the authority on the day).
GRANTERS: dict[type, tuple[Authority, ...]] = {
    IrmerEntitlement: (Authority.ENTITLEMENT_GRANTER,),
    Designation: (Authority.MR_RESPONSIBLE_PERSON,),
}


# --- Loading, choices and saving -------------------------------------------------------------


def _person(person_id: int, permission: Permission) -> tuple[User, PersonFacts]:
    person = get_session().get(User, person_id)
    if person is None:
        abort(404)
    facts = practice_facts(person)
    authorise(permission, facts)
    return person, facts


def _record(kind: type[R], record_id: int, person: User) -> R:
    record = get_session().get(kind, record_id)
    if record is None or record.user_id != person.id:
        abort(404)
    return record


def _department(department_id: int, permission: Permission) -> Department:
    department = get_session().get(Department, department_id)
    if department is None:
        abort(404)
    authorise(permission, department_facts(department))
    return department


def _as_at() -> tuple[RecordsOnForm, dt.date]:
    form = RecordsOnForm(request.args)
    if request.args.get("on") and form.validate() and form.on.data is not None:
        return form, form.on.data
    if not request.args.get("on"):
        form.on.data = today()
    return form, today()


def _by(form: FlaskForm, name: str, department_id: int | None, kind: type) -> None:
    """Who granted: an administrator types in a holder's grant; a holder grants as
    themselves. A new form starts its date fields at today."""
    me: User = current_user._get_current_object()
    if me.has_role(AccountRole.ADMIN) and department_id is not None:
        holders = records.holders(get_session(), department_id, GRANTERS[kind], today())
    else:
        holders = [(me.id, me.name)]
    field = getattr(form, name)
    field.choices = options([("", "Choose a person"), *holders])
    if request.method == "GET":
        field.data = str(holders[0][0]) if len(holders) == 1 else ""
        for date_field in ("granted_on", "reviewed_on", "withdrawn_on"):
            if date_field in form._fields:
                form[date_field].data = today()


def _saved(form: FlaskForm, act: Callable[[], object], fallback: str) -> bool:
    """Run the use case once the form is valid; a refusal shows on the form, saving nothing."""
    return bool(form.validate_on_submit() and save_or_refuse(form, lambda: act() or 1, fallback))


def _to_person(person: User, message: str) -> Response:
    flash(message, "success")
    return redirect(url_for("practice.person", person_id=person.id))


# --- A person's records ----------------------------------------------------------------------


@blueprint.route("/people/<int:person_id>/practice")
def person(person_id: int) -> str:
    """Entitlements, designations and preceptorships, as at today or `?on=`."""
    person, facts = _person(person_id, Permission.VIEW_PRACTICE_RECORDS)
    form, on = _as_at()
    found = records.person_records(get_session(), person, on)
    page = "practice/person.html"
    return render_template(
        page, person=person, facts=facts, form=form, records=found, on=on, today=today()
    )


@blueprint.route("/people/<int:person_id>/practice/entitlements/new", methods=["GET", "POST"])
def grant_entitlement(person_id: int) -> Response | str:
    person, facts = _person(person_id, Permission.RECORD_PRACTICE)
    form = EntitlementForm()
    _by(form, "granted_by_id", facts.department_id, IrmerEntitlement)
    if _saved(
        form,
        lambda: actions.grant_entitlement(auditor(), form, person, facts.department_id, today()),
        "kind",
    ):
        return _to_person(person, "The IR(ME)R operator entitlement has been granted.")
    return render_template("practice/grant.html", form=form, person=person, what="entitlement")


@blueprint.route("/people/<int:person_id>/practice/designations/new", methods=["GET", "POST"])
def designate(person_id: int) -> Response | str:
    person, facts = _person(person_id, Permission.RECORD_PRACTICE)
    form = DesignationForm()
    _by(form, "granted_by_id", facts.department_id, Designation)
    if _saved(
        form,
        lambda: actions.designate(auditor(), form, person, facts.department_id, today()),
        "kind",
    ):
        return _to_person(person, "The designation has been recorded.")
    return render_template("practice/grant.html", form=form, person=person, what="designation")


def _review_page(person_id: int, kind: type[R], record_id: int) -> Response | str:
    person, _ = _person(person_id, Permission.RECORD_PRACTICE)
    record = _record(kind, record_id, person)
    form = ReviewForm()
    _by(form, "reviewed_by_id", record.department_id, kind)
    if _saved(form, lambda: actions.review(auditor(), form, record, today()), "reviewed_on"):
        return _to_person(person, "The review has been recorded with its next review date.")
    if request.method == "GET" and isinstance(record, IrmerEntitlement):
        form.examinations.data = ", ".join(sorted(record.versions[-1].examinations))
    return render_template("practice/review.html", form=form, person=person, record=record)


@blueprint.route(
    "/people/<int:person_id>/practice/entitlements/<int:record_id>/review", methods=["GET", "POST"]
)
def review_entitlement(person_id: int, record_id: int) -> Response | str:
    return _review_page(person_id, IrmerEntitlement, record_id)


@blueprint.route(
    "/people/<int:person_id>/practice/designations/<int:record_id>/review", methods=["GET", "POST"]
)
def review_designation(person_id: int, record_id: int) -> Response | str:
    return _review_page(person_id, Designation, record_id)


def _withdraw_page(person_id: int, kind: type[R], record_id: int) -> Response | str:
    person, _ = _person(person_id, Permission.RECORD_PRACTICE)
    record = _record(kind, record_id, person)
    form = WithdrawForm()
    keep_confirmations(form)
    _by(form, "withdrawn_by_id", record.department_id, kind)
    if _saved(form, lambda: actions.withdraw(auditor(), form, record, today()), "reason"):
        return _to_person(person, "It has been withdrawn. Its record and history are kept.")
    return render_template("practice/withdraw.html", form=form, person=person, record=record)


@blueprint.route(
    "/people/<int:person_id>/practice/entitlements/<int:record_id>/withdraw",
    methods=["GET", "POST"],
)
def withdraw_entitlement(person_id: int, record_id: int) -> Response | str:
    return _withdraw_page(person_id, IrmerEntitlement, record_id)


@blueprint.route(
    "/people/<int:person_id>/practice/designations/<int:record_id>/withdraw",
    methods=["GET", "POST"],
)
def withdraw_designation(person_id: int, record_id: int) -> Response | str:
    return _withdraw_page(person_id, Designation, record_id)


# --- Preceptorships --------------------------------------------------------------------------


@blueprint.route("/people/<int:person_id>/practice/preceptorships/new", methods=["GET", "POST"])
def start_preceptorship(person_id: int) -> Response | str:
    person, _ = _person(person_id, Permission.RECORD_PRECEPTORSHIP)
    form = PreceptorshipForm()
    people = records.colleagues(get_session(), person.organisation_id)
    form.preceptor_id.choices = options([("", "Choose the preceptor"), *people])
    if _saved(form, lambda: actions.start_preceptorship(auditor(), form, person), "starts_on"):
        return _to_person(person, "The preceptorship has been recorded.")
    return render_template("practice/preceptorship.html", form=form, person=person)


@blueprint.route(
    "/people/<int:person_id>/practice/preceptorships/<int:period_id>/end", methods=["GET", "POST"]
)
def end_preceptorship(person_id: int, period_id: int) -> Response | str:
    person, _ = _person(person_id, Permission.RECORD_PRECEPTORSHIP)
    period = get_session().get(Preceptorship, period_id)
    if period is None or period.appointment.user_id != person.id:
        abort(404)
    form = EndPreceptorshipForm()
    keep_confirmations(form)
    if _saved(form, lambda: actions.end_preceptorship(auditor(), form, period), "reason"):
        return _to_person(person, "The preceptorship has been ended early.")
    page = "practice/end_preceptorship.html"
    return render_template(page, form=form, person=person, period=period)


# --- A department's record and its authorities -----------------------------------------------


@blueprint.route("/organisation/departments/<int:department_id>/practice")
def department(department_id: int) -> str:
    """The employer's IR(ME)R training and entitlement record for one department."""
    department = _department(department_id, Permission.VIEW_PRACTICE_REGISTER)
    form, on = _as_at()
    session = get_session()
    lines = records.department_register(session, department, on)
    held = records.authorities_of(session, department.id)
    return render_template(
        "practice/department.html", department=department, form=form, on=on, lines=lines, held=held
    )


@blueprint.route(
    "/organisation/departments/<int:department_id>/practice/authorities", methods=["GET", "POST"]
)
def authorities(department_id: int) -> Response | str:
    department = _department(department_id, Permission.ADMINISTER_ORGANISATION)
    form = AuthorityForm()
    people = records.colleagues(get_session(), department.organisation_id)
    form.user_id.choices = options([("", "Choose a person"), *people])
    if _saved(form, lambda: actions.appoint(auditor(), form, department), "user_id"):
        flash("The authority has been recorded.", "success")
        return redirect(request.path)
    held = records.authorities_of(get_session(), department.id)
    page = "practice/authorities.html"
    return render_template(page, department=department, form=form, held=held, today=today())


@blueprint.route(
    "/organisation/departments/<int:department_id>/practice/authorities/<int:authority_id>/end",
    methods=["GET", "POST"],
)
def end_authority(department_id: int, authority_id: int) -> Response | str:
    department = _department(department_id, Permission.ADMINISTER_ORGANISATION)
    record = get_session().get(PracticeAuthority, authority_id)
    if record is None or record.department_id != department.id:
        abort(404)
    form = EndAuthorityForm()
    if _saved(form, lambda: actions.end_authority(auditor(), form, record), "ends_on"):
        flash("The authority has been ended. Its record is kept.", "success")
        return redirect(url_for("practice.authorities", department_id=department.id))
    holder = get_session().get_one(User, record.user_id)
    page = "practice/end_authority.html"
    return render_template(page, form=form, department=department, record=record, holder=holder)


# --- Sites -----------------------------------------------------------------------------------


@blueprint.route("/organisation/sites", methods=["GET", "POST"])
def sites() -> Response | str:
    authorise(Permission.ADMINISTER_ORGANISATION)
    organisation = current_user.organisation
    form = SiteForm()
    if _saved(form, lambda: actions.add_site(auditor(), form, organisation), "code"):
        flash("The site has been added.", "success")
        return redirect(url_for("practice.sites"))
    found = records.sites_of(get_session(), organisation.id)
    return render_template("practice/sites.html", form=form, sites=found, today=today())


@blueprint.route("/organisation/sites/<int:site_id>", methods=["GET", "POST"])
def site(site_id: int) -> Response | str:
    site = get_session().get(Site, site_id)
    if site is None:
        abort(404)
    authorise(Permission.ADMINISTER_ORGANISATION, OrganisationFacts(site.organisation_id))
    form = TwoMaForm()
    if _saved(form, lambda: actions.record_two_ma(auditor(), form, site), "from_on"):
        flash("The site's two-mammography-associate model record has been saved.", "success")
        return redirect(url_for("practice.sites"))
    found = records.site_row(get_session(), site)
    return render_template("practice/site.html", form=form, site=found, today=today())

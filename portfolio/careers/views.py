"""Recording a person's qualifications, IR(ME)R entitlements and plan."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from portfolio.access import authorise, person_facts
from portfolio.careers import queries, services
from portfolio.careers.forms import EntitlementForm, PlanForm, QualificationForm, WithdrawForm
from portfolio.core.clock import today
from portfolio.core.forms import options
from portfolio.core.identifiers import IdentifierFoundError
from portfolio.db import get_session
from portfolio.frameworks import queries as frameworks
from portfolio.frameworks.models import OperatorEntitlement
from portfolio.frameworks.schema import QualificationFramework
from portfolio.people.models import User
from portfolio.policy import Permission
from portfolio.unit_of_work import doom
from portfolio.web import auditor, field_error, keep_confirmations, show_identifier_problems

blueprint = Blueprint("careers", __name__)
OTHER = "other"


def _person(person_id: int, permission: Permission) -> User:
    person = get_session().get(User, person_id)
    if person is None:
        abort(404)
    authorise(permission, person_facts(person))
    return person


def _back(person: User) -> Response:
    return redirect(url_for("people.show", person_id=person.id))


@blueprint.route("/people/<int:person_id>/qualifications/new", methods=["GET", "POST"])
def new_qualification(person_id: int) -> Response | str:
    person = _person(person_id, Permission.RECORD_QUALIFICATION)
    catalogue = {item.code: item for item in frameworks.catalogue(get_session()).qualifications}
    form = QualificationForm()
    keep_confirmations(form)
    form.qualification_code.choices = options(
        [
            ("", "Choose a qualification"),
            *(
                (code, f"{item.title} ({item.framework.value.upper()} {item.level})")
                for code, item in catalogue.items()
            ),
            (OTHER, "Other"),
        ]
    )
    if form.validate_on_submit():
        chosen = catalogue.get(form.qualification_code.data or "")
        try:
            if chosen is None and not (form.title.data and form.framework.data and form.level.data):
                raise services.CareerRecordError(
                    "title", "For Other, give the title, framework and level"
                )
            details = services.QualificationDetails(
                title=chosen.title if chosen else form.title.data or "",
                framework=chosen.framework
                if chosen
                else QualificationFramework(form.framework.data),
                level=chosen.level if chosen else int(form.level.data or 0),
                status=services.QualificationStatus(form.status.data),
                qualification_code=chosen.code if chosen else None,
                achieved_on=form.achieved_on.data,
                planned_start_on=form.planned_start_on.data,
            )
            services.record_qualification(
                auditor(), person, details, today=today(), confirmed=form.confirmed.data or []
            )
        except services.CareerRecordError as error:
            doom()
            field_error(form, error.field, error.message)
        except IdentifierFoundError as error:
            doom()
            show_identifier_problems(form, error)
        else:
            flash("The qualification has been recorded.", "success")
            return _back(person)
    return render_template("careers/qualification.html", form=form, person=person)


@blueprint.route("/people/<int:person_id>/entitlements/new", methods=["GET", "POST"])
def new_entitlement(person_id: int) -> Response | str:
    person = _person(person_id, Permission.GRANT_ENTITLEMENT)
    form = EntitlementForm()
    keep_confirmations(form)
    if request.method == "GET":
        form.granted_on.data = today()
    if form.validate_on_submit():
        try:
            services.grant_entitlement(
                auditor(),
                person,
                scope=form.scope.data or "",
                granted_on=form.granted_on.data,
                today=today(),
                confirmed=form.confirmed.data or [],
            )
        except services.CareerRecordError as error:
            doom()
            field_error(form, error.field, error.message)
        except IdentifierFoundError as error:
            doom()
            show_identifier_problems(form, error)
        else:
            flash("The IR(ME)R operator entitlement has been recorded.", "success")
            return _back(person)
    return render_template("careers/entitlement.html", form=form, person=person)


@blueprint.route(
    "/people/<int:person_id>/entitlements/<int:entitlement_id>/withdraw", methods=["GET", "POST"]
)
def withdraw_entitlement(person_id: int, entitlement_id: int) -> Response | str:
    person = _person(person_id, Permission.GRANT_ENTITLEMENT)
    entitlement = get_session().get(OperatorEntitlement, entitlement_id)
    if entitlement is None or entitlement.user_id != person.id:
        abort(404)
    form = WithdrawForm()
    if request.method == "GET":
        form.withdrawn_on.data = today()
    if form.validate_on_submit():
        try:
            services.withdraw_entitlement(auditor(), entitlement, person, on=form.withdrawn_on.data)
        except services.CareerRecordError as error:
            doom()
            field_error(form, error.field, error.message)
        else:
            flash("The entitlement has been withdrawn. Its record is kept.", "success")
            return _back(person)
    return render_template(
        "careers/withdraw.html", form=form, person=person, entitlement=entitlement
    )


@blueprint.route("/people/<int:person_id>/plan/new", methods=["GET", "POST"])
def add_to_plan(person_id: int) -> Response | str:
    person = _person(person_id, Permission.PLAN_COMPETENCIES)
    scope = queries.worker_scope_of(get_session(), person.id, today())
    optional = scope.optional if scope else []
    form = PlanForm()
    form.competency_code.choices = options(
        [("", "Choose a competency"), *((row.code, f"{row.code}: {row.title}") for row in optional)]
    )
    if form.validate_on_submit():
        try:
            services.add_to_plan(
                auditor(),
                person,
                form.competency_code.data or "",
                optional_codes={row.code for row in optional},
            )
        except services.CareerRecordError as error:
            doom()
            field_error(form, error.field, error.message)
        except IntegrityError:
            doom()  # sent twice at once: the other request saved it
            field_error(form, "competency_code", "It is already in their plan")
        else:
            flash("The competency has been added to their plan.", "success")
            return _back(person)
    return render_template("careers/plan.html", form=form, person=person, scope=scope)

"""People and the organisation: administrators add and change people; anyone allowed to see
a person sees their profile."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response

from portfolio.access import authorise, person_facts
from portfolio.accounts import links
from portfolio.accounts import services as account_services
from portfolio.accounts.delivery import mail_problem
from portfolio.careers import queries as careers
from portfolio.core import clock
from portfolio.core.clock import today
from portfolio.core.forms import ConfirmForm, options
from portfolio.core.passwords import has_password
from portfolio.core.roles import AccountRole, JobRole, Nation
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.frameworks import queries as frameworks
from portfolio.jobs.links import send_invitations
from portfolio.people import queries, reviews, services
from portfolio.people.forms import (
    AppointmentForm,
    DepartmentForm,
    EndSupervisionForm,
    OrganisationForm,
    PersonForm,
    SupervisorForm,
)
from portfolio.people.models import Department, Organisation, SupervisorAssignment, User
from portfolio.people.registers import Radiography, RegisterCheckResult, RegisterType
from portfolio.policy import OrganisationFacts, Permission
from portfolio.unit_of_work import doom
from portfolio.web import auditor, field_error

blueprint = Blueprint("people", __name__)


def _load_person(person_id: int) -> User:
    person = get_session().get(User, person_id)
    if person is None:
        abort(404)
    return person


def _details_from(form: PersonForm) -> services.PersonDetails:
    result = form.register_check_result.data
    return services.PersonDetails(
        name=form.name.data or "",
        email=form.email.data or "",
        roles=frozenset(AccountRole(value) for value in form.roles.data or []),
        employee_number=form.employee_number.data,
        profession=form.profession.data or None,
        register=RegisterType(form.register.data or RegisterType.NONE.value),
        register_number=form.register_number.data,
        register_checked_on=form.register_checked_on.data,
        register_check_result=RegisterCheckResult(result) if result else None,
        radiography=Radiography(form.radiography.data) if form.radiography.data else None,
        reach_whole_organisation=bool(form.reach_whole_organisation.data),
        reach_department_ids=frozenset(form.reach_department_ids.data or []),
    )


def _person_form(organisation_id: int, person: User | None = None) -> PersonForm:
    form = PersonForm(obj=None)
    form.reach_department_ids.choices = options(
        queries.departments_of(get_session(), organisation_id)
    )
    if person is not None and request.method == "GET":
        form.name.data, form.email.data = person.name, person.email
        form.employee_number.data = person.employee_number
        form.roles.data = sorted(person.roles)
        form.profession.data = person.profession or ""
        form.register.data = person.register.value
        form.register_number.data = person.register_number
        form.register_checked_on.data = person.register_checked_on
        form.register_check_result.data = (
            person.register_check_result.value if person.register_check_result else ""
        )
        form.radiography.data = person.radiography.value if person.radiography else ""
        form.reach_whole_organisation.data = person.reach_whole_organisation
        form.reach_department_ids.data = [
            item.department_id for item in person.educator_departments
        ]
    return form


@blueprint.route("/people")
def index() -> str:
    authorise(Permission.ADMINISTER_PEOPLE)
    status = request.args.get("status", "active")
    active = {"active": True, "inactive": False}.get(status)
    page = queries.people_in_organisation(
        get_session(),
        current_user.organisation_id,
        on=today(),
        active=active,
        search=request.args.get("q", "").strip()[:100],
        page=max(1, request.args.get("page", 1, type=int) or 1),
    )
    return render_template(
        "people/index.html", page=page, status=status, q=request.args.get("q", "")
    )


@blueprint.route("/people/new", methods=["GET", "POST"])
def new() -> Response | str:
    authorise(Permission.ADMINISTER_PEOPLE)
    organisation = get_session().get_one(Organisation, current_user.organisation_id)
    form = _person_form(organisation.id)
    if form.validate_on_submit():
        # With email set up, the person chooses their own password through an invitation;
        # without it, the administrator hands over a temporary one.
        invite, details = mail_problem(current_app) is None, _details_from(form)
        try:
            person, password = (
                (services.invite_person(auditor(), organisation, details), None)
                if invite
                else services.create_person(auditor(), organisation, details)
            )
        except services.PersonError as error:
            doom()
            field_error(form, error.field, error.message)
        else:
            send_invitations(
                current_app, [person.id] if invite else [], requested_by_id=current_user.id
            )
            return render_template(
                "people/created.html",
                person=person,
                password=password,
                days=get_settings().invitation_valid_days,
            )
    return render_template("people/form.html", form=form, person=None)


@blueprint.route("/people/<int:person_id>")
def show(person_id: int) -> str:
    person = _load_person(person_id)
    facts = person_facts(person)
    authorise(Permission.VIEW_PERSON, facts)
    session = get_session()
    return render_template(
        "people/show.html",
        person=person,
        facts=facts,
        history=queries.appointment_history(session, person.id),
        supervision=queries.supervision_of(session, person.id),
        supervisees=queries.supervisees(session, person.id, on=today())
        if person.has_role(AccountRole.SUPERVISOR)
        else [],
        scope=careers.worker_scope_of(session, person.id, today())
        if person.has_role(AccountRole.SUPPORT_WORKER)
        else None,
        qualifications=careers.qualifications_of(session, person.id),
        entitlements=careers.entitlements_of(session, person.id),
        reviews=reviews.reviews_of(session, person.id),
        standing=reviews.standing_of(session, person, today()),
        link=links.latest_link(session, person.id),
        now=clock.utcnow(),
        has_password=has_password(person.password_hash),
        form=ConfirmForm(),
    )


@blueprint.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
def edit(person_id: int) -> Response | str:
    person = _load_person(person_id)
    authorise(Permission.EDIT_PERSON, person_facts(person))
    form = _person_form(person.organisation_id, person)
    if form.validate_on_submit():
        try:
            services.update_person(auditor(), person, _details_from(form), today=today())
        except services.PersonError as error:
            doom()
            field_error(form, error.field, error.message)
        else:
            flash(f"{person.name}'s details have been saved.", "success")
            return redirect(url_for("people.show", person_id=person.id))
    return render_template("people/form.html", form=form, person=person)


@blueprint.route("/people/<int:person_id>/job-role", methods=["GET", "POST"])
def record_job_role(person_id: int) -> Response | str:
    person = _load_person(person_id)
    authorise(Permission.EDIT_PERSON, person_facts(person))
    form = AppointmentForm()
    form.department_id.choices = options(
        [
            ("", "Choose a department"),
            *queries.departments_of(get_session(), person.organisation_id),
        ]
    )
    form.post_id.choices = options(
        [
            ("", "No particular post"),
            *(
                (post.id, f"{post.name} ({post.department}, {post.job_role.label})")
                for post in frameworks.posts(get_session(), person.organisation_id)
            ),
        ]
    )
    if request.method == "GET":
        form.effective_from.data = today()
    if form.validate_on_submit():
        details = services.AppointmentDetails(
            effective_from=form.effective_from.data,
            job_role=JobRole(form.job_role.data),
            trainee=bool(form.trainee.data),
            afc_band=form.afc_band.data or "",
            department_id=form.department_id.data,
            started_in_post_on=form.started_in_post_on.data,
            post_id=form.post_id.data,
        )
        try:
            services.record_appointment(auditor(), person, details)
        except services.PersonError as error:
            doom()
            field_error(form, error.field, error.message)
        else:
            flash(f"{person.name}'s job role has been recorded.", "success")
            return redirect(url_for("people.show", person_id=person.id))
    return render_template("people/job_role.html", form=form, person=person)


@blueprint.route("/people/<int:person_id>/supervisors/new", methods=["GET", "POST"])
def assign_supervisor(person_id: int) -> Response | str:
    person = _load_person(person_id)
    authorise(Permission.EDIT_PERSON, person_facts(person))
    session = get_session()
    form = SupervisorForm()
    form.supervisor_id.choices = options(
        [
            ("", "Choose a supervisor"),
            *(
                (sid, name)
                for sid, name in queries.supervisors_in_organisation(
                    session, person.organisation_id
                )
                if sid != person.id
            ),
        ]
    )
    if request.method == "GET":
        form.starts_on.data = today()
    if form.validate_on_submit():
        supervisor = session.get(User, form.supervisor_id.data)
        try:
            if supervisor is None:
                raise services.PersonError("supervisor_id", "Choose a supervisor")
            services.assign_supervisor(auditor(), person, supervisor, form.starts_on.data)
        except services.PersonError as error:
            doom()
            field_error(form, error.field, error.message)
        else:
            flash(f"{supervisor.name} now supervises {person.name}.", "success")
            return redirect(url_for("people.show", person_id=person.id))
    return render_template("people/supervisor.html", form=form, person=person)


@blueprint.route(
    "/people/<int:person_id>/supervisors/<int:assignment_id>/end", methods=["GET", "POST"]
)
def end_supervision(person_id: int, assignment_id: int) -> Response | str:
    person = _load_person(person_id)
    authorise(Permission.EDIT_PERSON, person_facts(person))
    assignment = get_session().get(SupervisorAssignment, assignment_id)
    if assignment is None or assignment.worker_id != person.id:
        abort(404)
    form = EndSupervisionForm()
    if request.method == "GET":
        form.ends_on.data = today()
    if form.validate_on_submit():
        try:
            services.end_supervision(auditor(), assignment, form.ends_on.data)
        except services.PersonError as error:
            doom()
            field_error(form, error.field, error.message)
        else:
            flash(f"{assignment.supervisor.name} no longer supervises {person.name}.", "success")
            return redirect(url_for("people.show", person_id=person.id))
    return render_template(
        "people/end_supervision.html", form=form, person=person, assignment=assignment
    )


@blueprint.route("/people/<int:person_id>/reset-password", methods=["POST"])
def reset_password(person_id: int) -> str:
    person = _load_person(person_id)
    authorise(Permission.RESET_PASSWORD, person_facts(person))
    password = account_services.reset_password(auditor(), person)
    return render_template("people/password_reset.html", person=person, password=password)


@blueprint.route("/people/<int:person_id>/invitation", methods=["POST"])
def send_invitation(person_id: int) -> Response:
    """Email a new link to set a password; any earlier link stops working at once."""
    person = _load_person(person_id)
    authorise(Permission.RESET_PASSWORD, person_facts(person))
    problem = mail_problem(current_app)
    if problem is not None or not person.active:
        flash(
            "No invitation was sent: this portfolio cannot send emails yet, so they have no "
            "way in until you give them one. Print a set-up letter (a one-time link to choose "
            "their password), or use Reset password to give them a temporary password in person."
            if problem
            else f"No invitation was sent: {person.name}'s account is deactivated.",
            "error",
        )
        return redirect(url_for("people.show", person_id=person.id))
    links.withdraw_links(auditor(), person, clock.utcnow())
    send_invitations(current_app, [person.id], requested_by_id=current_user.id)
    flash(
        f"An invitation is on its way to {person.email}; any earlier link has stopped.", "success"
    )
    return redirect(url_for("people.show", person_id=person.id))


@blueprint.route("/organisation", methods=["GET", "POST"])
def organisation() -> Response | str:
    organisation = get_session().get_one(Organisation, current_user.organisation_id)
    authorise(Permission.ADMINISTER_ORGANISATION, OrganisationFacts(organisation.id))
    form = OrganisationForm()
    if request.method == "GET":
        form.name.data, form.nation.data = organisation.name, organisation.nation.value
    if form.validate_on_submit():
        try:
            services.update_organisation(
                auditor(), organisation, form.name.data or "", Nation(form.nation.data)
            )
        except services.PersonError as error:
            doom()
            field_error(form, error.field, error.message)
        else:
            flash("The organisation's details have been saved.", "success")
            return redirect(url_for("people.organisation"))
    return render_template(
        "people/organisation.html",
        form=form,
        organisation=organisation,
        departments=queries.departments_of(get_session(), organisation.id),
    )


@blueprint.route("/organisation/departments/new", methods=["GET", "POST"])
@blueprint.route("/organisation/departments/<int:department_id>", methods=["GET", "POST"])
def department(department_id: int | None = None) -> Response | str:
    session = get_session()
    existing = None
    if department_id is not None:
        existing = session.get(Department, department_id)
        if existing is None:
            abort(404)
    organisation_id = existing.organisation_id if existing else current_user.organisation_id
    authorise(Permission.ADMINISTER_ORGANISATION, OrganisationFacts(organisation_id))
    organisation = session.get_one(Organisation, organisation_id)
    form = DepartmentForm()
    if request.method == "GET" and existing is not None:
        form.name.data = existing.name
    if form.validate_on_submit():
        try:
            services.save_department(auditor(), organisation, form.name.data or "", existing)
        except services.PersonError as error:
            doom()
            field_error(form, error.field, error.message)
        else:
            flash("The department has been saved.", "success")
            return redirect(url_for("people.organisation"))
    return render_template("people/department.html", form=form, department=existing)

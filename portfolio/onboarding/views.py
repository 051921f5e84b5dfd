"""Onboarding a department: upload a staff record extract, see every problem and what will
happen line by line, then confirm, and everything is imported in one transaction or nothing
is. Administrators only, into their own organisation."""

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
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from portfolio.access import authorise, person_facts
from portfolio.accounts.delivery import link_validity, mail_problem
from portfolio.core import clock
from portfolio.core.forms import options
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.jobs.links import send_invitations
from portfolio.onboarding import letters, services
from portfolio.onboarding.csvfile import (
    COLUMNS,
    UnreadableFileError,
    read_staff_file,
    template_csv,
)
from portfolio.onboarding.forms import ConfirmImportForm, LettersForm, UploadForm
from portfolio.onboarding.models import StaffUpload
from portfolio.onboarding.rules import Action, Plan
from portfolio.people.models import Organisation, User
from portfolio.policy import Permission, UploadFacts
from portfolio.unit_of_work import doom
from portfolio.web import auditor, field_error

blueprint = Blueprint("onboarding", __name__)


def _upload_page(form: UploadForm) -> str:
    return render_template(
        "onboarding/upload.html",
        form=form,
        columns=COLUMNS,
        email_problem=mail_problem(current_app),
    )


@blueprint.route("/people/import", methods=["GET", "POST"])
def upload() -> Response | str:
    authorise(Permission.IMPORT_PEOPLE)
    form = UploadForm()
    if form.validate_on_submit():
        limit = get_settings().onboarding_max_bytes
        content = form.file.data.read(limit + 1)
        try:
            read_staff_file(content, limit)  # only a readable CSV file is kept
        except UnreadableFileError as error:
            doom()
            field_error(form, "file", error.message)
        else:
            session = get_session()
            # Some browsers send the whole path: keep the name the administrator recognises.
            name = (form.file.data.filename or "").replace("\\", "/").rsplit("/", 1)[-1]
            stored = services.store_upload(
                session,
                organisation_id=current_user.organisation_id,
                uploaded_by_id=current_user.id,
                filename=name or "staff.csv",
                content=content,
                now=clock.utcnow(),
            )
            return redirect(url_for("onboarding.preview", upload_id=stored.id))
    return _upload_page(form)


@blueprint.route("/people/import/template.csv")
def template() -> Response:
    authorise(Permission.IMPORT_PEOPLE)
    return Response(
        template_csv(),
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="staff-import-template.csv"'},
    )


def _load(upload_id: str) -> StaffUpload:
    stored = services.find_upload(get_session(), upload_id, clock.utcnow())
    if stored is None:
        abort(404)
    return stored


def _preview(stored: StaffUpload, plan: Plan, form: ConfirmImportForm, changed: bool) -> str:
    form.sha256.data, form.plan.data = stored.sha256, plan.digest()
    return render_template(
        "onboarding/preview.html",
        upload=stored,
        plan=plan,
        Action=Action,
        form=form,
        upload_form=UploadForm(formdata=None),
        changed=changed,
        email_problem=mail_problem(current_app),
    )


def _plan(stored: StaffUpload) -> Plan:
    return services.plan_file(
        get_session(),
        stored.organisation_id,
        stored.content,
        max_bytes=get_settings().onboarding_max_bytes,
        today=clock.today(),
    )


@blueprint.route("/people/import/<upload_id>", methods=["GET", "POST"])
def preview(upload_id: str) -> Response | str:
    stored = _load(upload_id)
    authorise(Permission.IMPORT_PEOPLE, UploadFacts(stored.organisation_id, stored.uploaded_by_id))
    session = get_session()
    plan = _plan(stored)
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        return _preview(stored, plan, form, changed=False)
    if form.sha256.data != stored.sha256 or form.plan.data != plan.digest() or not plan.ok:
        # Someone changed the people or the organisation since the preview: show it again.
        return _preview(stored, plan, form, changed=True)
    organisation = session.get_one(Organisation, stored.organisation_id)
    try:
        result = services.import_staff(auditor(), organisation, plan, file_sha256=stored.sha256)
        session.delete(stored)
        session.flush()  # a person added at the same moment is found here, not at the commit
    except services.ImportLineError as error:
        doom()
        failed = Plan(plan.lines, [error.problem], plan.ignored_columns)
        return _preview(stored, failed, form, changed=True)
    except IntegrityError:
        # Someone added one of these people at the same moment: the new preview shows them.
        doom()
        return _preview(stored, _plan(stored), form, changed=True)
    invited = mail_problem(current_app) is None
    if invited:
        send_invitations(current_app, result.created_ids, requested_by_id=current_user.id)
    flash(_imported(result, invited), "success")
    if result.created_ids and not invited:
        return redirect(url_for("onboarding.set_up_letters"))
    return redirect(url_for("people.index"))


def _imported(result: services.ImportResult, invited: bool) -> str:
    added = len(result.created_ids)
    return (
        f"Imported: {added} added"
        + (" and invited by email" if invited and added else "")
        + f", {result.updated} updated, {result.unchanged} unchanged"
        + (f", {result.left} left out because they have left" if result.left else "")
        + "."
        + (
            " Email is not set up, so no invitations were sent and the people added have no "
            "way in yet: print a set-up letter for each of them below."
            if added and not invited
            else ""
        )
    )


@blueprint.route("/people/set-up-letters", methods=["GET", "POST"])
def set_up_letters() -> str:
    """Everyone in the organisation who has not chosen a password yet; printing their letters
    gives each a one-time link (see `letters`)."""
    authorise(Permission.IMPORT_PEOPLE)
    waiting = letters.waiting_to_set_up(get_session(), current_user.organisation_id)
    form = LettersForm()
    form.person_ids.choices = options((item.id, f"{item.name} ({item.email})") for item in waiting)
    if request.method == "GET":
        form.person_ids.data = [person.id for person in waiting]
    if form.validate_on_submit():
        return _print([person for person in waiting if person.id in form.person_ids.data])
    page = "onboarding/set_up_letters.html"
    return render_template(
        page, form=form, waiting=waiting, email_problem=mail_problem(current_app)
    )


@blueprint.route("/people/<int:person_id>/set-up-letter", methods=["POST"])
def set_up_letter(person_id: int) -> Response | str:
    person = get_session().get(User, person_id)
    if person is None:
        abort(404)
    authorise(Permission.RESET_PASSWORD, person_facts(person))
    if not person.active:  # (the CSRF token is checked for every POST by `extensions.csrf`)
        flash(f"No letter was printed: {person.name}'s account is deactivated.", "error")
        return redirect(url_for("people.show", person_id=person.id))
    return _print([person])


def _print(people: list[User]) -> str:
    printed = letters.issue_letters(
        auditor(),
        people,
        now=clock.utcnow(),
        valid_for=link_validity(get_settings()).invitation,
        requested_by_id=current_user.id,
    )
    return render_template(
        "onboarding/letters.html", letters=printed, organisation=current_user.organisation
    )

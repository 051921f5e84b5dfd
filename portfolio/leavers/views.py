"""People who have left; a person's export (their own download, or an administrator's for a
subject access request or a leaver); bringing another organisation's export in."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response

from portfolio.access import allowed, authorise, current_actor, person_facts
from portfolio.core.clock import today, utcnow
from portfolio.core.forms import options
from portfolio.core.sandbox import StoppedError
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.leavers import checks, export, importing, queries, settings
from portfolio.leavers.forms import ImportForm
from portfolio.pdf import services as print_services
from portfolio.pdf import views as pdf_views
from portfolio.people import services as people_services
from portfolio.people.forms import DeactivateForm
from portfolio.people.models import Organisation, User
from portfolio.policy import Permission
from portfolio.unit_of_work import doom, on_rollback
from portfolio.web import auditor, field_error

blueprint = Blueprint("leavers", __name__)

IMPORT_ENDPOINT = "leavers.import_portfolio"


@blueprint.record_once
def _allow_an_archive_upload(state) -> None:  # type: ignore[no-untyped-def]
    """The import page takes a whole portfolio, far larger than MAX_UPLOAD_BYTES. The limit
    must be raised before the CSRF check reads the form, so this runs first of all; and only
    for a signed-in person the policy lets import (the session cookie is read here, its person
    loaded as on every page), so nobody else can make the server read and spool a large body:
    theirs is refused at the ordinary limit (413) before it is read."""

    def raise_limit() -> None:
        if request.endpoint == IMPORT_ENDPOINT and allowed(Permission.IMPORT_PORTFOLIO):
            request.max_content_length = settings.archive_max_bytes()

    state.app.before_request_funcs.setdefault(None, []).insert(0, raise_limit)


@blueprint.route("/people/left")
def left() -> str:
    authorise(Permission.VIEW_LEAVERS)
    return render_template(
        "leavers/left.html", leavers=queries.leavers(get_session(), current_actor(), today())
    )


@blueprint.route("/people/<int:person_id>/export", methods=["POST"])
def download(person_id: int) -> Response:
    person = get_session().get(User, person_id)
    if person is None:
        abort(404)
    facts = person_facts(person)
    authorise(Permission.EXPORT_PORTFOLIO, facts)
    session = get_session()
    try:
        exported = export.write_export(
            session,
            person,
            settings.store(),
            by_themselves=person.id == current_user.id,
            max_bytes=settings.archive_max_bytes(),
            pdf=_printed(person) if allowed(Permission.PRINT_PORTFOLIO, facts) else None,
        )
    except export.ExportError as error:
        doom()
        flash(f"The export could not be made. {error}", "error")
        if person.id == current_user.id:
            return redirect(url_for("accounts.account"))
        return redirect(url_for("people.show", person_id=person.id))
    export.record_export(auditor(), person, exported)
    return send_file(
        exported.file,
        mimetype="application/zip",
        as_attachment=True,
        download_name=exported.download_name,
        max_age=0,
    )


def _printed(person: User) -> bytes | None:
    """The printable portfolio for the export, recorded like any other so it can be verified;
    None when the render is stopped (the export still holds every record and file)."""
    try:
        _, content = print_services.export_portfolio(
            auditor(),
            person,
            exported_by=current_user._get_current_object(),
            store=settings.store(),
            now=utcnow(),
            verify_base=pdf_views.verify_base(),
            due_window_days=get_settings().reassessment_due_days,
            with_appendices=False,  # the certificates are in the export as files
            limits=pdf_views.render_limits(),
        )
    except StoppedError:
        return None
    return content


@blueprint.route("/people/import-portfolio", methods=["GET", "POST"])
def import_portfolio() -> Response | str:
    authorise(Permission.IMPORT_PORTFOLIO)
    session = get_session()
    organisation = session.get_one(Organisation, current_user.organisation_id)
    form = ImportForm()
    form.confirmed.choices = options((item, item) for item in request.form.getlist("confirmed"))
    problems: list[checks.Problem] = []
    if form.validate_on_submit():
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            field_error(form, "file", "Choose the export's ZIP file")
        else:
            try:
                outcome = importing.import_portfolio(
                    auditor(),
                    upload.stream,
                    organisation=organisation,
                    by=current_user._get_current_object(),
                    email=form.email.data or "",
                    name=form.name.data or None,
                    store=settings.store(),
                    limits=settings.limits(),
                    today=today(),
                    confirmed=form.confirmed.data or [],
                )
            except importing.AlreadyImportedError as already:
                doom()
                flash(
                    f"This export was brought in already, for {already.person.name}: "
                    "nothing has changed.",
                    "success",
                )
                return redirect(url_for("leavers.report", import_id=already.previous.id))
            except checks.ImportRefusedError as refused:
                doom()
                problems = refused.problems
                field_error(
                    form, "file", "Nothing was brought in: the file has problems, listed below"
                )
                form.confirmed.choices = options((item, item) for item in refused.to_confirm)
            else:
                on_rollback(outcome.undo)  # after the rollback: it sees what others committed
                return render_template(
                    "leavers/report.html",
                    record=outcome.record,
                    person=outcome.person,
                    report=outcome.report,
                    password=outcome.temporary_password,
                )
    return render_template("leavers/import.html", form=form, problems=problems)


@blueprint.route("/people/portfolio-imports/<int:import_id>")
def report(import_id: int) -> str:
    found = queries.import_record(get_session(), current_user.organisation_id, import_id)
    if found is None:
        abort(404)
    authorise(Permission.IMPORT_PORTFOLIO)
    return render_template(
        "leavers/report.html",
        record=found,
        person=get_session().get_one(User, found.person_id),
        report=importing.ImportReport.from_json(found.report),
        password=None,
    )


# Leaving and returning: an administrator deactivates an account on a confirmation page (the
# last working day and why, audited) and reactivates it if the person comes back.


def _person(person_id: int) -> User:
    person = get_session().get(User, person_id)
    if person is None:
        abort(404)
    return person


@blueprint.route("/people/<int:person_id>/deactivate", methods=["GET", "POST"])
def deactivate(person_id: int) -> Response | str:
    """A confirmation page: their last working day and why, both audited."""
    person = _person(person_id)
    authorise(Permission.DEACTIVATE_PERSON, person_facts(person))
    form = DeactivateForm()
    if request.method == "GET":
        form.last_day.data = today()
    if form.validate_on_submit() and _deactivated(form, person):
        flash(f"{person.name} has been deactivated. Their records are kept.", "success")
        return redirect(url_for("people.show", person_id=person.id))
    return render_template("leavers/deactivate.html", form=form, person=person, on=today())


def _deactivated(form: DeactivateForm, person: User) -> bool:
    try:
        people_services.deactivate(
            auditor(), person, on=today(), last_day=form.last_day.data, reason=form.reason.data
        )
    except people_services.PersonError as error:
        doom()
        field_error(form, error.field, error.message)
        return False
    return True


@blueprint.route("/people/<int:person_id>/reactivate", methods=["POST"])
def reactivate(person_id: int) -> Response:
    person = _person(person_id)
    authorise(Permission.DEACTIVATE_PERSON, person_facts(person))
    people_services.reactivate(auditor(), person)
    flash(f"{person.name} can sign in again.", "success")
    return redirect(url_for("people.show", person_id=person.id))

"""Printing a portfolio, and the public pages that verify one.

`/people/<id>/portfolio` explains what the PDF holds and posts to `portfolio.pdf`, which
renders it on request (within time, memory and page limits) and records the export.
`/verify/<code>` (the QR code's address) and `/verify` (the upload check) need no sign-in
and show only the minimum: the name and job role printed on the export, the competencies it
showed as signed off, and whether any has since expired, been suspended or been revoked.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    abort,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response

from portfolio.access import authorise, person_facts, public
from portfolio.core.clock import today, utcnow
from portfolio.core.sandbox import Stop, StoppedError
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.evidence.views import store
from portfolio.pdf import rules, services
from portfolio.pdf.forms import CheckForm, ExportForm
from portfolio.pdf.models import PortfolioExport
from portfolio.people.models import User
from portfolio.policy import Permission
from portfolio.ratelimit.limiter import VERIFY_CHECK, limiter
from portfolio.unit_of_work import doom
from portfolio.web import auditor, field_error

blueprint = Blueprint("pdf", __name__)
CHUNK = 1024 * 1024
# What the person is told when a render is stopped, and the page's status.
STOPPED = {
    Stop.TOO_LONG: ("The portfolio took too long to prepare as a PDF", 503),
    Stop.TOO_LARGE: ("The portfolio is too large to prepare as a PDF", 422),
    Stop.REFUSED: ("The portfolio is too large to prepare as a PDF", 422),
    Stop.FAILED: ("The portfolio could not be prepared as a PDF", 503),
}


def _worker(person_id: int) -> User:
    person = get_session().get(User, person_id)
    if person is None:
        abort(404)
    authorise(Permission.PRINT_PORTFOLIO, person_facts(person))
    return person


@blueprint.route("/people/<int:person_id>/portfolio")
def export_page(person_id: int) -> str:
    person = _worker(person_id)
    return render_template("printing/export.html", person=person, form=ExportForm())


@blueprint.route("/people/<int:person_id>/portfolio.pdf", methods=["POST"])
def export(person_id: int) -> Response | tuple[str, int]:
    person = _worker(person_id)
    form = ExportForm()
    if not form.validate():
        return render_template("printing/export.html", person=person, form=form), 400
    settings = get_settings()
    try:
        record, content = services.export_portfolio(
            auditor(),
            person,
            exported_by=current_user._get_current_object(),
            store=store(),
            now=utcnow(),
            verify_base=verify_base(),
            due_window_days=settings.reassessment_due_days,
            with_appendices=bool(form.appendices.data),
            limits=render_limits(),
        )
    except StoppedError as error:
        doom()
        title, status = STOPPED[error.why]
        return render_template(
            "printing/stopped.html",
            person=person,
            title=title,
            why=error.why.value,
            detail=error.message if error.why is Stop.REFUSED else None,
        ), status
    response = Response(content, content_type="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{rules.filename(person.name, record.exported_on)}"'
    )
    return response


def render_limits() -> services.Limits:
    return services.Limits.of(get_settings())


def verify_base() -> str:
    """Where the QR code points: VERIFY_BASE_URL, else BASE_URL, else this site's address as
    the request gives it (development and testing only: production refuses to start without
    one of the two, since the Host header is whatever the person printing sends)."""
    settings = get_settings()
    configured = settings.verify_base_url or settings.base_url
    return str(configured or request.url_root)


@blueprint.route("/verify/<code>")
@public
def verification(code: str) -> str | tuple[str, int]:
    """An export's verification; a code that names none answers this page saying so, with
    what was typed and the box to type it again."""
    export = services.export_with_code(get_session(), code)
    if export is None:
        return render_template("printing/verification.html", export=None, typed=code), 404
    return _verification_page(export)


def _verification_page(export: PortfolioExport, *, uploaded: bool = False) -> str:
    on = today()
    return render_template(
        "printing/verification.html",
        export=export,
        code=rules.group_code(export.code),
        trust=services.trust_of(get_session(), export),
        sign_offs=services.standing_now(
            get_session(),
            export,
            on,
            due_window_days=get_settings().reassessment_due_days,
        ),
        on=on,
        uploaded=uploaded,
    )


@blueprint.route("/verify", methods=["GET", "POST"])
@public
def check() -> Response | str | tuple[str, int]:
    """Is this PDF byte for byte a recorded export? Limited per network address. A code typed
    in (`?code=`) goes to its verification page."""
    if request.method == "GET" and request.args.get("code", "").strip():
        return redirect(url_for("pdf.verification", code=request.args["code"].strip()), 303)
    form = CheckForm()
    if not form.validate_on_submit():
        return render_template("printing/check.html", form=form)
    upload = form.file.data
    if upload is None or not upload.filename:
        field_error(form, "file", "Select the portfolio PDF to check")
        return render_template("printing/check.html", form=form)
    if not limiter().hit(VERIFY_CHECK, request.remote_addr or "unknown"):
        upload.close()
        field_error(
            form,
            "file",
            f"There have been too many checks from your network: wait "
            f"{get_settings().sign_in_window_minutes} minutes and try again",
        )
        return render_template("printing/check.html", form=form), 429
    try:
        sha256 = services.sha256_of(iter(lambda: upload.stream.read(CHUNK), b""))
    finally:
        upload.close()
    session = get_session()
    export = services.export_with_hash(session, sha256)
    if export is None:
        return render_template("printing/check.html", form=CheckForm(formdata=None), not_found=True)
    return _verification_page(export, uploaded=True)


def init_app(app: Flask) -> None:
    @app.before_request
    def _larger_uploads_for_the_check() -> None:
        # Before CSRF protection reads the form: an export with its appendices may be larger
        # than MAX_UPLOAD_BYTES allows other forms.
        if request.endpoint == "pdf.check":
            request.max_content_length = get_settings(app).verify_upload_max_bytes

    # Run first, ahead of the CSRF check that parses the body.
    functions = app.before_request_funcs.setdefault(None, [])
    functions.insert(0, functions.pop())

"""A support worker's evidence and procedure log; witnesses confirm procedures as themselves."""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Callable

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from portfolio.access import authorise, person_facts
from portfolio.core.clock import local, today
from portfolio.core.forms import options
from portfolio.core.identifiers import (
    IdentifierFoundError,
    find_patient_identifiers,
    guard,
    highlight,
)
from portfolio.core.settings import get_settings
from portfolio.core.templating import format_date
from portfolio.db import get_session
from portfolio.evidence import drafts, queries, services
from portfolio.evidence.attachments import (
    AttachmentRefusedError,
    AttachmentStore,
    CheckedFile,
    UploadLimit,
    check_upload,
)
from portfolio.evidence.forms import AttachmentForm, EvidenceForm
from portfolio.evidence.models import (
    Attachment,
    Evidence,
    EvidenceKind,
)
from portfolio.evidence.text import render
from portfolio.people.models import User
from portfolio.policy import Permission
from portfolio.redaction import services as redaction
from portfolio.unit_of_work import doom, on_rollback
from portfolio.web import (
    answer_too_large,
    auditor,
    field_error,
    keep_confirmations,
    show_identifier_problems,
)

blueprint = Blueprint("evidence", __name__)

# Set when a form came back too large to read (413): the form shown next says so on its file
# field. One use: a reload shows the form without it.
TOO_LARGE = "evidence_upload_too_large"


@blueprint.app_template_global()
def identifier_highlight(text: str | None) -> Markup | None:
    """The text with anything that looks like a patient identifier marked, or None."""
    findings = find_patient_identifiers(text or "")
    return highlight(text or "", findings) if findings else None


def store() -> AttachmentStore:
    return AttachmentStore(get_settings().attachment_folder)


def _check(upload: FileStorage) -> CheckedFile:
    """Read at most one byte more than allowed (enough to know it is too big), close the
    upload, and check the file by its content."""
    limit = get_settings().attachment_max_bytes
    try:
        data: bytes = upload.read(limit + 1)
    finally:
        upload.close()
    return check_upload(data, upload.filename or "", allowed=_allowed_types(), max_bytes=limit)


def _allowed_types() -> set[str]:
    return set(get_settings().attachment_types)


def upload_limit() -> UploadLimit:
    """The largest file a form can send: the attachment limit, or the request limit if that
    is lower."""
    settings = get_settings()
    largest = min(settings.attachment_max_bytes, settings.max_upload_bytes)
    return UploadLimit(largest, tuple(settings.attachment_types))


def _back_to(endpoint: str, may: Callable[[], object]) -> Callable[[], Response | None]:
    """The answer to a request too large to read (413) on a form with a file: nothing was
    read, so nothing was saved. For someone the route would let act (`may`, asking the
    policy), back to the page of the form, its file field saying the limit; the evidence form
    loads the draft evidence-draft.js saved just before sending. Anyone else gets the error
    page."""

    def answer() -> Response | None:
        try:
            may()
        except HTTPException:
            return None
        session[TOO_LARGE] = True
        return redirect(url_for(endpoint, **(request.view_args or {})), code=303)

    return answer


def _may_change() -> object:
    return owner_of(int((request.view_args or {})["evidence_id"]), Permission.LOG_EVIDENCE)


@blueprint.record_once
def _answer_too_large(state) -> None:  # type: ignore[no-untyped-def]
    log = functools.partial(signed_in_worker, Permission.LOG_EVIDENCE)
    answer_too_large(state.app, "evidence.new", _back_to("evidence.new", log))
    answer_too_large(state.app, "evidence.edit", _back_to("evidence.edit", _may_change))
    answer_too_large(state.app, "evidence.attach", _back_to("evidence.show", _may_change))


def _show_too_large(form: FlaskForm) -> bool:
    """Whether the form follows a request too large to read; if so its file field says so."""
    if request.method != "GET" or not session.pop(TOO_LARGE, False):
        return False
    field_error(form, "file", upload_limit().too_large)
    return True


def owner_of(evidence_id: int, permission: Permission) -> tuple[Evidence, User]:
    evidence = get_session().get(Evidence, evidence_id)
    if evidence is None:
        abort(404)
    owner = get_session().get_one(User, evidence.worker_id)
    authorise(permission, person_facts(owner))
    return evidence, owner


def signed_in_worker(permission: Permission) -> User:
    me: User = current_user._get_current_object()
    authorise(permission, person_facts(me))
    return me


@blueprint.route("/people/<int:person_id>/evidence")
def index(person_id: int) -> str:
    person = get_session().get(User, person_id)
    if person is None:
        abort(404)
    facts = person_facts(person)
    authorise(Permission.VIEW_EVIDENCE, facts)
    session = get_session()
    return render_template(
        "evidence/index.html",
        person=person,
        facts=facts,
        evidence=queries.evidence_of(session, person.id),
        procedures=queries.procedures_of(session, person.id),
    )


def _evidence_form(
    worker: User, evidence: Evidence | None = None
) -> tuple[EvidenceForm, queries.ScopeChoices, drafts.SavedDraft | None]:
    """The form with the worker's scope. Shown afresh, it holds the evidence as saved (or
    today's date), then whatever draft was saved automatically over it."""
    choices = queries.scope_choices(get_session(), worker, today())
    form = EvidenceForm()
    form.competency_codes.choices = options(choices.evidence)
    form.file.description = upload_limit().hint
    keep_confirmations(form)
    if request.method != "GET":
        return form, choices, None
    if evidence is None:  # from a competency's page: that competency already chosen
        form.activity_on.data = today()
        wanted = set(request.args.getlist("competency"))
        form.competency_codes.data = [code for code, _ in choices.evidence if code in wanted]
    else:
        latest = evidence.latest
        form.kind.data = latest.kind.value
        form.title.data, form.activity_on.data, form.body.data = (
            latest.title,
            latest.activity_on,
            latest.body,
        )
        form.competency_codes.data = [link.competency_code for link in latest.links]
    draft = drafts.draft_of(get_session(), worker.id, evidence.id if evidence else None)
    if draft is not None:
        _restore(form, draft.fields)
    return form, choices, draft


def _restore(form: EvidenceForm, fields: drafts.DraftFields) -> None:
    form.kind.data = fields.kind or None
    form.title.data, form.body.data = fields.title, fields.body
    form.competency_codes.data = list(fields.competency_codes)
    try:
        form.activity_on.data = dt.date.fromisoformat(fields.activity_on)
    except ValueError:
        form.activity_on.data = None


def _render_form(
    form: EvidenceForm,
    choices: queries.ScopeChoices,
    evidence: Evidence | None,
    draft: drafts.SavedDraft | None,
    *,
    too_large: bool = False,
) -> str:
    restored = None
    if draft is not None:
        when = local(draft.saved_at)
        restored = f"{when:%H:%M} on {format_date(when.date())}"
    return render_template(
        "evidence/form.html",
        form=form,
        evidence=evidence,
        choices=choices,
        restored=restored,
        upload=upload_limit(),
        too_large=too_large,
    )


def _save(
    form: EvidenceForm, worker: User, choices: queries.ScopeChoices, evidence: Evidence | None
) -> Evidence | None:
    confirmed = form.confirmed.data or []
    checked = None
    upload = request.files.get("file")
    try:
        if upload is not None and upload.filename:
            checked = _check(upload)
        details = services.EvidenceDetails(
            kind=EvidenceKind(form.kind.data),
            title=form.title.data or "",
            activity_on=form.activity_on.data,
            body=form.body.data or "",
            competency_codes=frozenset(form.competency_codes.data or []),
        )
        fields = {"title": details.title, "body": details.body}
        if checked is not None:
            fields |= {"file": checked.filename, "file_text": checked.text}
        guard(fields, confirmed)  # everything at once, before anything is saved
        saved = services.save_evidence(
            auditor(),
            worker,
            details,
            scope_codes=[code for code, _ in choices.evidence],
            today=today(),
            confirmed=confirmed,
            evidence=evidence,
        )
        if checked is not None:
            _, undo = services.add_attachment(
                auditor(), worker, saved, checked, store(), confirmed=confirmed
            )
            on_rollback(undo)  # no orphan file if the evidence is not saved
        return saved
    except AttachmentRefusedError as error:
        doom()
        field_error(form, "file", str(error))
    except services.EvidenceError as error:
        doom()
        field_error(form, error.field, error.message)
    except IdentifierFoundError as error:
        doom()
        show_identifier_problems(form, error)
    return None


@blueprint.route("/evidence/new", methods=["GET", "POST"])
def new() -> Response | str:
    worker = signed_in_worker(Permission.LOG_EVIDENCE)
    form, choices, draft = _evidence_form(worker)
    too_large = _show_too_large(form)
    if form.validate_on_submit():
        saved = _save(form, worker, choices, None)
        if saved is not None:
            flash("Your evidence has been saved.", "success")
            return redirect(url_for("evidence.show", evidence_id=saved.id))
    return _render_form(form, choices, None, draft, too_large=too_large)


@blueprint.route("/evidence/<int:evidence_id>")
def show(evidence_id: int) -> str:
    evidence, owner = owner_of(evidence_id, Permission.VIEW_EVIDENCE)
    number = request.args.get("version", type=int) or evidence.latest.number
    version = next((item for item in evidence.versions if item.number == number), None)
    if version is None:
        abort(404)
    return render_template(
        "evidence/show.html",
        evidence=evidence,
        version=version,
        owner=owner,
        body=render(version.body),
        facts=person_facts(owner),
        attachment_form=_attachment_form(),
        upload=upload_limit(),
        redactions=redaction.notes(get_session(), evidence_ids=[evidence.id]).get(
            ("evidence", evidence.id), []
        ),
    )


@blueprint.route("/evidence/<int:evidence_id>/edit", methods=["GET", "POST"])
def edit(evidence_id: int) -> Response | str:
    evidence, owner = owner_of(evidence_id, Permission.LOG_EVIDENCE)
    form, choices, draft = _evidence_form(owner, evidence)
    too_large = _show_too_large(form)
    if form.validate_on_submit():
        saved = _save(form, owner, choices, evidence)
        if saved is not None:
            flash("Your changes have been saved.", "success")
            return redirect(url_for("evidence.show", evidence_id=saved.id))
    return _render_form(form, choices, evidence, draft, too_large=too_large)


def _attachment_form() -> AttachmentForm:
    form = AttachmentForm()
    form.file.description = upload_limit().hint
    _show_too_large(form)
    return form


@blueprint.route("/evidence/<int:evidence_id>/attachments", methods=["POST"])
def attach(evidence_id: int) -> Response | str:
    evidence, owner = owner_of(evidence_id, Permission.LOG_EVIDENCE)
    form = _attachment_form()
    keep_confirmations(form)
    upload = request.files.get("file")
    if form.validate_on_submit():
        try:
            if upload is None or not upload.filename:
                raise AttachmentRefusedError("Select a file")
            checked = _check(upload)
            _, undo = services.add_attachment(
                auditor(), owner, evidence, checked, store(), confirmed=form.confirmed.data or []
            )
            on_rollback(undo)  # no orphan file if the attachment is not saved
        except AttachmentRefusedError as error:
            doom()
            field_error(form, "file", str(error))
        except services.EvidenceError as error:
            doom()
            field_error(form, "file", error.message)
        except IdentifierFoundError as error:
            doom()
            show_identifier_problems(form, error)
        else:
            flash("The file has been attached.", "success")
            return redirect(url_for("evidence.show", evidence_id=evidence.id))
    version = evidence.latest
    return render_template(
        "evidence/show.html",
        evidence=evidence,
        version=version,
        owner=owner,
        body=render(version.body),
        facts=person_facts(owner),
        attachment_form=form,
        upload=upload_limit(),
    )


@blueprint.route("/evidence/<int:evidence_id>/attachments/<int:attachment_id>")
def download(evidence_id: int, attachment_id: int) -> Response:
    evidence, _ = owner_of(evidence_id, Permission.VIEW_EVIDENCE)
    attachment = get_session().get(Attachment, attachment_id)
    if attachment is None or attachment.version_id not in {item.id for item in evidence.versions}:
        abort(404)
    path = store().path_for(attachment.sha256)
    if not path.exists():
        abort(404)
    # Files are at most ATTACHMENT_MAX_BYTES: read whole, so no handle outlives the request.
    response = send_file(
        io.BytesIO(path.read_bytes()),
        mimetype=attachment.media_type,
        as_attachment=True,
        download_name=attachment.filename,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response

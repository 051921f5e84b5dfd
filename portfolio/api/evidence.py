"""Evidence and the supervised procedure log through the API: listing and reading what the
pages show, logging evidence with its files (multipart), adding files, logging procedures,
and a witness confirming the procedures that name them, with their own password again.

The services and checks are the pages' own (`evidence.services`, `evidence.views._check`,
the patient identifier guard, `web.check_credentials`); a refusal answers 422 naming the
field, and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import abort
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from portfolio.access import authorise, load_person
from portfolio.api import pagination, schemas
from portfolio.api.blueprint import api
from portfolio.api.problems import Problem, invalid
from portfolio.core.clock import today
from portfolio.core.identifiers import IdentifierFoundError, guard
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.evidence import queries, services
from portfolio.evidence.attachments import AttachmentRefusedError, CheckedFile
from portfolio.evidence.models import Evidence, ProcedureLine
from portfolio.evidence.views import _check, download, owner_of, signed_in_worker, store
from portfolio.people.models import User
from portfolio.policy import Permission
from portfolio.unit_of_work import doom, keep_despite_refusal, on_rollback
from portfolio.web import auditor, check_credentials

EVIDENCE = "Evidence"
LARGE = (413, 415)


def identifier_problem(error: IdentifierFoundError) -> Problem:
    """Each field that may hold a patient identifier, with the numbers that only need
    confirming (send them back in `confirmed` if they are not patient identifiers)."""
    return Problem(
        422,
        "Something may be a patient identifier: nothing was saved",
        errors={
            field: [result.message(file_name=field == "file")]
            for field, result in error.results.items()
        },
    )


@contextmanager
def refusals() -> Iterator[None]:
    """A service's refusal becomes a 422 on its field, after rolling back what it began."""
    try:
        yield
    except AttachmentRefusedError as error:
        doom()
        raise invalid("file", str(error)) from None
    except services.EvidenceError as error:
        doom()
        raise invalid(error.field, error.message) from None
    except IdentifierFoundError as error:
        doom()
        raise identifier_problem(error) from None


def _evidence_answer(evidence: Evidence, number: int | None = None) -> schemas.Evidence:
    version = evidence.latest
    if number is not None:
        found = next((item for item in evidence.versions if item.number == number), None)
        if found is None:
            abort(404)
        version = found
    return schemas.Evidence(
        id=evidence.id,
        worker_id=evidence.worker_id,
        version=version.number,
        versions=len(evidence.versions),
        kind=version.kind,
        title=version.title,
        activity_on=version.activity_on,
        body=version.body,
        frozen=version.frozen,
        competency_codes=sorted(link.competency_code for link in version.links),
        attachments=[
            schemas.AttachmentInfo(
                id=item.id,
                filename=item.filename,
                media_type=item.media_type,
                size=item.size,
                sha256=item.sha256,
            )
            for item in version.attachments
        ],
    )


@api.operation(
    "GET",
    "/v1/workers/<int:person_id>/evidence",
    summary="A worker's evidence, newest activity first",
    tag=EVIDENCE,
    query=schemas.ListQuery,
    response=schemas.EvidencePage,
)
def evidence_list(person_id: int, query: schemas.ListQuery) -> schemas.Output:
    person, _ = load_person(person_id, Permission.VIEW_EVIDENCE)
    rows = queries.evidence_of(get_session(), person.id)
    items, cursor = pagination.page(
        rows,
        lambda row: pagination.newest_first(row.activity_on, row.id),
        limit=query.limit,
        cursor=query.cursor,
    )
    return schemas.EvidencePage(
        items=[
            schemas.EvidenceSummary(
                id=row.id,
                kind=row.kind,
                title=row.title,
                activity_on=row.activity_on,
                version=row.version,
                frozen=row.frozen,
                competency_codes=list(row.competency_codes),
                attachments=row.attachments,
            )
            for row in items
        ],
        next_cursor=cursor,
    )


@api.operation(
    "GET",
    "/v1/evidence/<int:evidence_id>",
    summary="One piece of evidence, as at its latest or a chosen version",
    tag=EVIDENCE,
    query=schemas.EvidenceQuery,
    response=schemas.Evidence,
)
def evidence_show(evidence_id: int, query: schemas.EvidenceQuery) -> schemas.Evidence:
    evidence, _ = owner_of(evidence_id, Permission.VIEW_EVIDENCE)
    return _evidence_answer(evidence, query.version)


@api.operation(
    "GET",
    "/v1/evidence/<int:evidence_id>/attachments/<int:attachment_id>",
    summary="An attached file",
    tag=EVIDENCE,
    media=("application/pdf", "image/png", "image/jpeg"),
)
def attachment_download(evidence_id: int, attachment_id: int) -> Response:
    """The file as stored (images without their metadata), with its own media type: the
    evidence page's download, under the same check."""
    return download(evidence_id, attachment_id)


def _checked(uploads: list[object]) -> list[CheckedFile]:
    return [_check(upload) for upload in uploads]  # type: ignore[arg-type]


@api.operation(
    "POST",
    "/v1/evidence",
    summary="Log evidence, with any files attached",
    tag=EVIDENCE,
    body=schemas.NewEvidence,
    multipart=True,
    files=("file",),
    response=schemas.Evidence,
    status=201,
    errors=LARGE,
)
def evidence_create(body: schemas.NewEvidence) -> schemas.Evidence:
    """As the evidence form: against competencies in your scope of practice, dated today or
    before; PDF, PNG or JPEG files checked by their content. Anything that may be a patient
    identifier stops the save (422): numbers that only need confirming can be sent back in
    `confirmed`."""
    worker = signed_in_worker(Permission.LOG_EVIDENCE)
    session = get_session()
    choices = queries.scope_choices(session, worker, today())
    with refusals():
        checked = _checked(body.file)
        details = services.EvidenceDetails(
            kind=body.kind,
            title=body.title,
            activity_on=body.activity_on,
            body=body.body,
            competency_codes=frozenset(body.competency_codes),
        )
        fields = {"title": details.title, "body": details.body}
        for index, item in enumerate(checked):
            fields |= {f"file.{index}": item.filename, f"file.{index}.text": item.text}
        guard(fields, body.confirmed)  # everything at once, before anything is saved
        saved = services.save_evidence(
            auditor(),
            worker,
            details,
            scope_codes=[code for code, _ in choices.evidence],
            today=today(),
            confirmed=body.confirmed,
        )
        for item in checked:
            _, undo = services.add_attachment(
                auditor(), worker, saved, item, store(), confirmed=body.confirmed
            )
            on_rollback(undo)  # no orphan file if the evidence is not saved
    return _evidence_answer(saved)


@api.operation(
    "POST",
    "/v1/evidence/<int:evidence_id>/attachments",
    summary="Attach files to your evidence",
    tag=EVIDENCE,
    body=schemas.NewAttachment,
    multipart=True,
    files=("file",),
    response=schemas.Evidence,
    status=201,
    errors=LARGE,
)
def attachment_create(evidence_id: int, body: schemas.NewAttachment) -> schemas.Evidence:
    evidence, owner = owner_of(evidence_id, Permission.LOG_EVIDENCE)
    with refusals():
        for item in _checked(body.file):
            _, undo = services.add_attachment(
                auditor(), owner, evidence, item, store(), confirmed=body.confirmed
            )
            on_rollback(undo)  # no orphan file if the attachment is not saved
    return _evidence_answer(evidence)


def _procedure(row: queries.ProcedureRow) -> schemas.Procedure:
    return schemas.Procedure(
        id=row.id,
        competency_code=row.competency_code,
        performed_on=row.performed_on,
        setting=row.setting,
        outcome=row.outcome,
        witness_id=row.witness_id,
        witness=row.witness,
        confirmed_at=row.confirmed_at,
    )


@api.operation(
    "GET",
    "/v1/workers/<int:person_id>/procedures",
    summary="A worker's supervised procedure log, newest first",
    tag=EVIDENCE,
    query=schemas.ListQuery,
    response=schemas.ProcedurePage,
)
def procedures_list(person_id: int, query: schemas.ListQuery) -> schemas.Output:
    person, _ = load_person(person_id, Permission.VIEW_EVIDENCE)
    rows = queries.procedures_of(get_session(), person.id)
    items, cursor = pagination.page(
        rows,
        lambda row: pagination.newest_first(row.performed_on, row.id),
        limit=query.limit,
        cursor=query.cursor,
    )
    return schemas.ProcedurePage(items=[_procedure(row) for row in items], next_cursor=cursor)


@api.operation(
    "POST",
    "/v1/procedures",
    summary="Log a supervised procedure for its witness to confirm",
    tag=EVIDENCE,
    body=schemas.NewProcedure,
    response=schemas.Procedure,
    status=201,
    errors=(415,),
)
def procedure_create(body: schemas.NewProcedure) -> schemas.Procedure:
    worker = signed_in_worker(Permission.LOG_EVIDENCE)
    session = get_session()
    choices = queries.scope_choices(session, worker, today())
    with refusals():
        line = services.log_procedure(
            auditor(),
            worker,
            services.ProcedureDetails(
                competency_code=body.competency_code,
                performed_on=body.performed_on,
                setting=body.setting,
                outcome=body.outcome,
                witness_id=body.witness_id,
            ),
            procedure_codes=[code for code, _ in choices.procedures],
            today=today(),
            confirmed=body.confirmed,
        )
    row = next(item for item in queries.procedures_of(session, worker.id) if item.id == line.id)
    return _procedure(row)


@api.operation(
    "POST",
    "/v1/procedure-confirmations",
    summary="Confirm, as their witness, procedures that name you",
    tag=EVIDENCE,
    body=schemas.ProcedureConfirmation,
    response=schemas.Confirmed,
    errors=(415,),
)
def procedure_confirm(body: schemas.ProcedureConfirmation) -> schemas.Confirmed:
    """The witness's own token and their password entered again (counted and limited like a
    sign-in; a temporary password set by an administrator is refused). Lines already
    confirmed are left as they were."""
    authorise(Permission.CONFIRM_PROCEDURES)
    me: User = current_user._get_current_object()
    session = get_session()
    witness, problem = check_credentials(
        me.email, body.password, wrong="Enter the correct password"
    )
    if witness is None:
        keep_despite_refusal()  # the failed attempt is counted
        raise invalid("password", problem)
    lines = session.scalars(select(ProcedureLine).where(ProcedureLine.id.in_(body.line_ids))).all()
    if len(lines) != len(set(body.line_ids)) or any(line.witness_id != me.id for line in lines):
        keep_despite_refusal()  # the password check is kept, as on the page
        raise invalid(
            "line_ids", f"Only procedures that name {me.name} as the witness can be confirmed"
        )
    count = services.confirm_procedures(
        session, audit_key=get_settings().audit_key_bytes, witness=witness, lines=lines
    )
    return schemas.Confirmed(confirmed=count)

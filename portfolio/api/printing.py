"""A worker's portfolio as a PDF anyone can verify: the same print as the page's download
(`pdf.services.export_portfolio`), recorded with its verification code and QR code."""

from __future__ import annotations

from flask_login import current_user
from werkzeug.wrappers import Response

from portfolio.access import load_person
from portfolio.api import schemas
from portfolio.api.blueprint import api
from portfolio.api.problems import Problem
from portfolio.core.clock import utcnow
from portfolio.core.sandbox import Stop, StoppedError
from portfolio.core.settings import get_settings
from portfolio.evidence.views import store
from portfolio.pdf import rules, services
from portfolio.pdf import views as pages
from portfolio.policy import Permission
from portfolio.unit_of_work import doom
from portfolio.web import auditor

# A stopped render: too long or failing is the server's trouble (503), too large is the
# portfolio's (422), as on the page.
STOPPED_STATUS = {Stop.TOO_LONG: 503, Stop.FAILED: 503, Stop.TOO_LARGE: 422, Stop.REFUSED: 422}


@api.operation(
    "POST",
    "/v1/workers/<int:person_id>/portfolio.pdf",
    summary="Print a worker's portfolio as a PDF anyone can verify",
    tag="Portfolio",
    body=schemas.PrintRequest,
    media="application/pdf",
    errors=(415, 503),
)
def portfolio_pdf(person_id: int, body: schemas.PrintRequest) -> Response:
    """The A4 portfolio the worker's page prints, with its verification code and QR code;
    with `appendices`, the PDF certificates attached to evidence follow the numbered pages.
    Each print is recorded (so it can be verified) and audited: a read-write token is
    needed. The worker themselves, their assigned supervisors, educators within reach and
    administrators may print it."""
    person, _ = load_person(person_id, Permission.PRINT_PORTFOLIO)
    settings = get_settings()
    try:
        record, content = services.export_portfolio(
            auditor(),
            person,
            exported_by=current_user._get_current_object(),
            store=store(),
            now=utcnow(),
            verify_base=pages.verify_base(),
            due_window_days=settings.reassessment_due_days,
            with_appendices=body.appendices,
            limits=pages.render_limits(),
        )
    except StoppedError as error:
        doom()
        raise Problem(STOPPED_STATUS[error.why], error.message) from None
    response = Response(content, content_type="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{rules.filename(person.name, record.exported_on)}"'
    )
    response.headers["X-Verification-Code"] = record.code
    return response

"""The test builders: every test makes its people and records with these, never its own copy.

- `people`: organisations, departments, people (with roles, appointments, supervisors,
  registers), posts, framework fixtures, the auditor.
- `evidence`: evidence and corrected versions, attachments, images and PDFs, procedures.
- `signoffs`: paper sign-offs, point-of-care sign-offs, requests, countersignatures,
  suspensions, revocations, and sign-off rows written directly.
- `worlds`: small worlds many tests start from (the cannulation-ready department).
- `web`: a page's words, its CSRF token, signing in through the test client.

Use them as `from tests import factories` then `factories.person(...)`.
"""

from tests.factories.evidence import (
    attachment,
    blank_pdf,
    confirmed_procedures,
    evidence,
    logged_procedure,
    png,
    procedure,
)
from tests.factories.people import (
    AUDIT_KEY,
    FIXTURES,
    PASSWORD,
    auditor,
    department,
    frameworks,
    organisation,
    person,
    post,
    registrant,
)
from tests.factories.signoffs import (
    assessor_facts,
    context,
    countersigned,
    decision,
    requested,
    revocation,
    sign_off_request,
    signed_off,
    suspension,
    transcribed,
)
from tests.factories.web import csrf_token, page_text, sign_in
from tests.factories.worlds import SignOffWorld, sign_off_world

__all__ = [
    "AUDIT_KEY",
    "FIXTURES",
    "PASSWORD",
    "SignOffWorld",
    "assessor_facts",
    "attachment",
    "auditor",
    "blank_pdf",
    "confirmed_procedures",
    "context",
    "countersigned",
    "csrf_token",
    "decision",
    "department",
    "evidence",
    "frameworks",
    "logged_procedure",
    "organisation",
    "page_text",
    "person",
    "png",
    "post",
    "procedure",
    "registrant",
    "requested",
    "revocation",
    "sign_in",
    "sign_off_request",
    "sign_off_world",
    "signed_off",
    "suspension",
    "transcribed",
]

"""The test builders: every test makes its people and records with these, never its own copy.

- `people`: organisations, departments, people (with roles, appointments, supervisors,
  registers), posts, framework fixtures, the auditor.
- `evidence`: evidence and corrected versions, attachments, images and PDFs, procedures
  (confirmed rows, or logged through the service).
- `signoffs`: paper sign-offs, point-of-care sign-offs, requests, countersignatures,
  suspensions, revocations, and sign-off rows written directly.
- `worlds`: small worlds many tests start from (the cannulation-ready department, which the
  `department` fixture of tests/conftest.py builds).
- `histories`: plain status values for the pure rules (decisions, histories, Hypothesis
  strategies), imported as `from tests.factories import histories`.
- `web`: a page's words, its CSRF token, signing in through the test client.

Use them as `from tests import factories` then `factories.person(...)`. Records the services
would refuse today (backdated, expired, an ineligible assessor) are written as rows by
`factories.decision`, `sign_off_request`, `suspension` and `revocation`; everything else goes
through the services, so the audit trail is written as in real use.
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
    local_policy,
    organisation,
    person,
    post,
    registrant,
    shipped_frameworks,
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
from tests.factories.web import (
    csrf_from,
    csrf_token,
    page_text,
    sign_in,
    without_cell_headings,
)
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
    "csrf_from",
    "csrf_token",
    "decision",
    "department",
    "evidence",
    "frameworks",
    "local_policy",
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
    "shipped_frameworks",
    "sign_in",
    "sign_off_request",
    "sign_off_world",
    "signed_off",
    "suspension",
    "transcribed",
    "without_cell_headings",
]

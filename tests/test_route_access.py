"""Every route against every kind of caller: the expected status is written down for each.

A new route that is not in the table fails `test_every_route_is_in_the_table`, so nobody can
add a page without deciding who may use it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.careers.services import grant_entitlement
from portfolio.core.roles import AccountRole, JobRole
from portfolio.pdf.models import PortfolioExport
from portfolio.people.models import SupervisorAssignment, User
from tests import factories

CALLERS = (
    "anonymous",
    "owner",
    "other_worker",
    "assigned_supervisor",
    "unassigned_supervisor",
    "educator_in_reach",
    "educator_outside_reach",
    "admin",
    "other_organisation_admin",
)

# One row per route: the status each caller gets, in the order of CALLERS.
# Paths use {worker}, {assignment} and {department}: the owner's id, their supervision by
# the assigned supervisor, and the owner's department. Rows run in this order for each caller,
# so the ones that end sessions or deactivate the owner come last.
TABLE: list[tuple[str, str, tuple[int, ...]]] = [
    ("GET", "/", (302, 302, 302, 302, 302, 302, 302, 302, 302)),
    ("GET", "/health", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/sign-in", (200, 302, 302, 302, 302, 302, 302, 302, 302)),
    ("POST", "/sign-in", (200, 302, 302, 302, 302, 302, 302, 302, 302)),
    ("GET", "/home", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/account", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/account/password", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("POST", "/account/password", (303, 200, 200, 200, 200, 200, 200, 200, 200)),
    # Personal access tokens: everyone's own (an empty form re-renders); nobody else's.
    ("GET", "/account/tokens", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("POST", "/account/tokens", (303, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("POST", "/account/tokens/{token}/revoke", (303, 302, 404, 404, 404, 404, 404, 404, 404)),
    # Forgotten passwords and emailed links: open to anyone holding the link (here the
    # owner's; posting no password changes nothing).
    ("GET", "/password/forgotten", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("POST", "/password/forgotten", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/password/set/{link}", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("POST", "/password/set/{link}", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/people", (302, 403, 403, 403, 403, 403, 403, 200, 200)),
    ("GET", "/people/new", (302, 403, 403, 403, 403, 403, 403, 200, 200)),
    ("POST", "/people/new", (303, 403, 403, 403, 403, 403, 403, 200, 200)),
    # Importing a staff record extract: administrators; an upload only by whoever uploaded it.
    ("GET", "/people/import", (302, 403, 403, 403, 403, 403, 403, 200, 200)),
    ("POST", "/people/import", (303, 403, 403, 403, 403, 403, 403, 200, 200)),
    ("GET", "/people/import/template.csv", (302, 403, 403, 403, 403, 403, 403, 200, 200)),
    ("GET", "/people/import/{upload}", (302, 404, 404, 404, 404, 404, 404, 200, 404)),
    ("POST", "/people/import/{upload}", (303, 404, 404, 404, 404, 404, 404, 200, 404)),
    ("GET", "/people/{worker}", (302, 200, 404, 200, 404, 200, 404, 200, 404)),
    ("GET", "/people/{worker}/edit", (302, 403, 404, 403, 404, 403, 404, 200, 404)),
    ("POST", "/people/{worker}/edit", (303, 403, 404, 403, 404, 403, 404, 200, 404)),
    ("GET", "/people/{worker}/job-role", (302, 403, 404, 403, 404, 403, 404, 200, 404)),
    ("POST", "/people/{worker}/job-role", (303, 403, 404, 403, 404, 403, 404, 200, 404)),
    ("GET", "/people/{worker}/supervisors/new", (302, 403, 404, 403, 404, 403, 404, 200, 404)),
    ("POST", "/people/{worker}/supervisors/new", (303, 403, 404, 403, 404, 403, 404, 200, 404)),
    (
        "GET",
        "/people/{worker}/supervisors/{assignment}/end",
        (302, 403, 404, 403, 404, 403, 404, 200, 404),
    ),
    (
        "POST",
        "/people/{worker}/supervisors/{assignment}/end",
        (303, 403, 404, 403, 404, 403, 404, 200, 404),
    ),
    ("GET", "/frameworks", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/frameworks/{framework}", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/frameworks/competencies/{competency}", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/scopes/{job_role}", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/organisation/posts", (302, 403, 403, 403, 403, 403, 403, 200, 200)),
    ("GET", "/organisation/posts/new?job_role=scsw", (302, 403, 403, 403, 403, 403, 403, 200, 200)),
    (
        "POST",
        "/organisation/posts/new?job_role=scsw",
        (303, 403, 403, 403, 403, 403, 403, 200, 200),
    ),
    ("GET", "/organisation/posts/{post}", (302, 403, 403, 403, 403, 403, 403, 200, 404)),
    ("POST", "/organisation/posts/{post}", (303, 403, 403, 403, 403, 403, 403, 200, 404)),
    ("GET", "/organisation/policies", (302, 403, 403, 403, 403, 403, 403, 200, 200)),
    ("GET", "/organisation/policies/{competency}", (302, 403, 403, 403, 403, 403, 403, 200, 200)),
    ("POST", "/organisation/policies/{competency}", (303, 403, 403, 403, 403, 403, 403, 200, 200)),
    ("GET", "/people/{worker}/qualifications/new", (302, 200, 404, 403, 404, 200, 404, 200, 404)),
    ("POST", "/people/{worker}/qualifications/new", (303, 200, 404, 403, 404, 200, 404, 200, 404)),
    ("GET", "/people/{worker}/entitlements/new", (302, 403, 404, 403, 404, 403, 404, 200, 404)),
    ("POST", "/people/{worker}/entitlements/new", (303, 403, 404, 403, 404, 403, 404, 200, 404)),
    (
        "GET",
        "/people/{worker}/entitlements/{entitlement}/withdraw",
        (302, 403, 404, 403, 404, 403, 404, 200, 404),
    ),
    (
        "POST",
        "/people/{worker}/entitlements/{entitlement}/withdraw",
        (303, 403, 404, 403, 404, 403, 404, 200, 404),
    ),
    ("GET", "/people/{worker}/plan/new", (302, 403, 404, 200, 404, 200, 404, 200, 404)),
    ("POST", "/people/{worker}/plan/new", (303, 403, 404, 200, 404, 200, 404, 200, 404)),
    ("GET", "/people/{worker}/evidence", (302, 200, 404, 200, 404, 200, 404, 200, 404)),
    ("GET", "/evidence/new", (302, 200, 200, 403, 403, 403, 403, 403, 403)),
    ("POST", "/evidence/new", (303, 200, 200, 403, 403, 403, 403, 403, 403)),
    ("GET", "/evidence/{evidence}", (302, 200, 404, 200, 404, 200, 404, 200, 404)),
    ("GET", "/evidence/{evidence}/edit", (302, 200, 404, 403, 404, 403, 404, 403, 404)),
    ("POST", "/evidence/{evidence}/edit", (303, 200, 404, 403, 404, 403, 404, 403, 404)),
    ("POST", "/evidence/{evidence}/attachments", (303, 200, 404, 403, 404, 403, 404, 403, 404)),
    (
        "GET",
        "/evidence/{evidence}/attachments/{attachment}",
        (302, 200, 404, 200, 404, 200, 404, 200, 404),
    ),
    ("POST", "/evidence/drafts", (303, 200, 200, 403, 403, 403, 403, 403, 403)),
    ("POST", "/evidence/drafts/discard", (303, 302, 302, 403, 403, 403, 403, 403, 403)),
    ("POST", "/evidence/{evidence}/drafts", (303, 200, 404, 403, 404, 403, 404, 403, 404)),
    (
        "POST",
        "/evidence/{evidence}/drafts/discard",
        (303, 302, 404, 403, 404, 403, 404, 403, 404),
    ),
    ("GET", "/procedures/new", (302, 200, 200, 403, 403, 403, 403, 403, 403)),
    ("POST", "/procedures/new", (303, 200, 200, 403, 403, 403, 403, 403, 403)),
    ("GET", "/procedures/confirm", (302, 200, 200, 403, 403, 403, 403, 403, 403)),
    ("POST", "/procedures/confirm", (303, 200, 200, 403, 403, 403, 403, 403, 403)),
    ("GET", "/people/{worker}/competencies", (302, 200, 404, 200, 404, 200, 404, 200, 404)),
    ("GET", "/people/{worker}/progress", (302, 200, 404, 200, 404, 200, 404, 200, 404)),
    (
        "GET",
        "/people/{worker}/competencies/{competency}",
        (302, 200, 404, 200, 404, 200, 404, 200, 404),
    ),
    ("GET", "/competencies/{competency}/sign-off", (302, 200, 200, 403, 403, 403, 403, 403, 403)),
    ("POST", "/competencies/{competency}/sign-off", (303, 200, 200, 403, 403, 403, 403, 403, 403)),
    ("GET", "/competencies/{competency}/request", (302, 200, 200, 403, 403, 403, 403, 403, 403)),
    ("POST", "/competencies/{competency}/request", (303, 200, 200, 403, 403, 403, 403, 403, 403)),
    ("GET", "/to-do", (302, 403, 403, 200, 200, 200, 200, 403, 403)),
    # Only the assessor the request waits on (here the assigned supervisor) decides it.
    ("GET", "/sign-off-requests/{request}", (302, 404, 404, 200, 404, 404, 404, 404, 404)),
    ("POST", "/sign-off-requests/{request}", (303, 404, 404, 200, 404, 404, 404, 404, 404)),
    # The request's emailed link: anyone holding it sees the page asking for the assessor's
    # password (posting none changes nothing); signed in, only that assessor, who goes on to
    # the decision page, and everyone else is told it was sent to another assessor.
    ("GET", "/sign-off-links/{sign_off_link}", (200, 403, 403, 302, 403, 403, 403, 403, 403)),
    ("POST", "/sign-off-links/{sign_off_link}", (200, 403, 403, 302, 403, 403, 403, 403, 403)),
    # The dispute link of the email confirming a sign-off made on a shared device: open to
    # whoever holds it, as a password link is (the email went to the assessor alone).
    ("GET", "/sign-off-disputes/{dispute}", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("POST", "/sign-off-disputes/{dispute}", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/sign-offs/{decision}/countersign", (302, 403, 404, 403, 404, 200, 404, 403, 404)),
    ("POST", "/sign-offs/{decision}/countersign", (303, 403, 404, 403, 404, 200, 404, 403, 404)),
    ("GET", "/sign-offs/{decision}/suspend", (302, 403, 404, 403, 404, 200, 404, 200, 404)),
    ("POST", "/sign-offs/{decision}/suspend", (303, 403, 404, 403, 404, 200, 404, 200, 404)),
    ("GET", "/sign-offs/{decision}/reinstate", (302, 403, 404, 403, 404, 200, 404, 200, 404)),
    ("POST", "/sign-offs/{decision}/reinstate", (303, 403, 404, 403, 404, 200, 404, 200, 404)),
    ("GET", "/sign-offs/{decision}/revoke", (302, 403, 404, 403, 404, 200, 404, 200, 404)),
    ("POST", "/sign-offs/{decision}/revoke", (303, 403, 404, 403, 404, 200, 404, 200, 404)),
    # Transcribing, accepting a previous employer's sign-off, overriding the procedure
    # minimum and redacting: educators in reach and admins, never the worker or an assessor.
    # An empty form re-renders (200) and saves nothing.
    (
        "GET",
        "/people/{worker}/competencies/{competency}/transcribe",
        (302, 403, 404, 403, 404, 200, 404, 200, 404),
    ),
    (
        "POST",
        "/people/{worker}/competencies/{competency}/transcribe",
        (303, 403, 404, 403, 404, 200, 404, 200, 404),
    ),
    (
        "GET",
        "/people/{worker}/competencies/{competency}/accept",
        (302, 403, 404, 403, 404, 200, 404, 200, 404),
    ),
    (
        "POST",
        "/people/{worker}/competencies/{competency}/accept",
        (303, 403, 404, 403, 404, 200, 404, 200, 404),
    ),
    (
        "GET",
        "/people/{worker}/competencies/{competency}/override-minimum",
        (302, 403, 404, 403, 404, 200, 404, 200, 404),
    ),
    (
        "POST",
        "/people/{worker}/competencies/{competency}/override-minimum",
        (303, 403, 404, 403, 404, 200, 404, 200, 404),
    ),
    ("GET", "/evidence/{evidence}/redact", (302, 403, 404, 403, 404, 200, 404, 200, 404)),
    ("POST", "/evidence/{evidence}/redact", (303, 403, 404, 403, 404, 200, 404, 200, 404)),
    ("GET", "/sign-offs/{decision}/redact", (302, 403, 404, 403, 404, 200, 404, 200, 404)),
    ("POST", "/sign-offs/{decision}/redact", (303, 403, 404, 403, 404, 200, 404, 200, 404)),
    # Last of the sign-off rows: the owner's withdrawal ends the request the rows above use.
    (
        "POST",
        "/sign-off-requests/{request}/withdraw",
        (303, 302, 404, 403, 404, 403, 404, 403, 404),
    ),
    # Scope of practice reckoner: the person themselves and any shift lead, educator or admin
    # of their organisation; the shift view for shift leads, educators and admins only.
    ("GET", "/people/{worker}/scope-of-practice", (302, 200, 404, 200, 200, 200, 200, 200, 404)),
    (
        "GET",
        "/people/{worker}/scope-of-practice?task=CANN&on=2026-01-01",
        (302, 200, 404, 200, 200, 200, 200, 200, 404),
    ),
    ("GET", "/shift", (302, 403, 403, 200, 200, 200, 200, 200, 200)),
    (
        "GET",
        "/shift?department={department}&task=CANN",
        (302, 403, 403, 200, 200, 200, 200, 200, 404),
    ),
    # Printing a portfolio: the worker, their assigned supervisors, educators within reach and
    # administrators (the PDF is rendered and the export recorded). Checking one: anyone.
    ("GET", "/people/{worker}/portfolio", (302, 200, 404, 200, 404, 200, 404, 200, 404)),
    ("POST", "/people/{worker}/portfolio.pdf", (303, 200, 404, 200, 404, 200, 404, 200, 404)),
    ("GET", "/verify", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("POST", "/verify", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("GET", "/verify/{export}", (200, 200, 200, 200, 200, 200, 200, 200, 200)),
    # Notices and email preferences: everyone's own, nobody else's. Marking read without
    # saying which notice changes nothing; saving choices with none ticked switches emails off.
    ("GET", "/notices", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("POST", "/notices/read", (303, 302, 302, 302, 302, 302, 302, 302, 302)),
    ("POST", "/notices/read-all", (303, 302, 302, 302, 302, 302, 302, 302, 302)),
    ("GET", "/notices/emails", (302, 200, 200, 200, 200, 200, 200, 200, 200)),
    ("POST", "/notices/emails", (303, 302, 302, 302, 302, 302, 302, 302, 302)),
    ("GET", "/organisation", (302, 403, 403, 403, 403, 403, 403, 200, 200)),
    ("POST", "/organisation", (303, 403, 403, 403, 403, 403, 403, 200, 200)),
    ("GET", "/organisation/departments/new", (302, 403, 403, 403, 403, 403, 403, 200, 200)),
    ("POST", "/organisation/departments/new", (303, 403, 403, 403, 403, 403, 403, 200, 200)),
    (
        "GET",
        "/organisation/departments/{department}",
        (302, 403, 403, 403, 403, 403, 403, 200, 404),
    ),
    (
        "POST",
        "/organisation/departments/{department}",
        (303, 403, 403, 403, 403, 403, 403, 200, 404),
    ),
    # Practice records: whoever may see the person, and the holders of an authority to grant
    # in their department (here the unassigned supervisor), see them; holders and admins
    # grant, never the person; preceptorships by educators in reach and admins. A
    # department's record: admins, educators reaching it and its holders; its authorities
    # and the sites: admins. An empty form re-renders (200) and saves nothing.
    ("GET", "/people/{worker}/practice", (302, 200, 404, 200, 200, 200, 404, 200, 404)),
    (
        "GET",
        "/people/{worker}/practice/entitlements/new",
        (302, 403, 404, 403, 200, 403, 404, 200, 404),
    ),
    (
        "POST",
        "/people/{worker}/practice/entitlements/new",
        (303, 403, 404, 403, 200, 403, 404, 200, 404),
    ),
    (
        "GET",
        "/people/{worker}/practice/designations/new",
        (302, 403, 404, 403, 200, 403, 404, 200, 404),
    ),
    (
        "POST",
        "/people/{worker}/practice/designations/new",
        (303, 403, 404, 403, 200, 403, 404, 200, 404),
    ),
    (
        "GET",
        "/people/{worker}/practice/entitlements/{entitled}/review",
        (302, 403, 404, 403, 200, 403, 404, 200, 404),
    ),
    (
        "POST",
        "/people/{worker}/practice/entitlements/{entitled}/review",
        (303, 403, 404, 403, 200, 403, 404, 200, 404),
    ),
    (
        "GET",
        "/people/{worker}/practice/entitlements/{entitled}/withdraw",
        (302, 403, 404, 403, 200, 403, 404, 200, 404),
    ),
    (
        "POST",
        "/people/{worker}/practice/entitlements/{entitled}/withdraw",
        (303, 403, 404, 403, 200, 403, 404, 200, 404),
    ),
    (
        "GET",
        "/people/{worker}/practice/designations/{designated}/review",
        (302, 403, 404, 403, 200, 403, 404, 200, 404),
    ),
    (
        "POST",
        "/people/{worker}/practice/designations/{designated}/review",
        (303, 403, 404, 403, 200, 403, 404, 200, 404),
    ),
    (
        "GET",
        "/people/{worker}/practice/designations/{designated}/withdraw",
        (302, 403, 404, 403, 200, 403, 404, 200, 404),
    ),
    (
        "POST",
        "/people/{worker}/practice/designations/{designated}/withdraw",
        (303, 403, 404, 403, 200, 403, 404, 200, 404),
    ),
    (
        "GET",
        "/people/{worker}/practice/preceptorships/new",
        (302, 403, 404, 403, 404, 200, 404, 200, 404),
    ),
    (
        "POST",
        "/people/{worker}/practice/preceptorships/new",
        (303, 403, 404, 403, 404, 200, 404, 200, 404),
    ),
    (
        "GET",
        "/people/{worker}/practice/preceptorships/{precepted}/end",
        (302, 403, 404, 403, 404, 200, 404, 200, 404),
    ),
    (
        "POST",
        "/people/{worker}/practice/preceptorships/{precepted}/end",
        (303, 403, 404, 403, 404, 200, 404, 200, 404),
    ),
    (
        "GET",
        "/organisation/departments/{department}/practice",
        (302, 403, 403, 403, 200, 200, 403, 200, 404),
    ),
    (
        "GET",
        "/organisation/departments/{department}/practice/authorities",
        (302, 403, 403, 403, 403, 403, 403, 200, 404),
    ),
    (
        "POST",
        "/organisation/departments/{department}/practice/authorities",
        (303, 403, 403, 403, 403, 403, 403, 200, 404),
    ),
    (
        "GET",
        "/organisation/departments/{department}/practice/authorities/{authority}/end",
        (302, 403, 403, 403, 403, 403, 403, 200, 404),
    ),
    (
        "POST",
        "/organisation/departments/{department}/practice/authorities/{authority}/end",
        (303, 403, 403, 403, 403, 403, 403, 200, 404),
    ),
    ("GET", "/organisation/sites/{site}", (302, 403, 403, 403, 403, 403, 403, 200, 404)),
    ("POST", "/organisation/sites/{site}", (303, 403, 403, 403, 403, 403, 403, 200, 404)),
    ("GET", "/organisation/sites", (302, 403, 403, 403, 403, 403, 403, 200, 200)),
    ("POST", "/organisation/sites", (303, 403, 403, 403, 403, 403, 403, 200, 200)),
    # Educator oversight: the matrix, the lists and their CSV files (posted: an export is
    # recorded), for educators only, each within their own reach.
    ("GET", "/oversight", (302, 403, 403, 403, 403, 200, 200, 403, 403)),
    ("GET", "/oversight/matrix", (302, 403, 403, 403, 403, 200, 200, 403, 403)),
    ("POST", "/oversight/matrix.csv", (303, 403, 403, 403, 403, 200, 200, 403, 403)),
    ("GET", "/oversight/reassessment", (302, 403, 403, 403, 403, 200, 200, 403, 403)),
    ("POST", "/oversight/reassessment.csv", (303, 403, 403, 403, 403, 200, 200, 403, 403)),
    ("GET", "/oversight/suspended", (302, 403, 403, 403, 403, 200, 200, 403, 403)),
    ("POST", "/oversight/suspended.csv", (303, 403, 403, 403, 403, 200, 200, 403, 403)),
    ("GET", "/oversight/qualifications", (302, 403, 403, 403, 403, 200, 200, 403, 403)),
    ("POST", "/oversight/qualifications.csv", (303, 403, 403, 403, 403, 200, 200, 403, 403)),
    # Cohort exports: educators ask for them; only the one who asked (here the educator in
    # reach) follows or downloads one, and nobody else learns it exists.
    ("GET", "/oversight/portfolios", (302, 403, 403, 403, 403, 200, 200, 403, 403)),
    ("POST", "/oversight/portfolios", (303, 403, 403, 403, 403, 303, 303, 403, 403)),
    ("GET", "/oversight/portfolios/{cohort}", (302, 404, 404, 404, 404, 200, 404, 404, 404)),
    (
        "GET",
        "/oversight/portfolios/{cohort}/progress",
        (302, 404, 404, 404, 404, 200, 404, 404, 404),
    ),
    (
        "GET",
        "/oversight/portfolios/{cohort}/download",
        (302, 404, 404, 404, 404, 200, 404, 404, 404),
    ),
    # Who may assess: an educator who may see the person reviews their conditions of practice
    # (an empty form re-renders); the approved-assessor lists for the organisation's educators
    # and administrators (each their own organisation's; another's entry is not found). The
    # first to take the entry off the list does; after that it is already off (a message).
    ("GET", "/people/{worker}/conditions-review", (302, 403, 404, 403, 404, 200, 404, 403, 404)),
    ("POST", "/people/{worker}/conditions-review", (303, 403, 404, 403, 404, 200, 404, 403, 404)),
    ("GET", "/assessor-lists", (302, 403, 403, 403, 403, 200, 200, 200, 200)),
    ("GET", "/assessor-lists/{list}", (302, 403, 403, 403, 403, 200, 200, 200, 200)),
    ("POST", "/assessor-lists/{list}", (303, 403, 403, 403, 403, 200, 200, 200, 200)),
    (
        "POST",
        "/assessor-lists/{list}/{list_entry}/remove",
        (303, 403, 403, 403, 403, 303, 303, 303, 404),
    ),
    # Leavers and movers: the list of people who have left for administrators and educators;
    # a person's export for themselves and their organisation's administrators (supervisors
    # and educators may see the person but not export them); imports for administrators.
    ("GET", "/people/left", (302, 403, 403, 403, 403, 200, 200, 200, 200)),
    ("POST", "/people/{worker}/export", (303, 200, 404, 403, 404, 403, 404, 200, 404)),
    ("GET", "/people/import-portfolio", (302, 403, 403, 403, 403, 403, 403, 200, 200)),
    ("POST", "/people/import-portfolio", (303, 403, 403, 403, 403, 403, 403, 200, 200)),
    ("GET", "/people/portfolio-imports/{import}", (302, 403, 403, 403, 403, 403, 403, 200, 404)),
    ("POST", "/people/{worker}/reset-password", (303, 403, 404, 403, 404, 403, 404, 200, 404)),
    ("POST", "/people/{worker}/invitation", (303, 403, 404, 403, 404, 403, 404, 302, 404)),
    ("POST", "/people/{worker}/reactivate", (303, 403, 404, 403, 404, 403, 404, 302, 404)),
    # Set-up letters (one-time links, printed): administrators, for their own organisation.
    ("GET", "/people/set-up-letters", (302, 403, 403, 403, 403, 403, 403, 200, 200)),
    ("POST", "/people/set-up-letters", (303, 403, 403, 403, 403, 403, 403, 200, 200)),
    ("POST", "/people/{worker}/set-up-letter", (303, 403, 404, 403, 404, 403, 404, 200, 404)),
    # Deactivating: a confirmation page; an empty form re-renders with its errors.
    ("GET", "/people/{worker}/deactivate", (302, 403, 404, 403, 404, 403, 404, 200, 404)),
    ("POST", "/people/{worker}/deactivate", (303, 403, 404, 403, 404, 403, 404, 200, 404)),
    ("POST", "/account/sign-out-everywhere", (303, 302, 302, 302, 302, 302, 302, 302, 302)),
    ("POST", "/sign-out", (303, 302, 302, 302, 302, 302, 302, 302, 302)),
]


def _flask_rule(path: str) -> str:
    path = path.split("?")[0]
    return re.sub(
        r"\{(\w+)\}",
        lambda m: {
            "worker": "<int:person_id>",
            "assignment": "<int:assignment_id>",
            "department": "<int:department_id>",
            "framework": "<code>",
            "competency": "<code>",
            "job_role": "<job_role>",
            "post": "<int:post_id>",
            "entitlement": "<int:entitlement_id>",
            "evidence": "<int:evidence_id>",
            "attachment": "<int:attachment_id>",
            "request": "<int:request_id>",
            "decision": "<int:decision_id>",
            "link": "<token>",
            "sign_off_link": "<token>",
            "dispute": "<token>",
            "upload": "<upload_id>",
            "import": "<int:import_id>",
            "token": "<int:token_id>",
            "export": "<code>",
            "cohort": "<int:export_id>",
            "entitled": "<int:record_id>",
            "designated": "<int:record_id>",
            "precepted": "<int:period_id>",
            "authority": "<int:authority_id>",
            "site": "<int:site_id>",
            "list": "<assessor_list>",
            "list_entry": "<int:entry_id>",
        }[m.group(1)],
        path,
    )


def test_every_route_is_in_the_table(app: Flask) -> None:
    in_app = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        # The API's routes have their own table, by token: tests/api/test_route_access.py.
        if rule.endpoint != "static" and not rule.rule.startswith("/api/")
        for method in rule.methods or ()
        if method in {"GET", "POST", "PUT", "PATCH", "DELETE"}
    }
    in_table = {(method, _flask_rule(path)) for method, path, _ in TABLE}
    assert in_app - in_table == set(), "routes missing from the access table"
    assert in_table - in_app == set(), "the table lists routes the app does not have"


def _evidence_with_a_file(app: Flask, session: Session, owner) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from portfolio.evidence.models import EvidenceKind

    evidence = factories.evidence(
        session,
        owner,
        kind=EvidenceKind.CERTIFICATE,
        title="Certificate",
        activity_on=dt.date(2025, 1, 1),
        body="Attached.",
        codes={"A-1"},
        scope={"A-1"},
        on=dt.date(2026, 1, 1),
    )
    folder = Path(app.instance_path) / "attachments"
    attachment = factories.attachment(session, folder, owner, evidence, factories.png())
    return evidence.id, attachment.id


def _sign_off_records(session: Session, owner, assessor, admin) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """A request waiting on the owner's assigned supervisor, and a suspended sign-off."""
    from portfolio.standing.status import SupervisionLevel

    request = factories.sign_off_request(session, owner, assessor)
    decision = factories.transcribed(
        session,
        owner,
        "A-1",
        admin,
        observed_on=dt.date(2025, 1, 1),
        supervision=SupervisionLevel.INDIRECT,
        assessor_name="A colleague",
        source="Paper record",
    )
    factories.suspension(session, decision, admin, reason="Absence")
    return request.id, decision.id


def _emailed_link(session: Session, request_id: int) -> str:
    """The link the email with the request carries (`signoff.links`)."""
    from portfolio.core.clock import utcnow
    from portfolio.signoff import links
    from portfolio.signoff.models import SignOffRequest

    waiting = session.get_one(SignOffRequest, request_id)
    return links.issue(session, waiting, now=utcnow(), valid_for=dt.timedelta(days=3))


def _dispute_link(session: Session, decision_id: int, assessor: User) -> str:
    """The link of the email confirming a sign-off to its assessor (`signoff.disputes`)."""
    from portfolio.accounts.tokens import new_token, token_hash
    from portfolio.core.clock import utcnow
    from portfolio.signoff.models import SignOffDispute

    token = new_token()
    session.add(
        SignOffDispute(
            decision_id=decision_id,
            assessor_id=assessor.id,
            token_hash=token_hash(token),
            ends_at=utcnow() + dt.timedelta(days=7),
        )
    )
    session.flush()
    return token


def _link_and_upload(session: Session, owner, admin) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """A reset link the owner could follow, and a staff file the admin uploaded."""
    from portfolio.accounts.links import issue_link
    from portfolio.accounts.models import LinkPurpose
    from portfolio.core.clock import utcnow
    from portfolio.onboarding.csvfile import template_csv
    from portfolio.onboarding.services import store_upload

    _, token = issue_link(
        factories.auditor(session),
        owner,
        LinkPurpose.RESET,
        now=utcnow(),
        valid_for=dt.timedelta(hours=1),
        requested_by_id=None,
    )
    upload = store_upload(
        session,
        organisation_id=admin.organisation_id,
        uploaded_by_id=admin.id,
        filename="staff.csv",
        content=template_csv().encode(),
        now=utcnow(),
    )
    return token, upload.id


def _an_import(session: Session, owner, admin) -> int:  # type: ignore[no-untyped-def]
    """The record of an export brought in for the owner (its report page)."""
    from portfolio.core.clock import utcnow
    from portfolio.leavers.importing import ImportReport
    from portfolio.leavers.models import PortfolioImport

    record = PortfolioImport(
        organisation_id=owner.organisation_id,
        export_id="00000000-0000-4000-8000-000000000000",
        person_id=owner.id,
        source_organisation="Elsewhere NHS Trust",
        exported_at=utcnow(),
        imported_by_id=admin.id,
        report=ImportReport("Elsewhere NHS Trust", "2026-01-01T00:00:00+00:00").as_json(),
    )
    session.add(record)
    session.flush()
    return record.id


def _token(session: Session, owner) -> int:  # type: ignore[no-untyped-def]
    """A personal access token of the owner's, for the revoke button."""
    from portfolio.api.models import TokenScope
    from portfolio.api.services import create_token
    from portfolio.core.clock import today

    record, _ = create_token(
        factories.auditor(session, owner),
        owner,
        name="Phone",
        scope=TokenScope.READ,
        expires_on=today() + dt.timedelta(days=30),
        today=today(),
        max_days=365,
        created_by=owner,
    )
    return record.id


def _a_ready_cohort_export(app: Flask, session: Session, educator, owner) -> int:  # type: ignore[no-untyped-def]
    """A cohort export of the owner's department, its ZIP built, asked for by the educator."""
    from portfolio.cohorts.models import (
        CohortExport,
        CohortPortfolio,
        CohortState,
        PortfolioState,
    )
    from portfolio.cohorts.services import ZIP, folder
    from portfolio.core.clock import utcnow
    from portfolio.jobs.cohorts import export_folder

    now = utcnow()
    cohort = CohortExport(
        organisation_id=educator.organisation_id,
        requested_by_id=educator.id,
        requested_at=now,
        description="Ward A department",
        verify_base="http://localhost/",
        state=CohortState.READY,
        total=1,
        last_progress_at=now,
        finished_at=now,
        expires_at=now + dt.timedelta(hours=1),
        portfolios=[
            CohortPortfolio(
                worker_id=owner.id,
                position=1,
                worker_name=owner.name,
                job_role="Senior clinical support worker",
                department="Ward A",
                state=PortfolioState.FAILED,
                failure="It could not be prepared as a PDF",
            )
        ],
    )
    session.add(cohort)
    session.flush()
    where = folder(export_folder(app), cohort.id)
    where.mkdir(parents=True, exist_ok=True)
    (where / ZIP).write_bytes(b"PK\x05\x06" + bytes(18))  # an empty ZIP
    return cohort.id


def _practice_records(session: Session, ward, owner, granter, admin) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """The unassigned supervisor holds both authorities in the owner's department and has
    granted the owner an entitlement and a designation; a preceptorship and a site."""
    from portfolio.frameworks.practice_terms import DesignationKind, EntitlementKind
    from portfolio.people.queries import appointment_on
    from portfolio.practice import authorities, designations, entitlements, preceptorships, sites
    from portfolio.practice.models import Authority

    auditor = factories.auditor(session, admin)
    start, today = dt.date(2025, 1, 1), dt.date(2026, 1, 1)
    held = authorities.appoint_authority(
        auditor, ward, granter, Authority.ENTITLEMENT_GRANTER, starts_on=start
    )
    authorities.appoint_authority(
        auditor, ward, granter, Authority.MR_RESPONSIBLE_PERSON, starts_on=start
    )
    grant = {"granted_by": granter, "granted_on": start, "review_on": today, "today": today}
    entitlement = entitlements.grant_entitlement(
        auditor, owner, ward, kind=EntitlementKind.PATIENT_IDENTIFICATION, modality=None, **grant
    )
    designation = designations.designate(
        auditor, owner, ward, kind=DesignationKind.MR_SAFETY_SCREENING, **grant
    )
    appointment = appointment_on(session, owner.id, start)
    assert appointment is not None
    period = preceptorships.start_preceptorship(
        auditor, appointment, preceptor=granter, starts_on=start, ends_on=today
    )
    site = sites.save_site(auditor, owner.organisation, code="MAIN", name="Main hospital")
    return {
        "entitled": entitlement.id,
        "designated": designation.id,
        "precepted": period.id,
        "authority": held.id,
        "site": site.id,
    }


def _a_list_entry(session: Session, assessor, admin) -> int:  # type: ignore[no-untyped-def]
    """The assigned supervisor on the organisation's list of cannulation assessors."""
    from portfolio.frameworks.practice_terms import AssessorList
    from portfolio.practice.assessor_lists import approve

    entry = approve(
        factories.auditor(session, admin),
        AssessorList.CANNULATION_ASSESSOR,
        assessor.id,
        approved_by=admin,
        approved_on=dt.date(2026, 1, 1),
        today=dt.date(2026, 1, 1),
    )
    return entry.id


@dataclass
class World:
    ids: dict[str, int | str]
    people: dict[str, object]


@pytest.fixture
def world(app: Flask, session: Session) -> World:
    org = factories.organisation(session)
    elsewhere = factories.organisation(session)
    ward_a = factories.department(session, org)
    ward_b = factories.department(session, org)
    supervisor = factories.person(session, org, AccountRole.SUPERVISOR)
    # A senior CSW: cannulation (CANN) is in their scope, so its sign-off pages open.
    owner = factories.person(
        session,
        org,
        AccountRole.SUPPORT_WORKER,
        department=ward_a,
        supervisors=[supervisor],
        job_role=JobRole.SCSW,
    )
    people = {
        "owner": owner,
        "other_worker": factories.person(
            session, org, AccountRole.SUPPORT_WORKER, department=ward_b, job_role=JobRole.SCSW
        ),
        "assigned_supervisor": supervisor,
        "unassigned_supervisor": factories.person(session, org, AccountRole.SUPERVISOR),
        "educator_in_reach": factories.person(session, org, AccountRole.EDUCATOR, reach=[ward_a]),
        "educator_outside_reach": factories.person(
            session, org, AccountRole.EDUCATOR, reach=[ward_b]
        ),
        "admin": factories.person(session, org, AccountRole.ADMIN),
        "other_organisation_admin": factories.person(session, elsewhere, AccountRole.ADMIN),
    }
    factories.frameworks(session, "minimal")
    post = factories.post(session, ward_a, "Plain film SCSW")
    admin = people["admin"]
    entitlement = grant_entitlement(
        factories.auditor(session, admin),  # type: ignore[arg-type]
        owner,
        scope="Chest radiography",
        granted_on=dt.date(2025, 1, 1),
        today=dt.date(2026, 1, 1),
    )
    evidence, attachment = _evidence_with_a_file(app, session, owner)
    assignment = session.scalar(
        select(SupervisorAssignment.id).where(SupervisorAssignment.worker_id == owner.id)
    )
    assert assignment is not None
    request, decision = _sign_off_records(session, owner, supervisor, admin)  # type: ignore[arg-type]
    sign_off_link = _emailed_link(session, request)
    link, upload = _link_and_upload(session, owner, admin)  # type: ignore[arg-type]
    imported = _an_import(session, owner, admin)  # type: ignore[arg-type]
    token = _token(session, owner)
    export = PortfolioExport(
        code="route-table-export",
        worker_id=owner.id,
        exported_by_id=owner.id,
        exported_on=dt.date(2026, 1, 1),
        worker_name=owner.name,
        job_role="Senior clinical support worker",
        sha256="0" * 64,
        pages=1,
        size=1,
    )
    session.add(export)
    session.flush()
    cohort = _a_ready_cohort_export(app, session, people["educator_in_reach"], owner)  # type: ignore[arg-type]
    practice = _practice_records(session, ward_a, owner, people["unassigned_supervisor"], admin)  # type: ignore[arg-type]
    return World(
        ids={
            "worker": owner.id,
            "assignment": assignment,
            "department": ward_a.id,
            "framework": "sample",
            "competency": "CANN",
            "job_role": "scsw",
            "post": post.id,
            "entitlement": entitlement.id,
            "evidence": evidence,
            "attachment": attachment,
            "request": request,
            "decision": decision,
            "link": link,
            "sign_off_link": sign_off_link,
            "dispute": _dispute_link(session, decision, supervisor),
            "upload": upload,
            "import": imported,
            "token": token,
            "export": export.code,
            "cohort": cohort,
            **practice,
            "list": "cannulation_assessor",
            "list_entry": _a_list_entry(session, supervisor, admin),  # type: ignore[arg-type]
        },
        people=people,
    )


@pytest.mark.parametrize("caller", CALLERS)
def test_each_route_answers_each_caller_as_written(
    caller: str, world: World, client: FlaskClient
) -> None:
    if caller != "anonymous":
        response = factories.sign_in(client, world.people[caller])  # type: ignore[arg-type]
        assert response.status_code == 302
    token = factories.csrf_token(client, "/sign-in" if caller == "anonymous" else "/account")
    column = CALLERS.index(caller)
    wrong = []
    for method, path, statuses in TABLE:
        url = path.format(**world.ids)
        if path == "/sign-out" and caller != "anonymous":
            # "Sign out everywhere" has just ended this caller's session: start another.
            factories.sign_in(client, world.people[caller])  # type: ignore[arg-type]
            token = factories.csrf_token(client, "/account")
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, data={"csrf_token": token})
        response.close()  # as a server does: a download's file is closed with its response
        if response.status_code != statuses[column]:
            wrong.append(f"{method} {url}: expected {statuses[column]}, got {response.status_code}")
    assert wrong == [], "\n".join(wrong)

"""An educator's view of the support workers in their reach: the competency matrix, the lists
of sign-offs due or expired and suspended, the 6-month qualification guidance, and a CSV file
of each.

Pages are GET forms (no CSRF token); a CSV file is downloaded by posting the same filters
with a CSRF token, because an export is recorded in the audit trail (a write, which on SQLite
a GET request must not make: it begins its transaction read-only).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from portfolio.access import authorise, current_actor
from portfolio.core import spreadsheet
from portfolio.core.clock import today
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.oversight import lists, queries, services
from portfolio.oversight.forms import (
    ListExportForm,
    ListFilterForm,
    MatrixExportForm,
    MatrixFilterForm,
    RenewalExportForm,
    RenewalFilterForm,
)
from portfolio.oversight.matrix import Filters, Matrix
from portfolio.oversight.queries import Reach
from portfolio.people.queries import departments_of
from portfolio.policy import Permission
from portfolio.web import auditor

blueprint = Blueprint("oversight", __name__)

PER_PAGE = 25


def _due_days() -> int:
    return get_settings().reassessment_due_days


def _reach() -> Reach:
    authorise(Permission.VIEW_WORKERS_IN_REACH)
    return Reach.of(current_actor())


@blueprint.route("/oversight")
def index() -> str:
    reach = _reach()
    departments = [
        (key, name)
        for key, name in departments_of(get_session(), reach.organisation_id)
        if reach.includes(key)
    ]
    return render_template("oversight/index.html", departments=departments)


@blueprint.route("/oversight/matrix")
def matrix() -> str:
    """Workers by competencies, a page at a time."""
    reach, session = _reach(), get_session()
    form = MatrixFilterForm(request.args, choices=queries.filter_options(session, reach))
    form.validate()
    on = form.as_at(today())
    page = queries.matrix(
        session,
        reach,
        form.filters(),
        on,
        request.args.get("page", 1, type=int),
        PER_PAGE,
        due_window_days=_due_days(),
    )
    return render_template("oversight/matrix.html", form=form, page=page, on=on)


@blueprint.route("/oversight/matrix.csv", methods=["POST"])
def matrix_csv() -> Response:
    reach, session = _reach(), get_session()
    form = MatrixExportForm(choices=queries.filter_options(session, reach))
    if not form.validate():
        return _back_to(".matrix")
    on = form.as_at(today())
    found = queries.full_matrix(session, reach, form.filters(), on, due_window_days=_due_days())
    return _download("competency-matrix", reach, form.arguments(), on, *lists.matrix_table(found))


@blueprint.route("/oversight/reassessment")
def reassessment() -> str:
    """Sign-offs due for reassessment in the next N days, or expired in the last N."""
    reach, session = _reach(), get_session()
    form = RenewalFilterForm(request.args, choices=queries.filter_options(session, reach))
    form.validate()
    on, days = form.as_at(today()), form.window()
    rows = lists.renewals(_everything(reach, form.filters(), on), days)
    return render_template("oversight/reassessment.html", form=form, rows=rows, on=on, days=days)


@blueprint.route("/oversight/reassessment.csv", methods=["POST"])
def reassessment_csv() -> Response:
    reach, session = _reach(), get_session()
    form = RenewalExportForm(choices=queries.filter_options(session, reach))
    if not form.validate():
        return _back_to(".reassessment")
    on, days = form.as_at(today()), form.window()
    rows = lists.renewals(_everything(reach, form.filters(), on), days)
    return _download("reassessment", reach, form.arguments(), on, *lists.renewals_table(rows))


@blueprint.route("/oversight/suspended")
def suspended() -> str:
    reach, session = _reach(), get_session()
    form = ListFilterForm(request.args, choices=queries.filter_options(session, reach))
    form.validate()
    on = form.as_at(today())
    rows = lists.suspended(_everything(reach, form.filters(), on))
    return render_template("oversight/suspended.html", form=form, rows=rows, on=on)


@blueprint.route("/oversight/suspended.csv", methods=["POST"])
def suspended_csv() -> Response:
    reach, session = _reach(), get_session()
    form = ListExportForm(choices=queries.filter_options(session, reach))
    if not form.validate():
        return _back_to(".suspended")
    on = form.as_at(today())
    rows = lists.suspended(_everything(reach, form.filters(), on))
    return _download(
        "suspended-sign-offs", reach, form.arguments(), on, *lists.suspended_table(rows)
    )


@blueprint.route("/oversight/qualifications")
def qualifications() -> str:
    """People without a recommended qualification for their job role: the 6-month guidance."""
    reach, session = _reach(), get_session()
    form = ListFilterForm(request.args, choices=queries.filter_options(session, reach))
    form.validate()
    on = form.as_at(today())
    rows = queries.qualification_support(session, reach, form.filters(), on)
    return render_template("oversight/qualifications.html", form=form, rows=rows, on=on)


@blueprint.route("/oversight/qualifications.csv", methods=["POST"])
def qualifications_csv() -> Response:
    reach, session = _reach(), get_session()
    form = ListExportForm(choices=queries.filter_options(session, reach))
    if not form.validate():
        return _back_to(".qualifications")
    on = form.as_at(today())
    rows = queries.qualification_support(session, reach, form.filters(), on)
    return _download(
        "qualification-support", reach, form.arguments(), on, *lists.guidance_table(rows)
    )


def _everything(reach: Reach, filters: Filters, on: dt.date) -> Matrix:
    return queries.full_matrix(get_session(), reach, filters, on, due_window_days=_due_days())


def _back_to(endpoint: str) -> Response:
    """A posted filter that no longer validates: the page shows what is wrong."""
    arguments: dict[str, Any] = {
        key: value for key, value in request.form.items() if key != "csrf_token"
    }
    return redirect(url_for(endpoint, **arguments), 303)


def _download(
    kind: str,
    reach: Reach,
    arguments: dict[str, str],
    on: dt.date,
    header: Sequence[str],
    rows: Sequence[Iterable[spreadsheet.Value]],
) -> Response:
    data = spreadsheet.csv_bytes(header, [list(row) for row in rows])
    services.record_export(
        auditor(),
        organisation_id=reach.organisation_id,
        export=kind,
        on=on,
        filters={key: value for key, value in arguments.items() if key != "on"},
        rows=len(rows),
    )
    response = Response(data, content_type=spreadsheet.CONTENT_TYPE)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{spreadsheet.filename(kind, on)}"'
    )
    return response

"""The educator's competency matrix as a CSV file: the same file as the oversight page's
download (`oversight.lists.matrix_table`, `core.spreadsheet`), for the workers in the
caller's reach, recorded in the audit trail without its contents."""

from __future__ import annotations

from werkzeug.wrappers import Response

from portfolio.access import authorise, current_actor
from portfolio.api import schemas
from portfolio.api.auth import apart
from portfolio.api.blueprint import api
from portfolio.api.views import due_days
from portfolio.audit.services import Auditor
from portfolio.core import spreadsheet
from portfolio.core.clock import today
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.oversight import lists, queries, services
from portfolio.oversight.matrix import Filters
from portfolio.oversight.queries import Reach
from portfolio.policy import Permission

EXPORT = "competency-matrix"


@api.operation(
    "GET",
    "/v1/cohort/matrix.csv",
    summary="The competency matrix of the workers in your reach, as CSV",
    tag="Oversight",
    query=schemas.MatrixQuery,
    media="text/csv",
)
def matrix_csv(query: schemas.MatrixQuery) -> Response:
    """Every worker the filters keep (not a page): UTF-8 with a byte order mark, ISO dates, a
    header row, cells that could start a formula prefixed with '. Educators only."""
    authorise(Permission.VIEW_WORKERS_IN_REACH)
    actor = current_actor()
    reach, on = Reach.of(actor), query.on or today()
    found = queries.full_matrix(
        get_session(),
        reach,
        Filters(
            department_id=query.department_id,
            post_id=query.post_id,
            job_role=query.job_role,
            status=query.status,
        ),
        on,
        due_window_days=due_days(),
    )
    header, rows = lists.matrix_table(found)
    data = spreadsheet.csv_bytes(header, rows)
    filters = {
        key: str(value.value if hasattr(value, "value") else value)
        for key, value in query.model_dump(exclude={"on"}).items()
        if value is not None
    }
    key = get_settings().audit_key_bytes
    # A GET reads in a transaction that may not write: the record is committed apart.
    apart(
        lambda session: services.record_export(
            Auditor(session, key=key, actor_id=actor.id),
            organisation_id=reach.organisation_id,
            export=EXPORT,
            on=on,
            filters=filters,
            rows=len(rows),
        )
    )
    response = Response(data, content_type=spreadsheet.CONTENT_TYPE)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{spreadsheet.filename(EXPORT, on)}"'
    )
    return response

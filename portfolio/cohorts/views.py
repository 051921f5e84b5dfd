"""Cohort exports, for educators: choose the support workers, watch the progress bar, download
the ZIP.

`/oversight/portfolios` asks for an export (POST) and lists the educator's recent ones;
`/oversight/portfolios/<id>` shows its progress, which `cohort-progress.js` keeps up to date
from `/oversight/portfolios/<id>/progress` (JSON) and which works without the script by
reloading; `/oversight/portfolios/<id>/download` is the ZIP while it lasts. Only the educator
who asked for an export sees it. An export whose tasks cannot be queued (the queue's server
is down) is kept: the consumer queues it when it starts, or when the export has stalled.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    send_file,
    url_for,
)
from flask_login import current_user
from werkzeug.wrappers import Response

from portfolio.access import authorise, current_actor
from portfolio.cohorts import services
from portfolio.cohorts.forms import CohortForm
from portfolio.cohorts.models import CohortExport, CohortState
from portfolio.cohorts.rules import Progress, zip_name
from portfolio.core.clock import local, today, utcnow
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.frameworks.models import Post
from portfolio.jobs import cohorts as jobs
from portfolio.oversight import queries as oversight
from portfolio.oversight.matrix import FilterOptions
from portfolio.oversight.queries import Reach
from portfolio.pdf.views import verify_base
from portfolio.policy import CohortExportFacts, Permission
from portfolio.unit_of_work import doom
from portfolio.web import auditor, field_error

blueprint = Blueprint("cohorts", __name__)


def _reach() -> Reach:
    authorise(Permission.EXPORT_COHORT)
    return Reach.of(current_actor())


def _export(export_id: int) -> CohortExport:
    export = get_session().get(CohortExport, export_id)
    if export is None:
        abort(404)
    authorise(
        Permission.EXPORT_COHORT,
        CohortExportFacts(export.organisation_id, export.requested_by_id),
    )
    return export


@blueprint.route("/oversight/portfolios", methods=["GET", "POST"])
def new() -> Response | str | tuple[str, int]:
    reach, session = _reach(), get_session()
    choices = oversight.filter_options(session, reach)
    form = CohortForm(choices=choices)
    if form.validate_on_submit():
        settings = get_settings()
        try:
            export = services.request_export(
                auditor(),
                current_user._get_current_object(),
                reach,
                services.Choice(
                    form.filters(),
                    department=_department_name(choices, form.filters().department_id),
                    post=_post_name(form.filters().post_id),
                ),
                on=today(),
                now=utcnow(),
                with_appendices=bool(form.appendices.data),
                verify_base=verify_base(),
                hours=settings.cohort_export_hours,
                max_portfolios=settings.cohort_export_max_portfolios,
            )
        except services.CohortError as error:
            doom()
            field_error(form, "department", error.message)
        else:
            # Queued once committed; the queue's server down keeps the export all the same.
            jobs.queue_export(current_app._get_current_object(), export.id, or_later=True)  # type: ignore[attr-defined]
            return redirect(url_for(".show", export_id=export.id), 303)
    status = 400 if form.errors else 200
    exports = services.exports_of(session, current_user.id)
    return render_template(
        "cohorts/new.html",
        form=form,
        exports=exports,
        progress=services.progress_of(session, exports),
        hours=get_settings().cohort_export_hours,
    ), status


def _department_name(choices: FilterOptions, key: int | None) -> str | None:
    return next((name for value, name in choices.departments if value == key), None)


def _post_name(key: int | None) -> str | None:
    post = get_session().get(Post, key) if key else None
    return post.name if post else None


@blueprint.route("/oversight/portfolios/<int:export_id>")
def show(export_id: int) -> str:
    export = _export(export_id)
    progress = services.progress_of(get_session(), [export])[export.id]
    return render_template(
        "cohorts/show.html",
        export=export,
        progress=progress,
        ready=services.zip_path(_folder(), export) is not None,
        zip_name=zip_name(export.description, local(export.requested_at).date()),
    )


@blueprint.route("/oversight/portfolios/<int:export_id>/progress")
def progress(export_id: int) -> Response:
    export = _export(export_id)
    found = services.progress_of(get_session(), [export])[export.id]
    response = jsonify(_as_json(export, found))
    response.headers["Cache-Control"] = "no-store"
    return response


def _as_json(export: CohortExport, progress: Progress) -> dict[str, Any]:
    return {
        "state": export.state.value,
        "total": progress.total,
        "done": progress.done,
        "failed": progress.failed,
        "percent": progress.percent,
        "summary": progress.summary,
        "stage": progress.stage,
    }


@blueprint.route("/oversight/portfolios/<int:export_id>/download")
def download(export_id: int) -> Response | tuple[str, int]:
    export = _export(export_id)
    path = services.zip_path(_folder(), export)
    if path is None:
        return render_template("cohorts/gone.html", export=export), (
            404 if export.state is CohortState.PREPARING else 410
        )
    return send_file(
        path,
        mimetype="application/zip",
        as_attachment=True,
        download_name=zip_name(export.description, local(export.requested_at).date()),
        max_age=0,
    )


def _folder() -> Any:
    return jobs.export_folder(current_app._get_current_object())  # type: ignore[attr-defined]

"""The supervised procedure log: a worker logs each procedure, and the person who watched
confirms it with their own credentials on the worker's device."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from portfolio.core.clock import long_date, today
from portfolio.core.forms import options
from portfolio.core.identifiers import IdentifierFoundError
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.evidence import queries, services, witnessing
from portfolio.evidence.forms import ProcedureForm, WitnessConfirmForm
from portfolio.evidence.models import ProcedureOutcome
from portfolio.evidence.views import blueprint, signed_in_worker
from portfolio.people.queries import supervisors_in_organisation
from portfolio.policy import Permission
from portfolio.unit_of_work import doom
from portfolio.web import (
    auditor,
    field_error,
    keep_confirmations,
    show_identifier_problems,
)


@blueprint.route("/procedures/new", methods=["GET", "POST"])
def new_procedure() -> Response | str:
    worker = signed_in_worker(Permission.LOG_EVIDENCE)
    session = get_session()
    choices = queries.scope_choices(session, worker, today())
    form = ProcedureForm()
    form.competency_code.choices = options([("", "Choose a competency"), *choices.procedures])
    form.witness_id.choices = options(
        [
            ("", "Choose who watched"),
            *(
                (sid, name)
                for sid, name in supervisors_in_organisation(session, worker.organisation_id)
                if sid != worker.id
            ),
        ]
    )
    keep_confirmations(form)
    if request.method == "GET":  # from a competency's page: that competency already chosen
        form.performed_on.data = today()
        form.competency_code.data = request.args.get("competency", "")
    if form.validate_on_submit():
        details = services.ProcedureDetails(
            competency_code=form.competency_code.data or "",
            performed_on=form.performed_on.data,
            setting=form.setting.data or "",
            outcome=ProcedureOutcome(form.outcome.data),
            witness_id=form.witness_id.data,
        )
        try:
            services.log_procedure(
                auditor(),
                worker,
                details,
                procedure_codes=[code for code, _ in choices.procedures],
                today=today(),
                confirmed=form.confirmed.data or [],
            )
        except services.EvidenceError as error:
            doom()
            field_error(form, error.field, error.message)
        except IdentifierFoundError as error:
            doom()
            show_identifier_problems(form, error)
        else:
            flash(
                "The procedure has been logged. It counts once the person who watched "
                "confirms it: hand them this device and choose 'Confirm procedures with your "
                "witness' at the top of this page.",
                "success",
            )
            return redirect(url_for("evidence.index", person_id=worker.id))
    return render_template("evidence/procedure.html", form=form)


@blueprint.route("/procedures/confirm", methods=["GET", "POST"])
def confirm_procedures() -> Response | str:
    """On the worker's device, the witness confirms with their own email and password. The
    worker stays signed in; nothing about the witness's session changes."""
    worker = signed_in_worker(Permission.LOG_EVIDENCE)
    session = get_session()
    waiting = [row for row in queries.procedures_of(session, worker.id) if row.confirmed_at is None]
    form = WitnessConfirmForm()
    form.line_ids.choices = options((row.id, _waiting_label(row)) for row in waiting)
    done = witnessing.confirmation(form, worker)
    if done is None:
        confirmed = witnessing.confirmed_name(form, worker)
        return render_template(
            "evidence/confirm.html", form=form, waiting=waiting, confirmed=confirmed
        )
    count = services.confirm_procedures(
        session,
        audit_key=get_settings().audit_key_bytes,
        witness=done.witness,
        lines=done.lines,
        identity_checked_at=done.identity_checked_at,
    )
    flash(f"{done.witness.name} confirmed {count} procedure{'s' if count != 1 else ''}.", "success")
    return redirect(url_for("evidence.index", person_id=worker.id))


def _waiting_label(row: queries.ProcedureRow) -> str:
    return (
        f"{long_date(row.performed_on)} {row.competency_code}, {row.setting} "
        f"({row.outcome.label}), witness {row.witness}"
    )

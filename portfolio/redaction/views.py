"""Redacting a piece of evidence or a sign-off decision: educators in reach and
administrators (`Permission.REDACT_RECORD`). The first press shows where the text is, and
changes nothing; the second, for the same text, replaces it."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from portfolio.access import authorise, person_facts
from portfolio.core.clock import today
from portfolio.db import get_session
from portfolio.evidence.models import Evidence
from portfolio.people.models import User
from portfolio.policy import Permission
from portfolio.redaction import rules, services
from portfolio.redaction.forms import RedactForm
from portfolio.signoff.models import SignOffDecision
from portfolio.web import auditor, keep_confirmations, save_or_refuse

blueprint = Blueprint("redaction", __name__)


def _owner(worker_id: int) -> User:
    owner = get_session().get_one(User, worker_id)
    authorise(Permission.REDACT_RECORD, person_facts(owner))
    return owner


def _page(
    record: Evidence | SignOffDecision,
    places: list[services.Place],
    *,
    heading: str,
    back: str,
) -> Response | str:
    form = RedactForm()
    keep_confirmations(form)
    found: list[tuple[str, int]] | None = None
    if form.validate_on_submit():
        text, reason = form.text.data or "", form.reason.data or ""
        confirmed = form.confirmed.data or []
        if " ".join(text.split()) != " ".join((form.previewed.data or "").split()):
            # First where it is: nothing changes, and the form then carries the text found.
            found = save_or_refuse(
                form, lambda: services.check(places, text, reason, confirmed), "text"
            )
        else:
            redaction = save_or_refuse(
                form,
                lambda: services.redact(
                    auditor(),
                    current_user._get_current_object(),
                    record,
                    places,
                    text=text,
                    reason=reason,
                    on=today(),
                    confirmed=confirmed,
                ),
                "text",
            )
            if redaction is not None:
                count = redaction.occurrences
                flash(
                    f"Removed from {count} place{'s' if count != 1 else ''}: "
                    f"it now reads {rules.MARKER}.",
                    "success",
                )
                return redirect(back)
        form.previewed.data = text if found else ""
    return render_template(
        "redaction/form.html",
        form=form,
        heading=heading,
        back=back,
        found=rules.describe(found or []),
        marker=rules.MARKER,
    )


@blueprint.route("/evidence/<int:evidence_id>/redact", methods=["GET", "POST"])
def evidence(evidence_id: int) -> Response | str:
    record = get_session().get(Evidence, evidence_id)
    if record is None:
        abort(404)
    owner = _owner(record.worker_id)
    return _page(
        record,
        services.evidence_places(get_session(), record),
        heading=f"Redact text from {owner.name}'s evidence: {record.latest.title}",
        back=url_for("evidence.show", evidence_id=record.id),
    )


@blueprint.route("/sign-offs/<int:decision_id>/redact", methods=["GET", "POST"])
def decision(decision_id: int) -> Response | str:
    record = get_session().get(SignOffDecision, decision_id)
    if record is None:
        abort(404)
    owner = _owner(record.worker_id)
    return _page(
        record,
        services.decision_places(get_session(), record),
        heading=f"Redact text from {owner.name}'s {record.competency_code} decision",
        back=url_for("signoff.competency", person_id=owner.id, code=record.competency_code),
    )

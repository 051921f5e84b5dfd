"""Drafts of the evidence form: saved automatically by portfolio/static/evidence-draft.js
while the worker types, restored when the form is next shown, discarded on request. The
form works without them (and without JavaScript)."""

from __future__ import annotations

from flask import flash, jsonify, redirect, request, url_for
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from portfolio.core.clock import today, utcnow
from portfolio.core.problems import problem_response
from portfolio.db import get_session
from portfolio.evidence import drafts, queries
from portfolio.evidence.views import blueprint, owner_of, signed_in_worker
from portfolio.people.models import User
from portfolio.policy import Permission
from portfolio.unit_of_work import doom


def _author(evidence_id: int | None) -> User:
    """The worker writing: themselves for new evidence, the owner for a change (through the
    same policy as the form)."""
    if evidence_id is None:
        return signed_in_worker(Permission.LOG_EVIDENCE)
    _, owner = owner_of(evidence_id, Permission.LOG_EVIDENCE)
    return owner


@blueprint.route("/evidence/drafts", methods=["POST"], defaults={"evidence_id": None})
@blueprint.route("/evidence/<int:evidence_id>/drafts", methods=["POST"])
def autosave(evidence_id: int | None) -> Response:
    """Keep what the form holds as the worker's draft: JSON {"saved_at": ISO or null}, or
    problem details the page shows. Not audited: a draft is not a record."""
    worker = _author(evidence_id)
    session = get_session()
    fields = drafts.DraftFields(
        kind=request.form.get("kind", ""),
        title=request.form.get("title", ""),
        activity_on=request.form.get("activity_on", ""),
        body=request.form.get("body", ""),
        competency_codes=tuple(request.form.getlist("competency_codes")),
    )
    scope = queries.scope_choices(session, worker, today())
    try:
        checked = drafts.check_draft(fields, scope_codes=[code for code, _ in scope.evidence])
        saved_at = drafts.save_draft(session, worker.id, evidence_id, checked, now=utcnow())
    except drafts.DraftRefusedError as error:
        doom()
        status = 422 if error.identifier else 400
        return problem_response(status, "The draft was not saved", error.message)
    except IntegrityError:  # another autosave of the same form got there first
        doom()
        return problem_response(
            409, "The draft was not saved", "Not saved automatically yet: trying again"
        )
    return jsonify(saved_at=saved_at.isoformat() if saved_at else None)


@blueprint.route("/evidence/drafts/discard", methods=["POST"], defaults={"evidence_id": None})
@blueprint.route("/evidence/<int:evidence_id>/drafts/discard", methods=["POST"])
def discard_draft(evidence_id: int | None) -> Response:
    worker = _author(evidence_id)
    session = get_session()
    drafts.discard_draft(session, worker.id, evidence_id)
    flash("The draft has been discarded.", "success")
    if evidence_id is None:
        return redirect(url_for("evidence.new"))
    return redirect(url_for("evidence.edit", evidence_id=evidence_id))

"""Small pieces every view uses: the auditor for the signed-in person, form errors raised by
services, and safe redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request
from flask_login import current_user
from flask_wtf import FlaskForm

from portfolio.audit.services import Auditor
from portfolio.db import get_session
from portfolio.evidence.identifiers import IdentifierFoundError
from portfolio.forms import options


def auditor() -> Auditor:
    actor_id = current_user.id if current_user.is_authenticated else None
    return Auditor(get_session(), key=current_app.config["AUDIT_KEY"].encode(), actor_id=actor_id)


def field_error(form: FlaskForm, field_name: str, message: str) -> None:
    """Attach an error found after validation (by a service) to a field, for the summary."""
    field = getattr(form, field_name)
    field.errors = [*field.errors, message]


def safe_next_url(target: str | None) -> str | None:
    """Only paths on this site: never an open redirect to somewhere else."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


def show_identifier_problems(form: FlaskForm, error: IdentifierFoundError) -> None:
    """Each possible patient identifier becomes an error on its field, and each number that
    only needs confirming becomes a checkbox (the form's `confirmed` field)."""
    to_confirm: list[str] = []
    for field, result in error.results.items():
        target = field if field in form._fields else "file" if field.startswith("file") else None
        if target:
            field_error(form, target, result.message())
        to_confirm += [finding.number for finding in result.to_confirm]
    form.confirmed.choices = options((number, number) for number in to_confirm)


def keep_confirmations(form: FlaskForm) -> None:
    """Numbers the person ticked as not patient identifiers stay valid choices on re-post."""
    form.confirmed.choices = options((item, item) for item in request.form.getlist("confirmed"))

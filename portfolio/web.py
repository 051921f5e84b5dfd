"""Small pieces every view uses: the auditor for the signed-in person, form errors raised by
services, and safe redirects."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app
from flask_login import current_user
from flask_wtf import FlaskForm

from portfolio.audit.services import Auditor
from portfolio.db import get_session


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

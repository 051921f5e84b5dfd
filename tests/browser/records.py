"""Records the browser tests give a new person directly, as the pages before would have
(their own evidence), so that a journey starts where it is about."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from portfolio.db import get_session
from portfolio.people.models import User
from tests import factories


def with_evidence(live_app: Flask, email: str, code: str, title: str) -> None:
    """A piece of the person's own evidence linked to `code`, in their scope."""
    with live_app.app_context():
        session = get_session()
        worker = session.scalars(select(User).where(User.email == email)).one()
        factories.evidence(session, worker, title=title, codes=(code,), scope=(code,))
        session.commit()

"""Queuing the emails that carry a link to set a password (see `portfolio.accounts.delivery`).

Pages and commands call `send_password_link` in their unit of work, which queues the job once
it commits (so the consumer sees the person, and nothing is sent for work rolled back); the
consumer issues the link and sends it. A mail server that is down fails the job, which Huey
runs again up to three times, ten minutes apart.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, g
from huey import Huey

from portfolio.accounts.models import LinkPurpose
from portfolio.unit_of_work import after_commit

_TASK = "portfolio.send_password_link"


def register(queue: Huey, app: Flask) -> None:
    @queue.task(name="send_password_link", retries=3, retry_delay=600)
    def _send_password_link(
        purpose: str,
        user_id: int | None = None,
        email: str | None = None,
        requested_by_id: int | None = None,
    ) -> str:
        from portfolio.accounts.delivery import deliver_link
        from portfolio.core import clock

        with app.app_context():
            # A job is not a route: whoever queued it was authorised then. (Only matters
            # when the queue runs jobs at once, inside the request, as under test.)
            g.policy_consulted = True
            return deliver_link(
                app,
                clock.utcnow(),
                purpose=LinkPurpose(purpose),
                user_id=user_id,
                email=email,
                requested_by_id=requested_by_id,
            )

    app.extensions[_TASK] = _send_password_link


def send_password_link(
    app: Flask,
    purpose: LinkPurpose,
    *,
    user_id: int | None = None,
    email: str | None = None,
    requested_by_id: int | None = None,
) -> None:
    """Queue the email once the unit of work commits, so the consumer sees the person."""
    task = app.extensions[_TASK]
    after_commit(
        lambda: task(purpose.value, user_id=user_id, email=email, requested_by_id=requested_by_id)
    )


def send_invitations(
    app: Flask, person_ids: Iterable[int], *, requested_by_id: int | None = None
) -> None:
    """Queue an invitation for each person just added (once they are committed)."""
    for person_id in person_ids:
        send_password_link(
            app, LinkPurpose.INVITATION, user_id=person_id, requested_by_id=requested_by_id
        )

"""Sessions: loading the signed-in person, the idle timeout, and forced password changes.

The cookie holds "user id:session version". Bumping the version (password change,
deactivation, "sign out everywhere") makes every older cookie worthless at its next request.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import Flask, flash, g, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, logout_user
from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import joinedload

from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.extensions import login_manager
from portfolio.notices import models as notices
from portfolio.people.models import EducatorDepartment, User

LAST_SEEN = "last_seen"
# Reachable while a password change is pending.
_ALLOWED_WHILE_PASSWORD_CHANGE_DUE = {
    "accounts.change_password",
    "accounts.sign_out",
    "accounts.set_password",
    "accounts.forgotten_password",
    "static",
}
# Answered without touching the session: a monitor's or browser's call to these must neither
# write a cookie nor keep an idle session alive.
_SESSIONLESS = {"static", "home.health"}
# The API authenticates each request by its bearer token alone (`api.auth`): the session
# cookie is never read there, and nothing there may write one.
API_PATH = "/api/"


def sessionless() -> bool:
    return request.endpoint in _SESSIONLESS or request.path.startswith(API_PATH)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The signed-in person, with what every page's header and the policy read about them
    (organisation, account roles, the departments an educator oversees, unread notices), in
    one statement: every page pays for this, so it is one round trip, not five."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    reach = (
        select(func.aggregate_strings(cast(EducatorDepartment.department_id, String), ","))
        .where(EducatorDepartment.educator_id == User.id)
        .scalar_subquery()
    )
    unread = (
        select(func.count())
        .select_from(notices.Notice)
        .where(notices.Notice.recipient_id == User.id, notices.unread())
        .scalar_subquery()
    )
    row = (
        get_session()
        .execute(
            select(User, reach, unread)
            .options(joinedload(User.account_roles), joinedload(User.organisation))
            .where(User.id == int(user_id))
        )
        .unique()
        .first()
    )
    if row is None:
        return None
    user: User = row[0]
    reach_ids, unread_count = row[1], row[2]
    if not user.active or user.session_version != int(version):
        return None
    g.signed_in = SignedIn(
        reach_department_ids=frozenset(int(item) for item in (reach_ids or "").split(",") if item),
        unread_notices=int(unread_count or 0),
    )
    return user


@dataclass(frozen=True)
class SignedIn:
    """Read with the signed-in person at the start of each request (see `load_user`)."""

    reach_department_ids: frozenset[int]
    unread_notices: int


def start_session(user: User) -> None:
    from flask_login import login_user

    session.clear()  # nothing from before sign-in carries over
    login_user(user, remember=False)
    session[LAST_SEEN] = int(time.time())


def init_app(app: Flask) -> None:
    login_manager.session_protection = "basic"  # "strong" drops phones moving off Wi-Fi
    login_manager.login_view = "accounts.sign_in"

    @app.before_request
    def _idle_timeout() -> ResponseReturnValue | None:
        if sessionless() or not current_user.is_authenticated:
            return None
        now = int(time.time())
        last_seen = session.get(LAST_SEEN, 0)
        minutes = get_settings(app).idle_timeout_minutes
        if now - int(last_seen) > minutes * 60:
            g.policy_consulted = True  # answered here: sign in again
            logout_user()
            session.clear()
            flash(
                f"You were signed out after {minutes} minutes "
                "without activity. Sign in again to carry on.",
                "information",
            )
            if request.method == "GET":
                return redirect(url_for("accounts.sign_in", next=request.full_path.rstrip("?")))
            return redirect(url_for("accounts.sign_in"))
        session[LAST_SEEN] = now
        return None

    @app.before_request
    def _password_change_due() -> ResponseReturnValue | None:
        if (
            not sessionless()
            and current_user.is_authenticated
            and current_user.must_change_password
            and request.endpoint not in _ALLOWED_WHILE_PASSWORD_CHANGE_DUE
        ):
            g.policy_consulted = True  # answered here: change the password first
            return redirect(url_for("accounts.change_password"))
        return None

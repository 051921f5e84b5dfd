"""Sessions: loading the signed-in person, the idle timeout, and forced password changes.

The cookie holds "user id:session version". Bumping the version (password change,
deactivation, "sign out everywhere") makes every older cookie worthless at its next request.
"""

from __future__ import annotations

import time

from flask import Flask, flash, g, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, logout_user

from portfolio.db import get_session
from portfolio.extensions import login_manager
from portfolio.people.models import User

LAST_SEEN = "last_seen"
# Reachable while a password change is pending.
_ALLOWED_WHILE_PASSWORD_CHANGE_DUE = {
    "accounts.change_password",
    "accounts.sign_out",
    "accounts.set_password",
    "accounts.forgotten_password",
    "static",
}


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = get_session().get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


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
        if request.endpoint == "static" or not current_user.is_authenticated:
            return None
        now = int(time.time())
        last_seen = session.get(LAST_SEEN, 0)
        if now - int(last_seen) > app.config["IDLE_TIMEOUT_MINUTES"] * 60:
            g.policy_consulted = True  # answered here: sign in again
            logout_user()
            session.clear()
            flash(
                f"You were signed out after {app.config['IDLE_TIMEOUT_MINUTES']} minutes "
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
            current_user.is_authenticated
            and current_user.must_change_password
            and request.endpoint not in _ALLOWED_WHILE_PASSWORD_CHANGE_DUE
        ):
            g.policy_consulted = True  # answered here: change the password first
            return redirect(url_for("accounts.change_password"))
        return None

"""Who is calling the API: a personal access token in `Authorization: Bearer …`, and nothing
else. The session cookie is never read under /api/, so a page open in a browser cannot be
made to call the API (no cross-site request forgery, hence no CSRF token either), and
answering sets no cookie.

The token's owner becomes the request's person: the routes ask the same policy as the pages
(`access.authorise`), with the token's scope an extra check (a read-only token writes
nothing). Unknown tokens are counted against the network address with failed sign-ins, by
the rate limiter (`FAILED_SIGN_IN`), in its own short transactions: a failed attempt counts
although the request is refused, and the request's own transaction begins after them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, Response, current_app, g, request
from flask.typing import ResponseReturnValue
from sqlalchemy.orm import Session

from portfolio.accounts.sessions import API_PATH
from portfolio.api import services
from portfolio.api.models import TokenScope
from portfolio.api.problems import Problem, problem_response
from portfolio.api.tokens import TokenState, bearer_token
from portfolio.core.clock import utcnow
from portfolio.db import get_session
from portfolio.extensions import login_manager
from portfolio.ratelimit.limiter import FAILED_SIGN_IN, limiter
from portfolio.unit_of_work import separate_transaction

CHALLENGE = {"WWW-Authenticate": 'Bearer realm="api"'}
_REFUSED = {
    TokenState.REVOKED: "This access token has been revoked",
    TokenState.EXPIRED: "This access token has expired: make a new one on your account page",
    TokenState.CLOSED: "This access token's account is not active",
}


@dataclass(frozen=True)
class TokenFacts:
    id: int
    scope: TokenScope


def current_token() -> TokenFacts:
    token: TokenFacts = g.api_token
    return token


def require_scope(*, writes: bool) -> None:
    if writes and current_token().scope is not TokenScope.READ_WRITE:
        raise Problem(
            403, "This access token is read only: make a read-write token to change things"
        )


def _unauthorised(detail: str) -> Response:
    return problem_response(Problem(401, detail, headers=CHALLENGE))


def apart(work: Callable[[Session], None]) -> None:
    """Bookkeeping committed on its own at once (a failed attempt must count even though the
    request fails), in a write transaction even during a GET. It changes nothing the policy
    guards, so it is let through the check that a route asked the policy before saving."""
    consulted = g.get("policy_consulted")
    g.policy_consulted = True
    try:
        with separate_transaction() as session:
            work(session)
    finally:
        if consulted is None:
            g.pop("policy_consulted", None)
        else:
            g.policy_consulted = consulted


def authenticate() -> ResponseReturnValue | None:
    if not request.path.startswith(API_PATH):
        return None
    # Whatever happens next, the person is never read from the cookie here.
    g._login_user = login_manager.anonymous_user()
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None or getattr(view, "is_public", False):
        return None
    presented = bearer_token(request.headers.get("Authorization"))
    if presented is None:
        return _unauthorised(
            "Send a personal access token in the Authorization header: Bearer isp_…"
        )
    now, address = utcnow(), request.remote_addr or "unknown"
    counts = limiter().apart()
    if not counts.allows(FAILED_SIGN_IN, address):
        return problem_response(
            Problem(
                429,
                "Too many failed sign-ins or unknown tokens from this address: wait and try again",
                headers={"Retry-After": str(counts.retry_after(FAILED_SIGN_IN, address))},
            )
        )
    # Checked in a short session of its own, like the counts: the request's own transaction
    # begins after it.
    with current_app.extensions["sessionmaker"]() as reading:
        checked = services.check_token(reading, presented, now)
    if checked is None:
        counts.hit(FAILED_SIGN_IN, address)
        return _unauthorised("This access token is not valid")
    if checked.state is not TokenState.USABLE:
        return _unauthorised(_REFUSED[checked.state])
    if checked.must_change_password:
        return _unauthorised(
            "An administrator reset this account's password: sign in and choose a new one first"
        )
    if checked.last_used_at is None or checked.last_used_at < now - services.LAST_USED_EVERY:
        apart(lambda session: services.note_use(session, checked.token_id, now))
    g._login_user = services.token_owner(get_session(), checked.user_id)
    g.api_token = TokenFacts(checked.token_id, checked.scope)
    return None


def init_app(app: Flask) -> None:
    """Called before `access.init_app`: the sign-in redirect, the idle timeout and the
    password-change redirect registered after this must find the token's owner in place (and
    after `db.init_app`, so a GET still reads in a deferred transaction)."""
    app.before_request(authenticate)

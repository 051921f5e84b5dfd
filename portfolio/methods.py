"""The answers no view is written for: OPTIONS is 204 with `Allow` naming the path's methods,
HEAD is GET without its body, and a method a path does not take is 405 with `Allow` (the
API's problem document or the error page, `portfolio.errors`).

OPTIONS is answered here, before every other hook, and not by Flask's automatic answer at
dispatch. That answer came after the hooks: the API's token check (401 without a token), the
pages' sign-in redirect, and then the guard that every route asked the policy, which refused
it because no view had run: a 500 to every OPTIONS request from anyone holding a token or
signed in. The answer names only the methods a path takes, as the OpenAPI document does, and
reads nothing, so it needs no token and no session.

HEAD runs as GET (the views and the hooks that redirect to sign-in ask whether a request is
a GET), and its body is dropped here, so it answers exactly as GET does.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from flask import Flask, current_app, g, request
from flask.typing import ResponseReturnValue

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment


def answer_options() -> ResponseReturnValue | None:
    """OPTIONS on a route that does not answer it itself: 204 with the path's methods."""
    rule = request.url_rule
    if request.method != "OPTIONS" or not getattr(rule, "provide_automatic_options", False):
        return None
    g.policy_consulted = True  # answered here: no view runs and nothing is read
    response = current_app.make_default_options_response()
    response.status_code = 204
    response.headers["Allow"] = ", ".join(sorted(response.allow))
    response.headers.remove("Content-Type")
    return response


def head_as_get(app: WSGIApplication) -> WSGIApplication:
    """HEAD answered as GET is, headers and all, without the body."""

    def run(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD", "").upper() != "HEAD":
            return app(environ, start_response)
        body = app({**environ, "REQUEST_METHOD": "GET"}, start_response)
        close = getattr(body, "close", None)
        if close is not None:
            close()
        return []

    return run


def init_app(app: Flask) -> None:
    """Called before any other hook is registered: OPTIONS is answered before the API's token
    check, the sign-in redirect and the idle timeout."""
    app.wsgi_app = head_as_get(app.wsgi_app)  # type: ignore[method-assign,assignment]
    app.before_request(answer_options)

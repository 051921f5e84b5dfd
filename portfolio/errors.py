"""Error pages in the NHS.UK style, or RFC 9457 problem details for API callers."""

from __future__ import annotations

from flask import Flask, Response, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

from portfolio.core.problems import TITLES, problem_response
from portfolio.web import too_large_answer


def wants_problem_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/problem+json"])
    return best == "application/problem+json"


def _error_headers(error: HTTPException) -> dict[str, str]:
    """The error's own headers (a 405's `Allow`, its methods sorted), without its content
    type."""
    headers = {key: value for key, value in error.get_headers() if key.lower() != "content-type"}
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(sorted(error.valid_methods))
    return headers


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError) -> tuple[str, int] | Response:
        detail = (
            "The form had expired or was sent from somewhere else. Go back, reload the page "
            "and try again. Nothing was saved."
        )
        if wants_problem_json():
            return problem_response(400, "Missing or invalid CSRF token", detail)
        return render_template(
            "errors/error.html", status=400, title=TITLES[400], detail=detail
        ), 400

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException) -> ResponseReturnValue:
        if request.path.startswith("/api/"):
            from portfolio.api.problems import for_http_error

            return for_http_error(error)
        status = error.code or 500
        title = TITLES.get(status, error.name)
        headers = _error_headers(error)
        answer = too_large_answer() if status == 413 and not wants_problem_json() else None
        if answer is not None:
            return answer  # back to the form, saying the limit (nothing was read or saved)
        if wants_problem_json():
            response = problem_response(status, title, error.description)
            response.headers.update(headers)
            return response
        return render_template("errors/error.html", status=status, title=title), status, headers

    @app.errorhandler(InternalServerError)
    def _server_error(error: InternalServerError) -> tuple[str, int] | Response:
        if wants_problem_json():
            return problem_response(500, TITLES[500])
        return render_template("errors/error.html", status=500, title=TITLES[500]), 500

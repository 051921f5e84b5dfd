"""Error pages in the NHS.UK style, or RFC 9457 problem details for API callers."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

TITLES = {
    400: "There was a problem with your request",
    401: "You need to sign in",
    403: "You do not have permission to do this",
    404: "Page not found",
    405: "This action is not available here",
    413: "The file or form is too large",
    500: "Sorry, there is a problem with the service",
}


def wants_problem_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/problem+json"])
    return best == "application/problem+json"


def problem_response(status: int, title: str, detail: str | None = None) -> Response:
    body: dict[str, object] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


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
    def _http_error(error: HTTPException) -> tuple[str, int] | Response:
        if request.path.startswith("/api/"):
            from portfolio.api.problems import for_http_error

            return for_http_error(error)
        status = error.code or 500
        title = TITLES.get(status, error.name)
        if wants_problem_json():
            return problem_response(status, title, error.description)
        return render_template("errors/error.html", status=status, title=title), status

    @app.errorhandler(InternalServerError)
    def _server_error(error: InternalServerError) -> tuple[str, int] | Response:
        if wants_problem_json():
            return problem_response(500, TITLES[500])
        return render_template("errors/error.html", status=500, title=TITLES[500]), 500

"""The titles of HTTP errors, and an RFC 9457 problem-details response: shared by the error
pages (`portfolio.errors`), the API's problems and the pages that answer scripts in JSON."""

from __future__ import annotations

from flask import Response, jsonify

TITLES = {
    400: "There was a problem with your request",
    401: "You need to sign in",
    403: "You do not have permission to do this",
    404: "Page not found",
    405: "This action is not available here",
    413: "The file or form is too large",
    500: "Sorry, there is a problem with the service",
}


def problem_response(status: int, title: str, detail: str | None = None) -> Response:
    body: dict[str, object] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response

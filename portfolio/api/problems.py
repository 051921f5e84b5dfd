"""Errors as RFC 9457 problem details (`application/problem+json`): a type, a title, the
status, a detail in words, and for a request that failed validation, `errors`: each field's
messages, named as the request named the field.

Every error the API answers goes through here, raised anywhere as `Problem` or as a werkzeug
HTTP error; anything unexpected becomes a logged 500 in the same shape, never an HTML page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask import Blueprint, Response, current_app, json
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from portfolio.core.errors import FieldError, MultipleFieldError
from portfolio.core.problems import TITLES

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "https://imaging-support-portfolio.invalid/problems/"

API_TITLES = {
    **TITLES,
    401: "A valid access token is needed",
    409: "This conflicts with the current state of the record",
    415: "The request body is not of a type this operation accepts",
    422: "The request could not be accepted",
    429: "Too many failed attempts",
}

# Problem types by status, so a client can branch on `type` without parsing words.
TYPES = {
    400: "bad-request",
    401: "unauthorised",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "too-large",
    415: "unsupported-media-type",
    422: "invalid",
    429: "too-many-attempts",
    500: "server-error",
}


class Problem(Exception):  # noqa: N818 - it is the RFC's name for the thing
    """Stop the request with a problem response."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        errors: Mapping[str, Sequence[str]] | None = None,
        title: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = {key: list(value) for key, value in (errors or {}).items()}
        self.title = title or API_TITLES.get(status, "Error")
        self.headers = dict(headers or {})


def invalid(field: str, message: str) -> Problem:
    """One field's refusal (a service's, or the request's own)."""
    return Problem(422, "Check the fields named in errors", errors={field: [message]})


def refused(error: FieldError, rename: dict[str, str] | None = None) -> Problem:
    """A service's refusal: every problem it found (`MultipleFieldError`), each by its field."""
    errors: dict[str, list[str]] = {}
    for each in error.errors if isinstance(error, MultipleFieldError) else [error]:
        errors.setdefault((rename or {}).get(each.field, each.field), []).append(each.message)
    return Problem(422, "Check the fields named in errors", errors=errors)


def problem_response(problem: Problem) -> Response:
    body: dict[str, object] = {
        "type": TYPE_BASE + TYPES.get(problem.status, "error"),
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
    }
    if problem.errors:
        body["errors"] = problem.errors
    response = Response(json.dumps(body), status=problem.status, mimetype=MEDIA_TYPE)
    for key, value in problem.headers.items():
        response.headers[key] = value
    return response


def _from_http(error: HTTPException) -> Problem:
    status = error.code or 500
    headers: dict[str, str] = {}
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(sorted(error.valid_methods))
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
    detail = {
        404: "There is nothing here, or you may not see it",
        405: "This operation does not accept that method",
        413: "The request is larger than this service accepts",
    }.get(status, error.description or API_TITLES.get(status, "Error"))
    return Problem(status, detail, headers=headers)


def for_http_error(error: HTTPException) -> Response:
    """Also used by the app's own handler, for /api/ paths no route matched."""
    return problem_response(_from_http(error))


def init_blueprint(blueprint: Blueprint) -> None:
    @blueprint.errorhandler(Problem)
    def _problem(problem: Problem) -> Response:
        return problem_response(problem)

    @blueprint.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Response:
        return for_http_error(error)

    @blueprint.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        current_app.logger.exception("API request failed", exc_info=error)
        return problem_response(Problem(500, "Sorry, something went wrong: nothing was saved"))

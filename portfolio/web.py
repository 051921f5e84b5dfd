"""Small pieces every view uses: the auditor for the signed-in person, form errors raised by
services (a refusal dooms the unit of work: nothing is saved), and safe redirects."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar
from urllib.parse import urlsplit

from flask import Flask, current_app, request
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.wrappers import Response

from portfolio.accounts import attempts, identity
from portfolio.accounts import services as accounts
from portfolio.audit.services import Auditor
from portfolio.core.errors import FieldError, MultipleFieldError
from portfolio.core.forms import options
from portfolio.core.identifiers import IdentifierFoundError
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.people.models import User
from portfolio.unit_of_work import doom

T = TypeVar("T")

_TOO_LARGE_ANSWERS = "too_large_answers"


def answer_too_large(app: Flask, endpoint: str, answer: Callable[[], Response | None]) -> None:
    """How a page answers a request too large to read (413) instead of the error page: its
    body cannot be read, so the answer is a way back to the form (`portfolio.errors`). The
    answer asks the policy as the route would; None leaves the ordinary error page."""
    app.extensions.setdefault(_TOO_LARGE_ANSWERS, {})[endpoint] = answer


def too_large_answer() -> Response | None:
    """The page's own answer to a request too large to read, if it has one."""
    answers: dict[str, Callable[[], Response | None]] = current_app.extensions.get(
        _TOO_LARGE_ANSWERS, {}
    )
    answer = answers.get(request.endpoint or "")
    return answer() if answer is not None else None


def auditor() -> Auditor:
    actor_id = current_user.id if current_user.is_authenticated else None
    return Auditor(get_session(), key=get_settings().audit_key_bytes, actor_id=actor_id)


def check_credentials(
    email: str, password: str, *, wrong: str = "Enter the correct email address and password"
) -> tuple[User | None, str]:
    """Someone proving who they are on a device where another person is signed in (a witness
    or assessor at the point of care). Counted and limited like a sign-in; the session on
    the device is untouched. Returns the person, or None and the message to show.

    A temporary password set by an administrator proves nothing (the administrator knows it):
    it is refused like a wrong one until its owner has changed it."""
    outcome = attempts.attempt(email, password, own_device=False)
    if outcome.user is not None and not outcome.user.must_change_password:
        return outcome.user, ""
    if outcome.result is accounts.SignInResult.TOO_MANY_ATTEMPTS:
        return None, "There have been too many failed attempts for this account: wait and try again"
    return None, wrong


def identify_on_device(
    form: FlaskForm,
    email: str,
    *,
    worker: User,
    target: str,
    wrong: str,
    not_the_worker: str,
) -> User | None:
    """Someone other than the signed-in worker proving who they are on the worker's device (an
    assessor, a witness), the email and password `form` holds checked like a sign-in; every
    problem on the form. Once right, their identity is kept for this form (`accounts.identity`)
    so the corrected form needs no password again. Returns the person, or None."""
    password = form.password.data or ""
    if not email:
        field_error(form, "email", "Enter your email address")
    if not password:
        field_error(form, "password", "Enter your password")
    if not email or not password:
        return None
    person, problem = check_credentials(email, password, wrong=wrong)
    if person is None:
        field_error(form, "password", problem)  # the failed attempt is kept: counted
        return None
    if person.id == worker.id:
        field_error(form, "email", not_the_worker)
        return None
    identity.confirm(
        person.id,
        worker_id=worker.id,
        target=target,
        form=form.submission.data or "",
        minutes=get_settings().sign_off_identity_minutes,
    )
    return person


def field_error(form: FlaskForm, field_name: str, message: str) -> None:
    """Attach an error found after validation (by a service) to a field, for the summary."""
    field = getattr(form, field_name)
    if message not in field.errors:  # the same problem found twice is shown once
        field.errors = [*field.errors, message]


def refuse(
    form: FlaskForm, error: FieldError, fallback: str, *, rename: Mapping[str, str] | None = None
) -> None:
    """A service's refusal on its field (`rename`d, for a form that names it otherwise), or on
    `fallback` when the form has no such field; every problem of a `MultipleFieldError`, and the
    possible patient identifiers it found too."""
    for each in error.errors if isinstance(error, MultipleFieldError) else [error]:
        name = (rename or {}).get(each.field, each.field)
        field_error(form, name if name in form._fields else fallback, each.message)
    found = error.identifiers if isinstance(error, MultipleFieldError) else None
    if isinstance(found, IdentifierFoundError):
        show_identifier_problems(form, found)


def safe_next_url(target: str | None) -> str | None:
    """Only paths on this site: never an open redirect to somewhere else."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


def show_identifier_problems(form: FlaskForm, error: IdentifierFoundError) -> None:
    """Each possible patient identifier becomes an error on its field, and each number that
    only needs confirming becomes a checkbox (the form's `confirmed` field)."""
    to_confirm: list[str] = []
    for field, result in error.results.items():
        target = field if field in form._fields else "file" if field.startswith("file") else None
        if target:
            field_error(form, target, result.message(file_name=field == "file"))
        to_confirm += [finding.number for finding in result.to_confirm]
    form.confirmed.choices = options((number, number) for number in to_confirm)


def keep_confirmations(form: FlaskForm) -> None:
    """Numbers the person ticked as not patient identifiers stay valid choices on re-post."""
    form.confirmed.choices = options((item, item) for item in request.form.getlist("confirmed"))


def save_or_refuse(form: FlaskForm, act: Callable[[], T], fallback: str) -> T | None:
    """Run a service; the request's boundary saves its work (`portfolio.unit_of_work`). On a
    refusal (a field error, or a possible patient identifier) doom the unit of work, so
    nothing is saved, show why on the form, and return None."""
    try:
        return act()
    except FieldError as error:
        doom()
        refuse(form, error, fallback)
    except IdentifierFoundError as error:
        doom()
        show_identifier_problems(form, error)
    return None

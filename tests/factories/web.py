"""Driving the app as a browser does: reading a page's words, its CSRF token, signing in."""

from __future__ import annotations

import html
import re

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from portfolio.people.models import User
from tests.factories.people import PASSWORD

# A responsive table repeats its column's heading in each cell, for a phone's stacked rows
# only (hidden from screen readers and from wider screens): not words of the cell.
_CELL_HEADING = re.compile(r'<span class="nhsuk-table__heading" aria-hidden="true">[^<]*</span>')


def without_cell_headings(page: str) -> str:
    """A page's HTML without the headings a responsive table repeats in its cells."""
    return _CELL_HEADING.sub("", page)


def page_text(response: TestResponse) -> str:
    """A page as its reader sees the words: tags dropped, entities decoded, spaces collapsed
    (a responsive table's headings repeated in its cells left out)."""
    text = re.sub(r"<[^>]+>", " ", without_cell_headings(response.get_data(as_text=True)))
    return " ".join(html.unescape(text).split())


_CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def csrf_from(page: str) -> str:
    """The CSRF token of a page already fetched (the one it will accept)."""
    match = _CSRF.search(page)
    assert match, "no CSRF token on the page"
    return match.group(1)


def csrf_token(client: FlaskClient, path: str = "/sign-in") -> str:
    page = client.get(path).get_data(as_text=True)
    match = _CSRF.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(
    client: FlaskClient, user_or_email: User | str, password: str = PASSWORD
) -> TestResponse:
    email = user_or_email if isinstance(user_or_email, str) else user_or_email.email
    token = csrf_token(client)
    return client.post("/sign-in", data={"email": email, "password": password, "csrf_token": token})

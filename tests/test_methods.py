"""Every rule of the URL map, the API's and the pages' alike, against the methods no view is
written for: OPTIONS answers 204 with `Allow` naming the path's methods, HEAD answers as GET
without a body, and a method the path does not take answers 405 with `Allow` (a problem
document under /api/, an error page elsewhere). Never a server error, from anyone: nobody,
someone signed in, or an API token.

Issue 21: every /api/v1 operation answered 500 to OPTIONS from a token holder (no view ran,
so the guard that every route asks the policy refused the answer), and 401 without one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.routing import Rule
from werkzeug.test import TestResponse

from portfolio.api import services
from portfolio.api.models import TokenScope
from portfolio.core.clock import today
from portfolio.core.roles import AccountRole
from tests import factories

CALLERS = ("anonymous", "signed_in")
# Values that name nothing: each path reaches its route (and its policy), never a record.
_VALUES = {"int": "999999", "path": "zz-nothing/zz"}
_PARAMETER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
_OTHER_METHODS = ("DELETE", "PATCH", "PUT", "POST", "TRACE")


def _url(rule: Rule) -> str:
    return _PARAMETER.sub(lambda match: _VALUES.get(match.group(1), "zz-nothing"), rule.rule)


def _paths(app: Flask) -> dict[str, tuple[str, frozenset[str]]]:
    """Each rule's pattern, a URL for it and every method that URL takes: its rules' (several
    rules may share a pattern, one per API operation), and any other rule's that matches the
    same URL (`/people/import/template.csv` is also an upload's id)."""
    methods: dict[str, set[str]] = defaultdict(set)
    for rule in app.url_map.iter_rules():
        methods[rule.rule] |= rule.methods or set()
    urls = {rule.rule: _url(rule) for rule in app.url_map.iter_rules()}
    adapter = app.url_map.bind("localhost")
    paths = {}
    for pattern, url in urls.items():
        matching = frozenset(adapter.allowed_methods(url))
        assert methods[pattern] <= matching, pattern
        paths[pattern] = (url, matching)
    return paths


def _allow(response: TestResponse) -> frozenset[str]:
    return frozenset(item.strip() for item in response.headers.get("Allow", "").split(",") if item)


@pytest.fixture
def caller(
    request: pytest.FixtureRequest, session: Session, client: FlaskClient
) -> Callable[[str, str], TestResponse]:
    """`send(method, url)` as the caller: nobody, or an administrator signed in on the pages
    and holding a read-write token on the API."""
    headers: dict[str, str] = {}
    if request.param == "signed_in":
        organisation = factories.organisation(session)
        admin = factories.person(
            session,
            organisation,
            AccountRole.ADMIN,
            AccountRole.EDUCATOR,
            reach_whole_organisation=True,
        )
        _, token = services.create_token(
            factories.auditor(session, admin),
            admin,
            name="Methods",
            scope=TokenScope.READ_WRITE,
            expires_on=today() + dt.timedelta(days=5),
            today=today(),
            max_days=365,
            created_by=admin,
        )
        session.flush()
        factories.sign_in(client, admin)
        headers = {"Authorization": f"Bearer {token}"}

    def send(method: str, url: str) -> TestResponse:
        return client.open(url, method=method, headers=headers if url.startswith("/api/") else {})

    return send


def _walk(
    app: Flask, check: Callable[[str, str, frozenset[str]], str | None], *, needs: str = ""
) -> None:
    """Runs `check(pattern, url, methods)` on every path (those taking `needs`, if named) and
    fails naming every path that answered wrongly or raised."""
    problems = []
    checked = 0
    for pattern, (url, methods) in sorted(_paths(app).items()):
        if needs and needs not in methods:
            continue
        checked += 1
        try:
            problem = check(pattern, url, methods)
        except Exception as error:  # a server error: the test client re-raises it
            problem = f"raised {type(error).__name__}: {error}"
        if problem:
            problems.append(f"{pattern}: {problem}")
    assert checked > 20
    assert not problems, f"{len(problems)} of {checked} paths:\n" + "\n".join(problems)


@pytest.mark.parametrize("caller", CALLERS, indirect=True)
def test_options_answers_204_with_the_paths_methods(
    app: Flask, caller: Callable[[str, str], TestResponse]
) -> None:
    def check(pattern: str, url: str, methods: frozenset[str]) -> str | None:
        response = caller("OPTIONS", url)
        if response.status_code != 204:
            return f"OPTIONS answered {response.status_code}"
        if _allow(response) != methods:
            return f"Allow {response.headers.get('Allow')!r}, not {sorted(methods)}"
        if response.data:
            return "OPTIONS answered with a body"
        return None

    _walk(app, check)


@pytest.mark.parametrize("caller", CALLERS, indirect=True)
def test_head_answers_as_get_without_a_body(
    app: Flask, caller: Callable[[str, str], TestResponse]
) -> None:
    def check(pattern: str, url: str, methods: frozenset[str]) -> str | None:
        head = caller("HEAD", url)
        got = caller("GET", url)
        if got.status_code >= 500 or head.status_code != got.status_code:
            return f"HEAD answered {head.status_code}, GET {got.status_code}"
        if head.mimetype != got.mimetype:
            return f"HEAD is {head.mimetype}, GET {got.mimetype}"
        if head.data:
            return "HEAD answered with a body"
        return None

    _walk(app, check, needs="GET")


@pytest.mark.parametrize("caller", CALLERS, indirect=True)
def test_a_method_a_path_does_not_take_is_405_with_allow(
    app: Flask, caller: Callable[[str, str], TestResponse]
) -> None:
    def check(pattern: str, url: str, methods: frozenset[str]) -> str | None:
        method = next(item for item in _OTHER_METHODS if item not in methods)
        response = caller(method, url)
        if response.status_code != 405:
            return f"{method} answered {response.status_code}"
        if _allow(response) != methods:
            return f"{method}: Allow {response.headers.get('Allow')!r}, not {sorted(methods)}"
        expected = "application/problem+json" if url.startswith("/api/") else "text/html"
        if response.mimetype != expected:
            return f"{method} answered {response.mimetype}, not {expected}"
        if expected == "text/html" and "This action is not available here" not in response.text:
            return f"{method}: not the error page"
        return None

    _walk(app, check)


def test_an_unknown_method_is_405_too(client: FlaskClient) -> None:
    for url in ("/api/v1/me", "/home"):
        response = client.open(url, method="BREW")
        assert response.status_code == 405, url
        assert _allow(response) == {"GET", "HEAD", "OPTIONS"}, url

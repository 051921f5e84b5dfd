"""The browser test harness: Chromium through Playwright, a live server per xdist worker with
its own SQLite file holding the demo trust, and helpers to sign in, run axe and check a page at
360 px wide.

Every test here is marked `browser` (deselect with `-m "not browser"`). Without Chromium the
tests skip with a reason, except under `CI=true`, where a missing browser is a failure.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import BrowserContext, Page, expect

from portfolio import demo
from portfolio.core.clock import today
from tests.browser.pages import NARROW, MakePerson, MakeWorker
from tests.browser.server import demo_trust_app, serving

HERE = Path(__file__).resolve().parent
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# A loaded machine (two workers, each with a browser and a server) can be slow to paint.
expect.set_options(timeout=10_000)


@pytest.hookimpl(tryfirst=True)  # before pytest's own -m filtering, which must see the mark
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or DEFAULT_CHROMIUM
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        reason = f"Chromium not found at {path}; install Debian's chromium package"
        if _in_ci():
            pytest.fail(f"{reason} (CI=true: browser tests must run, not skip)", pytrace=False)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(pytestconfig: pytest.Config, chromium_path: str) -> dict[str, Any]:
    """Overrides pytest-playwright's: Debian's Chromium, headless (unless --headed), quiet."""
    return {
        "executable_path": chromium_path,
        "args": CHROMIUM_ARGS,
        "headless": not pytestconfig.getoption("--headed"),
    }


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app under test with the demo trust (one per worker)."""
    app = demo_trust_app(tmp_path_factory.mktemp("browser-server"))
    yield app
    app.extensions["engine"].dispose()


@pytest.fixture(scope="session")
def live_server(live_app: Flask) -> Iterator[str]:
    with serving(live_app) as url:
        yield url


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    """pytest-playwright gives every context this base URL, so `page.goto("/home")` works."""
    return live_server


@pytest.fixture
def new_context(
    new_context: Callable[..., BrowserContext], browser_context_args: dict[str, Any]
) -> Callable[..., BrowserContext]:
    """pytest-playwright's `new_context` (and so `context` and `page`), with every context
    confined to its server (the live server, unless a module's `browser_context_args` gives
    another base URL): nothing from the internet (such as the design system's web font)
    changes a page's layout or timing."""
    home = browser_context_args["base_url"]
    elsewhere = re.compile(rf"^(?!{re.escape(home)}(/|$)|data:|blob:)")

    def make(**kwargs: Any) -> BrowserContext:
        ctx = new_context(**kwargs)
        ctx.route(elsewhere, lambda route: route.abort())
        ctx.set_default_timeout(10_000)
        return ctx

    return make


@pytest.fixture(scope="session")
def _axe() -> Axe:
    return Axe()


def _violation_report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {', '.join(str(target) for target in node['target'])}")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe(_axe: Axe) -> Callable[[Page, str], None]:
    """`axe(page, "what the page is")`: asserts axe finds no WCAG 2.2 A/AA violations."""

    def check(page: Page, label: str = "") -> None:
        page.wait_for_load_state("load")
        results = _axe.run(
            page,
            options={
                "runOnly": {"type": "tag", "values": AXE_TAGS},
                "resultTypes": ["violations"],
            },
        )
        violations = results.response["violations"]
        where = f"{label or page.title()} ({page.url}, {page.viewport_size})"
        assert not violations, (
            f"axe found {len(violations)} violation(s) on {where}:\n"
            + _violation_report(violations)
        )

    return check


@pytest.fixture(scope="session")
def narrow(axe: Callable[[Page, str], None]) -> Callable[[Page, str], None]:
    """`narrow(page, "what the page is")`: at 360 x 740 the page does not scroll sideways
    (wide tables scroll inside their own region) and axe still passes; then the viewport is
    put back as it was."""

    def check(page: Page, label: str = "") -> None:
        before = page.viewport_size
        page.set_viewport_size(NARROW)
        try:
            page.wait_for_load_state("load")
            # The header's script folds navigation into "More" after a resize (debounced):
            # give the layout up to 3 s to settle, checking every 50 ms. Not
            # `wait_for_function`: once its first check fails it polls with `new Function`
            # inside the page, which the app's Content-Security-Policy (no 'unsafe-eval')
            # refuses; `evaluate` goes through the DevTools protocol, outside the policy.
            settled_by = time.monotonic() + 3
            width = page.evaluate("document.documentElement.scrollWidth")
            while width > NARROW["width"] and time.monotonic() < settled_by:
                page.wait_for_timeout(50)
                width = page.evaluate("document.documentElement.scrollWidth")
            if width > NARROW["width"]:
                wide = page.evaluate(
                    """(limit) => [...document.querySelectorAll('body *')]
                        .filter(e => e.getBoundingClientRect().right > limit
                                && !e.closest('.app-table-scroll'))
                        .slice(0, 8)
                        .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
                                + (e.className && typeof e.className === 'string'
                                   ? '.' + e.className.trim().split(/\\s+/).join('.') : '')
                                + ' right=' + Math.round(e.getBoundingClientRect().right))""",
                    NARROW["width"],
                )
                pytest.fail(
                    f"{label or page.title()} ({page.url}) scrolls sideways at 360 px: "
                    f"scrollWidth {width}. Widest elements: {wide}",
                    pytrace=False,
                )
            axe(page, f"{label or page.title()} at 360 px")
        finally:
            if before is not None:
                page.set_viewport_size(before)

    return check


@pytest.fixture(scope="session")
def sign_in() -> Callable[..., None]:
    """`sign_in(page, email, password=demo.PASSWORD)`: through the form, as a person would.
    Returns once the next page shows: another page, or the sign-in page with its errors."""
    from portfolio import demo

    def do(page: Page, email: str, password: str = demo.PASSWORD) -> None:
        page.goto("/sign-in")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password", exact=True).fill(password)
        page.get_by_role("button", name="Sign in").click()
        next_page = page.locator(".nhsuk-error-summary").or_(
            page.locator("h1", has_not_text="Sign in")
        )
        expect(next_page.first).to_be_visible()
        page.wait_for_load_state("load")

    return do


@pytest.fixture(scope="session")
def make_person(live_app: Flask) -> Callable[..., tuple[str, str]]:
    """`make_person(name, roles)`: adds someone to the demo trust directly (as an
    administrator would) and returns their email address and temporary password. Each call
    makes a new person, so tests that fail to sign in never use up a shared account's limit."""
    import uuid

    from sqlalchemy import select

    from portfolio import demo
    from portfolio.commands import cli_auditor
    from portfolio.core.roles import AccountRole
    from portfolio.db import get_session
    from portfolio.people import services
    from portfolio.people.models import Organisation

    def make(
        name: str = "Robin Fletcher",
        roles: frozenset[AccountRole] = frozenset({AccountRole.SUPPORT_WORKER}),
    ) -> tuple[str, str]:
        email = f"person-{uuid.uuid4().hex[:10]}@northfield.example"
        with live_app.app_context():
            session = get_session()
            organisation = session.scalars(
                select(Organisation).where(Organisation.name == demo.ORGANISATION)
            ).one()
            _, password = services.create_person(
                cli_auditor(),
                organisation,
                services.PersonDetails(name=name, email=email, roles=roles),
            )
            session.commit()
        return email, password

    return make


POST = "Assistant practitioner, general radiography"


@pytest.fixture
def make_worker(live_app: Flask, make_person: MakePerson) -> MakeWorker:
    """`make_worker(name)`: a new support worker in the assistant practitioner post (CANN in
    their scope) who has chosen the demo password; returns their email address."""
    from sqlalchemy import select

    from portfolio.accounts import services as accounts
    from portfolio.commands import cli_auditor
    from portfolio.core.roles import JobRole
    from portfolio.db import get_session
    from portfolio.frameworks.models import Post
    from portfolio.people import services as people
    from portfolio.people.models import User

    def make(name: str) -> str:
        email, _ = make_person(name)
        with live_app.app_context():
            session = get_session()
            auditor = cli_auditor()
            person = session.scalars(select(User).where(User.email == email)).one()
            post = session.scalars(select(Post).where(Post.name == POST)).one()
            started = today() - dt.timedelta(days=90)
            people.record_appointment(
                auditor,
                person,
                people.AppointmentDetails(
                    effective_from=started,
                    job_role=JobRole.AP,
                    trainee=False,
                    afc_band="4",
                    department_id=post.department_id,
                    started_in_post_on=started,
                    post_id=post.id,
                ),
            )
            accounts.change_password(auditor, person, demo.PASSWORD)
            session.commit()
        return email

    return make

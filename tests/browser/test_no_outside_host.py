"""No page asks any host but the portfolio's own for anything: every request the main pages
make is recorded (stylesheets, scripts, images, fonts, the manifest), and any to another host
fails the test. Issue 21: every page asked https://assets.nhs.uk for the NHS web font, and
where that host was unreachable one page load in four waited 5.2 s.

The harness aborts requests to other hosts (`new_context` in the conftest), but a request is
recorded here when the page makes it, aborted or not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, Request, expect

from portfolio import demo

SignIn = Callable[..., None]
WORKER = "scsw@northfield.example"
SHIFT_LEAD = "radiographer@northfield.example"
EDUCATOR = "educator@northfield.example"


class Requests:
    def __init__(self, base_url: str) -> None:
        self.home = urlsplit(base_url).netloc
        self.outside: list[str] = []
        self.count = 0

    def record(self, request: Request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in {"data", "blob"}:
            return
        self.count += 1
        if parts.netloc != self.home:
            self.outside.append(f"{request.resource_type} {request.url} (from {request.frame.url})")

    def visit(self, page: Page, path: str) -> None:
        page.goto(path)
        page.wait_for_load_state("load")
        page.wait_for_load_state("networkidle")  # fonts are asked for once text is laid out

    def assert_none_outside(self, where: str) -> None:
        assert self.count > 3, f"too few requests recorded on {where} to mean anything"
        assert not self.outside, f"{where} asked another host:\n" + "\n".join(self.outside)


@pytest.fixture
def requests(context: BrowserContext, base_url: str) -> Requests:
    recorded = Requests(base_url)
    context.on("request", recorded.record)
    return recorded


@pytest.mark.parametrize("person", demo.PEOPLE, ids=lambda person: person.email.split("@")[0])
def test_each_demo_accounts_home_asks_no_other_host(
    page: Page, sign_in: SignIn, requests: Requests, person: demo.DemoPerson
) -> None:
    requests.visit(page, "/sign-in")
    sign_in(page, person.email)
    expect(page).to_have_url(re.compile(r"/home$"))
    page.wait_for_load_state("networkidle")
    requests.assert_none_outside(f"the home page of {person.email}")


def test_the_main_pages_ask_no_other_host(
    page: Page, context: BrowserContext, sign_in: SignIn, requests: Requests
) -> None:
    requests.visit(page, "/verify")  # open to anyone: the print checker
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    sign_in(page, WORKER)
    competencies = page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Your competencies", exact=True
    )
    own = competencies.first.get_attribute("href")
    assert own
    requests.visit(page, f"{own}/CANN")  # a competency page of the worker's own
    expect(page.get_by_role("heading", level=1)).to_contain_text("cannulation")
    requests.visit(page, "/frameworks/competencies/CANN")

    context.clear_cookies()
    sign_in(page, SHIFT_LEAD)
    requests.visit(page, "/shift")
    expect(page.get_by_role("heading", name="Who may do a task")).to_be_visible()

    context.clear_cookies()
    sign_in(page, EDUCATOR)
    requests.visit(page, "/oversight/matrix")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    requests.assert_none_outside("the verify, competency, shift and matrix pages")

"""Finding things on a page as a person would (headings, menus, tables, summary rows, error
summaries), moving through it by keyboard, and the names of the checks the browser fixtures
give (tests/browser/conftest.py)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, ViewportSize, expect

Check = Callable[[Page, str], None]
SignIn = Callable[..., None]
MakePerson = Callable[..., tuple[str, str]]
MakeWorker = Callable[[str], str]  # make_worker(name) -> their email address

ADMIN = "admin@northfield.example"
NARROW: ViewportSize = {"width": 360, "height": 740}


def heading(page: Page, name: str, level: int = 1) -> Locator:
    return page.get_by_role("heading", level=level, name=name, exact=True)


def error_summary(page: Page) -> Locator:
    return page.locator(".nhsuk-error-summary")


def header_menu(page: Page, name: str) -> Locator:
    return page.get_by_role("navigation", name="Menu").get_by_role("link", name=name, exact=True)


def visit(page: Page, path: str) -> int:
    """Go to a path as a person typing it would; returns the HTTP status of the page."""
    response = page.goto(path)
    assert response is not None
    return response.status


def open_profile(page: Page, email: str, name: str) -> None:
    """As an administrator: find someone on the People page by their email address and open
    their profile."""
    header_menu(page, "People").click()
    page.get_by_label("Search by name or email").fill(email)
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name=name, exact=True).click()
    expect(heading(page, name)).to_be_visible()


def table(page: Page, name: str) -> Locator:
    """A wide table's scrolling region, named by its caption."""
    return page.get_by_role("region", name=name, exact=True)


def row(region: Locator, first_cell: str) -> Locator:
    """The table row whose first cell reads exactly `first_cell`."""
    return region.get_by_role("row").filter(
        has=region.page.get_by_role("cell", name=first_cell, exact=True)
    )


def summary_row(page: Page, key: str) -> Locator:
    """The row of a summary list whose key reads exactly `key`."""
    return page.locator(".nhsuk-summary-list__row").filter(
        has=page.locator(
            ".nhsuk-summary-list__key", has_text=re.compile(rf"^\s*{re.escape(key)}\s*$")
        )
    )


def expect_errors(page: Page, title: str, *messages: str | re.Pattern[str]) -> None:
    """The form came back with an error summary, focused, linking each message."""
    expect(page).to_have_title(re.compile(rf"^Error: {re.escape(title)}"))
    summary = error_summary(page)
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("There is a problem")
    for message in messages:
        expect(summary.get_by_role("link", name=message)).to_be_visible()


def tab_to(page: Page, target: Locator, limit: int = 80) -> None:
    """Press Tab until `target` has the focus, as someone using only a keyboard would."""
    element = target.element_handle()  # found once: each check after a press is then quick
    for _ in range(limit):
        page.keyboard.press("Tab")
        if element.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{target} was not reached in {limit} presses of Tab")


def columns_in_view(region: Locator, *headings: str) -> None:
    """At the page's width now (a phone's, say): the table in `region` does not scroll
    sideways, so no column is hidden past its edge, and its first row shows each of
    `headings` beside its value (a responsive table's stacked row), inside the page."""
    hidden = region.evaluate("element => element.scrollWidth - element.clientWidth")
    assert hidden <= 1, f"{region} hides {hidden} px of its columns past its right edge"
    first = region.locator("tbody tr").first
    for text in headings:
        label = region.page.locator(
            ".nhsuk-table__heading", has_text=re.compile(rf"^{re.escape(text)}\s*$")
        )
        cell = first.locator("td", has=label)
        expect(cell.locator(label)).to_be_visible()
        on_screen(cell, f"the {text} cell")


def on_screen(element: Locator, what: str) -> None:
    """`element` is wholly inside the page's width, neither off its left nor its right."""
    page = element.page
    width = page.viewport_size["width"] if page.viewport_size else 0
    box = element.bounding_box()
    assert box is not None, f"{what} is not shown"
    assert box["x"] >= 0, f"{what} is off the left of the screen: {box}"
    assert box["x"] + box["width"] <= width + 1, f"{what} is past the {width} px screen: {box}"

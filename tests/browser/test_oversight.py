"""The educator's oversight pages in a real browser, with the demo trust: Priya Patel (whole
trust) filters the competency matrix by department and status with the keyboard alone, pages
through General radiography, downloads the matrix as a CSV file, and opens each list.

Every page is checked with axe and at 360 px wide. Nothing here changes the demo trust: pages
hold two workers each (instead of 25) for the length of the test, so the demo's three General
radiography workers (and any that other tests on this live server added there) make at least
two pages."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from portfolio.core.clock import today
from portfolio.oversight import views
from tests.browser.pages import Check, SignIn, heading, tab_to

PRIYA_EMAIL = "educator@northfield.example"
GENERAL = {"Jordan Lee", "Chris Taylor", "Sophie Turner"}  # the demo's General radiography


def matrix(page: Page) -> Locator:
    return page.get_by_role("region", name=re.compile("^Competencies by support worker"))


def worker_names(page: Page) -> list[str]:
    """The names in the matrix's fixed column (the first line: job role and department follow)."""
    return [
        name.strip().split("\n")[0].strip()
        for name in matrix(page).locator("tbody th").all_inner_texts()
    ]


def test_educator_filters_pages_and_downloads_the_matrix_with_the_keyboard(
    page: Page,
    sign_in: SignIn,
    axe: Check,
    narrow: Check,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(views, "PER_PAGE", 2)  # the live server runs in this process
    sign_in(page, PRIYA_EMAIL)
    page.goto("/oversight")
    expect(heading(page, "Oversight")).to_be_visible()
    axe(page, "oversight index")
    narrow(page, "oversight index")

    page.get_by_role("link", name="Competency matrix").click()
    expect(heading(page, "Competency matrix")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Showing 1 to 2 of \d+ support workers"))).to_be_visible()
    region = matrix(page)
    expect(region).to_have_attribute("tabindex", "0")
    expect(region.locator("thead th").nth(2)).to_contain_text("CORE-ID")  # after name and count
    axe(page, "competency matrix")
    narrow(page, "competency matrix")

    # Department, then three fields on to Status, choosing by typing as a keyboard user does.
    department = page.get_by_label("Department", exact=True)
    tab_to(page, department)
    page.keyboard.type("General")
    expect(department).to_have_value(re.compile(r"^\d+$"))
    for _ in range(3):
        page.keyboard.press("Tab")
    status = page.get_by_label("Status", exact=True)
    expect(status).to_be_focused()
    page.keyboard.type("Expired")
    expect(status).to_have_value("expired")
    tab_to(page, page.get_by_role("button", name="Apply filters"))
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"status=expired"))
    expect(page.get_by_label("Status", exact=True)).to_have_value("expired")
    assert "Jordan Lee" in worker_names(page)  # basic life support expired, never renewed
    jordan = matrix(page).get_by_role("row", name=re.compile("^Jordan Lee"))
    expect(jordan).to_contain_text("Expired")
    expect(jordan).to_contain_text("Not in scope")  # senior CSW items are outside a CSW's scope
    assert "Morgan Davies" not in worker_names(page)  # MRI
    axe(page, "matrix filtered by department and status")
    narrow(page, "matrix filtered by department and status")

    # Back to any status: the department's workers, two to a page, by name.
    tab_to(page, page.get_by_label("Status", exact=True))
    page.keyboard.type("Any")
    tab_to(page, page.get_by_role("button", name="Apply filters"))
    page.keyboard.press("Enter")
    showing = page.get_by_text(re.compile(r"^Showing 1 to 2 of \d+ support workers, page 1 of"))
    expect(showing).to_be_visible()
    total = int(re.findall(r"of (\d+) support workers", showing.inner_text())[0])
    assert total >= len(GENERAL)
    first = worker_names(page)
    pages = page.get_by_role("navigation", name="Pages of the matrix")
    tab_to(page, pages.get_by_role("link", name=re.compile("^Next")))
    page.keyboard.press("Enter")
    expect(
        page.get_by_text(re.compile(r"^Showing 3 to \d+ of \d+ support workers, page 2 of"))
    ).to_be_visible()
    expect(page).to_have_url(re.compile(r"department=\d+"))
    second = worker_names(page)
    names = [name.casefold() for name in first + second]
    assert names == sorted(names)
    expect(pages.get_by_role("link", name="Page 2")).to_have_attribute("aria-current", "page")
    axe(page, "matrix, second page")
    narrow(page, "matrix, second page")

    # The download holds every page: all three workers, as Excel wants the file.
    download_button = page.get_by_role("button", name="Download the matrix (CSV)")
    tab_to(page, download_button)
    with page.expect_download() as waiting:
        page.keyboard.press("Enter")
    download = waiting.value
    assert download.suggested_filename == f"competency-matrix-{today().isoformat()}.csv"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    data = saved.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte order mark
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == total
    assert {row["Name"] for row in rows} >= GENERAL
    jordan_row = next(row for row in rows if row["Name"] == "Jordan Lee")
    assert jordan_row["CORE-BLS Basic life support: status"] == "Expired"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", jordan_row["CORE-BLS: valid until"])


@pytest.mark.parametrize(
    ("link", "title", "shows"),
    [
        ("Reassessment due or expired", "Reassessment due or expired", "Jordan Lee"),
        ("Suspended sign-offs", "Suspended sign-offs", "were suspended"),
        (
            "Support to start a qualification",
            "Support to start a qualification",
            "guidance, not a rule they have broken",
        ),
    ],
)
def test_each_list_reads_well_at_any_width(
    page: Page, sign_in: SignIn, axe: Check, narrow: Check, link: str, title: str, shows: str
) -> None:
    sign_in(page, PRIYA_EMAIL)
    page.goto("/oversight")
    page.get_by_role("link", name=link).click()
    expect(heading(page, title)).to_be_visible()
    expect(page.get_by_text(shows).first).to_be_visible()
    axe(page, title)
    narrow(page, title)


def test_a_wrong_number_of_days_is_explained(page: Page, sign_in: SignIn, axe: Check) -> None:
    sign_in(page, PRIYA_EMAIL)
    page.goto("/oversight/reassessment")
    field = page.get_by_label("Within this many days")
    field.fill("1000")
    page.get_by_role("button", name="Apply filters").click()
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Enter a number of days from 0 to 730")
    expect(page).to_have_title(re.compile("^Error: Reassessment due or expired"))
    axe(page, "reassessment list with a wrong number of days")


def test_a_support_worker_cannot_open_the_matrix(page: Page, sign_in: SignIn) -> None:
    sign_in(page, "csw@northfield.example")
    response = page.goto("/oversight/matrix")
    assert response is not None
    assert response.status == 403

"""Onboarding in a real browser: an administrator previews a staff file with mistakes, sees
each one, uploads the corrected file and confirms; and the forgotten-password pages. Every
page is checked with axe, and the preview at 360 px."""

from __future__ import annotations

import csv
import io
import re
import uuid
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import FilePayload, Locator, Page, expect

from tests.browser.pages import Check, SignIn

ADMIN = "admin@northfield.example"
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "onboarding-example.csv"


def heading(page: Page, name: str) -> Locator:
    return page.get_by_role("heading", level=1, name=name, exact=True)


@pytest.fixture
def department(live_app: Flask) -> str:
    """A department of its own in the demo trust, so the people imported here change no
    other test's department, matrix or supervisor."""
    from sqlalchemy import select

    from portfolio import demo
    from portfolio.commands import cli_auditor
    from portfolio.db import get_session
    from portfolio.people.models import Organisation
    from portfolio.people.services import save_department

    name = f"Imaging {uuid.uuid4().hex[:6]}"
    with live_app.app_context():
        session = get_session()
        organisation = session.scalars(
            select(Organisation).where(Organisation.name == demo.ORGANISATION)
        ).one()
        save_department(cli_auditor(), organisation, name)
        session.commit()
    return name


def staff_file(run: str, department: str, *, mistakes: bool) -> FilePayload:
    """The shipped example, with this run's own addresses, numbers and department."""
    rows = list(csv.DictReader(io.StringIO(EXAMPLE.read_text(encoding="utf-8"))))
    for number, row in enumerate(rows):
        local, _, domain = row["Email"].partition("@")
        row.update(
            {
                "Email": f"{local}.{run}@{domain}",
                "Employee number": f"{run}{number}",
                "Department": department,
                "Post": "",
                "Supervisor": "",
            }
        )
    if mistakes:
        rows[1]["Email"] = rows[1]["Email"].replace("@", ".")
        rows[3]["Start date"] = "01/09/2025"
        rows[4]["Department"] = "Nuclear medicine"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return {
        "name": "staff.csv",
        "mimeType": "text/csv",
        "buffer": ("\ufeff" + buffer.getvalue()).encode(),
    }


def test_admin_previews_a_bad_file_sees_each_problem_then_imports_the_corrected_one(
    page: Page, sign_in: SignIn, axe: Check, narrow: Check, department: str
) -> None:
    run = uuid.uuid4().hex[:8]
    sign_in(page, ADMIN)
    page.goto("/people")
    page.get_by_role("button", name="Import people from a CSV file").click()
    expect(heading(page, "Import people from a staff record extract")).to_be_visible()
    axe(page, "import people: upload page")
    narrow(page, "import people: upload page")

    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Choose a CSV file to upload")
    axe(page, "upload page with an error")

    page.set_input_files("#file", files=[staff_file(run, department, mistakes=True)])
    page.get_by_role("button", name="Upload and check").click()
    expect(heading(page, "Check the import of staff.csv")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: Check the import"))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("There are 3 problems in the file")
    for problem in (
        "Line 3, Email: Enter an email address in the correct format",
        "Line 5, Start date: Enter the date as YYYY-MM-DD",
        "Line 6, Department: There is no department called Nuclear medicine",
    ):
        expect(summary.get_by_role("link", name=re.compile(re.escape(problem)))).to_be_visible()
    expect(page.get_by_role("button", name="Confirm and import")).to_have_count(0)
    axe(page, "preview with problems")
    narrow(page, "preview with problems")

    page.set_input_files("#file", files=[staff_file(run, department, mistakes=False)])
    page.get_by_role("button", name="Upload and check").click()
    expect(page).to_have_title(re.compile(r"^Check the import"))
    lines = page.get_by_role("region", name="What importing does to each line")
    expect(lines.get_by_role("row")).to_have_count(7)
    expect(lines).to_contain_text(f"farah.siddiqui.{run}@northfield.example")
    axe(page, "preview ready to import")
    narrow(page, "preview ready to import")

    page.get_by_role("button", name="Confirm and import").click()
    # The demo sends no email: the people added have no way in until they get a letter.
    expect(heading(page, "Set-up letters")).to_be_visible()
    expect(page.get_by_text("Imported: 6 added, 0 updated, 0 unchanged.")).to_be_visible()
    expect(page.get_by_text("the people added have no way in yet")).to_be_visible()
    axe(page, "set-up letters after an import")
    narrow(page, "set-up letters after an import")
    page.get_by_role("button", name="Print set-up letters").click()
    expect(heading(page, "Set-up letters to print")).to_be_visible()
    expect(
        page.get_by_text("Setting up your competency portfolio account, Bea Okoro")
    ).to_be_visible()
    narrow(page, "set-up letters to print")
    page.goto("/people")
    page.get_by_label("Search by name or email").fill(f"bea.okoro.{run}")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name="Bea Okoro").click()
    expect(page.locator("#password-status")).to_contain_text("not chosen a password yet")
    expect(page.get_by_role("region", name="Job role history")).to_contain_text(department)
    axe(page, "an imported person's profile")


def test_forgotten_password_and_a_dead_link_are_clear_and_accessible(
    page: Page, axe: Check, narrow: Check
) -> None:
    page.goto("/password/forgotten")
    expect(heading(page, "Forgotten your password")).to_be_visible()
    axe(page, "forgotten password")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("Enter your email address")
    axe(page, "forgotten password with an error")
    page.get_by_label("Email address").fill("someone@northfield.example")
    page.get_by_role("button", name="Send me a link").click()
    expect(heading(page, "Check your email")).to_be_visible()
    expect(page.get_by_text("If an account exists for someone@northfield.example")).to_be_visible()
    axe(page, "check your email")

    page.goto("/password/set/" + "x" * 43)
    expect(heading(page, "This link cannot be used")).to_be_visible()
    page.get_by_role("link", name="Ask for a new link to set your password").click()
    expect(heading(page, "Forgotten your password")).to_be_visible()
    page.goto("/password/set/" + "x" * 43)
    axe(page, "a link that cannot be used")
    narrow(page, "a link that cannot be used")

"""A support worker takes their portfolio with them: they download it from their account page,
and an administrator of the trust they move to brings it in. Every page is checked with axe."""

from __future__ import annotations

import json
import re
import uuid
import zipfile
from pathlib import Path

from flask import Flask
from playwright.sync_api import Page, expect

from portfolio.core.roles import AccountRole, Nation
from tests.browser.pages import Check, SignIn, error_summary, heading

PASSWORD = "a-long-enough-password"


def _another_trust(live_app: Flask) -> str:
    """A second trust with an administrator; returns their email address."""
    from portfolio.commands import cli_auditor
    from portfolio.db import get_session
    from portfolio.people import services

    tag = uuid.uuid4().hex[:8]
    email = f"admin-{tag}@southfield.example"
    with live_app.app_context():
        organisation = services.create_organisation(
            cli_auditor(), f"Southfield NHS Trust {tag}", Nation.ENGLAND
        )
        services.create_person(
            cli_auditor(),
            organisation,
            services.PersonDetails(
                name="Sol Admin", email=email, roles=frozenset({AccountRole.ADMIN})
            ),
            password=PASSWORD,
        )
        get_session().commit()
    return email


def test_a_worker_downloads_their_portfolio_and_another_trust_brings_it_in(
    page: Page, sign_in: SignIn, axe: Check, narrow: Check, live_app: Flask, tmp_path: Path
) -> None:
    sign_in(page, "scsw@northfield.example")
    page.goto("/account")
    expect(heading(page, "Your portfolio to take with you", level=2)).to_be_visible()
    axe(page, "account page with the export")
    with page.expect_download() as started:
        page.get_by_role("button", name="Download your portfolio").click()
    download = started.value
    assert re.fullmatch(
        r"portfolio-morgan-davies-\d{4}-\d{2}-\d{2}\.zip", download.suggested_filename
    )
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        assert json.loads(archive.read("portfolio.json"))["person"]["name"] == "Morgan Davies"
    page.get_by_role("button", name="Sign out", exact=True).click()

    sign_in(page, _another_trust(live_app), PASSWORD)
    page.goto("/people")
    page.get_by_role("link", name="Bring in a portfolio exported from another organisation").click()
    expect(heading(page, "Bring in a portfolio from another organisation")).to_be_visible()
    axe(page, "import page")
    page.get_by_role("button", name="Check and bring in").click()
    expect(error_summary(page)).to_contain_text("Enter their email address here")
    axe(page, "import page with errors")

    page.get_by_label("The export (a ZIP file)").set_input_files(saved)
    page.get_by_label("Their email address here").fill(
        f"morgan-{uuid.uuid4().hex[:6]}@south.example"
    )
    page.get_by_role("button", name="Check and bring in").click()
    expect(heading(page, "Portfolio brought in for Morgan Davies")).to_be_visible()
    expect(page.get_by_text("temporary password", exact=False)).to_be_visible()
    expect(page.get_by_role("heading", name="Not brought in")).to_be_visible()
    axe(page, "import report")
    narrow(page, "import report")

    page.get_by_role("link", name="Morgan Davies's page").click()
    expect(heading(page, "Morgan Davies")).to_be_visible()
    page.goto("/people/left")
    expect(heading(page, "People who have left")).to_be_visible()
    axe(page, "people who have left")

"""Bringing in a paper sign-off, in a real browser: Priya Patel (practice educator) opens a new
assistant practitioner's cannulation page, transcribes the paper sign-off from the trust's
vascular access record (first submitting the form empty, as someone in a hurry would), and the
worker then finds it on their own competencies, marked as a transcribed record. Every page
and error state is checked with axe; the form and the result also at 360 px wide.

The worker is new (see `make_worker`), so nothing here changes what other tests see."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable

from flask import Flask
from playwright.sync_api import BrowserContext, Page, expect

from portfolio import demo
from portfolio.core.clock import today
from portfolio.standing.status import long_date
from tests.browser.pages import (
    Check,
    MakeWorker,
    SignIn,
    expect_errors,
    header_menu,
    heading,
    row,
    summary_row,
    table,
)

PRIYA_EMAIL = "educator@northfield.example"
CANNULATION = "CANN: Peripheral intravenous cannulation"
FORM = "Transcribe a sign-off"


def _person_id(live_app: Flask, email: str) -> int:
    from sqlalchemy import select

    from portfolio.db import get_session
    from portfolio.people.models import User

    with live_app.app_context():
        return get_session().scalars(select(User.id).where(User.email == email)).one()


def test_an_educator_transcribes_a_paper_cannulation_sign_off_that_shows_as_transcribed(
    page: Page,
    new_context: Callable[..., BrowserContext],
    live_app: Flask,
    make_worker: MakeWorker,
    sign_in: SignIn,
    axe: Check,
    narrow: Check,
) -> None:
    name = f"Taylor Paper {uuid.uuid4().hex[:4]}"
    email = make_worker(name)
    worker_id = _person_id(live_app, email)
    observed = today() - dt.timedelta(days=90)

    sign_in(page, PRIYA_EMAIL, demo.PASSWORD)
    page.goto(f"/people/{worker_id}/competencies/CANN")
    expect(heading(page, CANNULATION)).to_be_visible()
    page.get_by_role("button", name="Transcribe a sign-off").click()  # a link styled as one
    expect(heading(page, FORM)).to_be_visible()
    axe(page, "transcribe a sign-off")
    narrow(page, "transcribe a sign-off")

    # Sent empty: every problem is listed, linked to its field, and nothing is saved.
    page.get_by_role("button", name="Save the transcribed sign-off").click()
    expect_errors(
        page,
        FORM,
        "Select where it was signed off",
        "Enter where the original record is kept",
        "Enter who saw the original record",
        "Enter the name of the assessor on the original",
        "Enter the date it was signed off",
        "Select the level of supervision",
    )
    axe(page, "transcribe a sign-off with errors")

    page.get_by_role("radio", name="At this trust, on a paper record").check()
    page.get_by_label("Where the original record is kept").fill(
        "Vascular access training record, education office"
    )
    page.get_by_label("Who saw the original").fill("Priya Patel")
    page.get_by_label("Date they saw it").fill(today().isoformat())
    page.get_by_label("Assessor's name").fill("Vascular access team")
    page.get_by_label("Assessor's profession").select_option(label="Nurse")
    page.get_by_label("Date signed off on the original").fill(observed.isoformat())
    page.get_by_role("radio", name="Indirect supervision: a registrant is nearby").check()
    page.get_by_role("checkbox", name="Adults only").check()
    page.get_by_role("button", name="Save the transcribed sign-off").click()

    expect(heading(page, CANNULATION)).to_be_visible()
    expect(page.get_by_text("The transcribed sign-off has been saved")).to_be_visible()
    decision = heading(
        page, f"Competent, observed {long_date(observed)} (transcribed record)", level=3
    )
    expect(decision).to_be_visible()
    expect(summary_row(page, "Transcribed from")).to_contain_text("A paper record of this trust")
    axe(page, "the competency with its transcribed sign-off")
    narrow(page, "the competency with its transcribed sign-off")

    # The worker, on their own device, finds it on their competencies, marked as transcribed.
    mine = new_context().new_page()
    sign_in(mine, email, demo.PASSWORD)
    header_menu(mine, "Your competencies").click()
    expect(heading(mine, "Your competencies")).to_be_visible()
    listed = row(table(mine, "Competencies"), CANNULATION)
    expect(listed).to_contain_text("Competent")
    expect(listed).to_contain_text("Transcribed record")
    axe(mine, "the worker's competencies")
    listed.get_by_role("link", name=CANNULATION).click()
    expect(
        heading(mine, f"Competent, observed {long_date(observed)} (transcribed record)", level=3)
    ).to_be_visible()
    expect(
        mine.get_by_text(f"signed off on {long_date(observed)} (transcribed record)", exact=False)
    ).to_be_visible()
    axe(mine, "the worker's cannulation page")

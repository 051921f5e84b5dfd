"""Approved-assessor lists in a real browser: the demo educator finds Sam Okafor and Grace
Mensah on the cannulation list, puts Helen Shaw on the MR safety trainers' list and takes her
off again (leaving the demo as it was); every page and error state is checked with axe, and
the lists at 360 px."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from portfolio.core.clock import today
from tests.browser.pages import Check, SignIn, error_summary, heading

EDUCATOR = "educator@northfield.example"


def test_an_educator_keeps_the_approved_assessor_lists(
    page: Page, sign_in: SignIn, axe: Check, narrow: Check
) -> None:
    sign_in(page, EDUCATOR)
    page.goto("/home")
    page.get_by_role("link", name="Approved assessors").click()
    expect(heading(page, "Approved assessors")).to_be_visible()
    axe(page, "approved assessors")
    page.get_by_role("link", name="Cannulation assessors").click()
    current = page.get_by_role("region", name="Cannulation assessors now")
    expect(current.get_by_role("row", name="Sam Okafor")).to_be_visible()
    expect(current.get_by_role("row", name="Grace Mensah")).to_be_visible()
    narrow(page, "cannulation assessors")

    page.goto("/assessor-lists/mr_safety_trainer")
    expect(page.get_by_text("Nobody is on this list yet.")).to_be_visible()
    page.get_by_role("button", name="Add to the list").click()
    summary = error_summary(page)
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Choose who to add to the list")).to_be_visible()
    expect(summary.get_by_role("link", name="Enter the date they were approved")).to_be_visible()
    axe(page, "an approval with mistakes")

    page.get_by_label("Member of staff").select_option(label="Helen Shaw")
    page.get_by_label("Date approved").fill(today().isoformat())
    page.get_by_role("button", name="Add to the list").click()
    expect(page.get_by_text("Added to the list: MR safety trainers.")).to_be_visible()
    trainers = page.get_by_role("region", name="MR safety trainers now")
    expect(trainers.get_by_role("row", name="Helen Shaw")).to_contain_text("Priya Patel")
    narrow(page, "MR safety trainers")

    page.get_by_role("button", name="Take Helen Shaw off the list").click()
    expect(page.get_by_text("No longer on the list")).to_be_visible()
    expect(page.get_by_text("Nobody is on this list yet.")).to_be_visible()
    axe(page, "MR safety trainers, Helen Shaw taken off")

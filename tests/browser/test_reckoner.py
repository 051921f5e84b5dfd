"""The scope of practice reckoner in a real browser, over the demo trust: a shift lead asks who
may cannulate today in MRI with the keyboard alone, follows a name to that person's answer,
and looks at a colleague in general radiography who may; axe on every page and state, and
each page at 360 px wide.

What the demo shows today (portfolio/demo/): the one support worker in MRI, Morgan Davies,
is three confirmed insertions short of cannulation, so nobody in MRI may cannulate yet;
Chris Taylor, an assistant practitioner in general radiography, was signed off by Sam Okafor
three days ago (indirect supervision, adults only) and countersigned by Priya Patel.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from portfolio import demo
from tests.browser.pages import Check, SignIn

SHIFT_LEAD = "radiographer@northfield.example"
CANNULATION = "Peripheral intravenous cannulation (CANN)"


def heading(page: Page, name: str | re.Pattern[str], level: int = 1) -> Locator:
    return page.get_by_role("heading", level=level, name=name)


def tab_to(page: Page, target: Locator, limit: int = 80) -> None:
    """Press Tab until `target` has the focus, as someone using only a keyboard would."""
    element = target.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if element.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{target} was not reached in {limit} presses of Tab")


def choose(page: Page, select: Locator, label: str) -> None:
    """Pick an option of a closed select by typing the start of its label."""
    tab_to(page, select)
    page.keyboard.type(label)
    expect(select.locator("option:checked")).to_have_text(label)


def row(page: Page, region: str, name: str) -> Locator:
    table = page.get_by_role("region", name=region)
    return table.get_by_role("row").filter(has=page.get_by_role("cell", name=name))


def test_a_shift_lead_asks_who_may_cannulate_today_with_the_keyboard_alone(
    page: Page, sign_in: SignIn, axe: Check, narrow: Check
) -> None:
    keys = page.keyboard
    sign_in(page, SHIFT_LEAD, demo.PASSWORD)
    page.goto("/shift")  # typing the address is the one thing done without the keyboard
    expect(heading(page, "Who may do a task")).to_be_visible()
    axe(page, "shift view, nothing chosen")
    narrow(page, "shift view, nothing chosen")

    # Asking without choosing says what is missing, and the summary takes the focus.
    tab_to(page, page.get_by_role("button", name="Show who may"))
    keys.press("Enter")
    expect(page).to_have_title(re.compile(r"^Error: Who may do a task"))
    summary = page.locator(".nhsuk-error-summary")
    expect(summary).to_be_focused()
    for message in ("Select a department", "Select a task"):
        expect(summary.get_by_role("link", name=message)).to_be_visible()
    axe(page, "shift view with errors")

    choose(page, page.get_by_label("Department"), "MRI")
    choose(page, page.get_by_label("Task", exact=True), CANNULATION)
    tab_to(page, page.get_by_role("button", name="Show who may"))
    keys.press("Enter")

    result = heading(page, f"{CANNULATION} in MRI, today", level=2)
    expect(result).to_be_visible()
    expect(page.get_by_text("0 of 1 support worker may do it today.")).to_be_visible()
    morgan = row(page, f"Who may do {CANNULATION.split(' (')[0]}", "Morgan Davies")
    expect(morgan).to_contain_text("Senior clinical support worker")
    expect(morgan).to_contain_text("May not")
    expect(morgan).to_contain_text("In progress: evidence logged, not yet signed off")
    axe(page, "who may cannulate in MRI today")
    narrow(page, "who may cannulate in MRI today")

    # The name leads to Morgan's own answer and printable scope, for the same task and day.
    tab_to(page, morgan.get_by_role("link", name="Morgan Davies"))
    keys.press("Enter")
    expect(heading(page, re.compile(r"^Scope of practice of Morgan Davies on "))).to_be_visible()
    answer = page.locator("section", has=heading(page, f"May Morgan Davies do {CANNULATION}?", 2))
    expect(answer).to_contain_text("May not")
    expect(answer).to_contain_text("Sign-off by an eligible assessor")
    expect(page.get_by_label("Task", exact=True)).to_have_value("CANN")
    expect(page.get_by_role("button", name="Print this scope")).to_be_visible()
    may = page.get_by_role("region", name="Competencies Morgan Davies may practise")
    expect(may).to_contain_text("Aseptic")  # ANTT, transcribed from the trust's record
    axe(page, "Morgan Davies's scope of practice")
    narrow(page, "Morgan Davies's scope of practice")

    # Printed, the page is the scope alone: no header, pickers or footer.
    page.emulate_media(media="print")
    expect(page.get_by_role("banner")).to_be_hidden()
    expect(page.get_by_label("Task", exact=True)).to_be_hidden()
    expect(page.get_by_role("button", name="Print this scope")).to_be_hidden()
    expect(may).to_be_visible()
    page.emulate_media(media="screen")


def test_a_colleague_signed_off_in_general_radiography_may_with_conditions(
    page: Page, sign_in: SignIn, axe: Check, narrow: Check
) -> None:
    sign_in(page, SHIFT_LEAD, demo.PASSWORD)
    page.goto("/shift")
    page.get_by_label("Department").select_option(label="General radiography")
    page.get_by_label("Task", exact=True).select_option(label=CANNULATION)
    page.get_by_role("button", name="Show who may").click()

    expect(heading(page, f"{CANNULATION} in General radiography, today", 2)).to_be_visible()
    chris = row(page, f"Who may do {CANNULATION.split(' (')[0]}", "Chris Taylor")
    # Chris is a preceptee in the demo: signed off at indirect, capped at direct (the engine).
    expect(chris).to_contain_text("May")
    expect(chris).not_to_contain_text("May not")
    expect(chris).to_contain_text("Direct supervision; Adults only")
    expect(chris).to_contain_text("by Sam Okafor, countersigned by Priya Patel")
    # Those who may come first.
    first = page.get_by_role("region", name=re.compile("^Who may do")).get_by_role("row").nth(1)
    expect(first).to_contain_text("Chris Taylor")
    axe(page, "who may cannulate in general radiography today")
    narrow(page, "who may cannulate in general radiography today")

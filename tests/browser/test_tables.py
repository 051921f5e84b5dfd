"""Tables on a phone, the task picker and the matrix in a real browser, over the demo trust.

At 360 px wide each of the shift view, a person's competencies, the people list, the
educator's and the supervisor's home shows every column of a row stacked under its name (the
NHS.UK design system's responsive table), with nothing scrolled out of sight and axe
content; the matrix keeps each support worker's name in view while its competencies scroll
past. A shift lead finds cannulation by typing part of its name; an educator keeps only
trainees or only apprentices in the matrix and reads its summary by domain.

What the demo holds (portfolio/demo.py): Sophie Turner is a trainee assistant practitioner
studying the assistant practitioner apprenticeship; Jordan Lee waits for an apprenticeship
place (not yet an apprentice); Aisha Khan has finished hers.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.browser.pages import (
    ADMIN,
    NARROW,
    Check,
    SignIn,
    columns_in_view,
    header_menu,
    heading,
    on_screen,
    table,
)

EDUCATOR = "educator@northfield.example"
SHIFT_LEAD = "radiographer@northfield.example"
WORKER = "csw@northfield.example"
CANNULATION = "Peripheral intravenous cannulation (CANN)"


def on_a_phone(page: Page) -> None:
    page.set_viewport_size(NARROW)


def test_a_shift_lead_reads_who_may_cannulate_on_a_phone(
    page: Page, sign_in: SignIn, narrow: Check
) -> None:
    sign_in(page, SHIFT_LEAD)
    page.goto("/shift")
    page.get_by_label("Department").select_option(label="General radiography")
    page.get_by_label("Task", exact=True).select_option(label=CANNULATION)
    page.get_by_role("button", name="Show who may").click()
    on_a_phone(page)
    region = table(page, "Who may do Peripheral intravenous cannulation")
    columns_in_view(region, "May they?", "Supervision and conditions", "Valid until", "Why")
    expect(region.get_by_role("row", name=re.compile("Chris Taylor"))).to_contain_text(
        "Direct supervision; Adults only"
    )
    narrow(page, "who may cannulate, on a phone")


def test_a_support_worker_reads_their_competencies_on_a_phone(
    page: Page, sign_in: SignIn, narrow: Check
) -> None:
    sign_in(page, WORKER)
    header_menu(page, "Your competencies").click()
    expect(heading(page, "Your competencies")).to_be_visible()
    on_a_phone(page)
    columns_in_view(table(page, "Competencies"), "Status", "Valid until", "In scope as")
    narrow(page, "your competencies, on a phone")


def test_an_administrator_reads_the_people_list_on_a_phone(
    page: Page, sign_in: SignIn, narrow: Check
) -> None:
    sign_in(page, ADMIN)
    page.goto("/people")
    on_a_phone(page)
    region = page.get_by_role("region", name=re.compile(r"^People \(\d+\)$"))
    columns_in_view(region, "Account roles", "Job role", "Department", "Status")
    narrow(page, "people list, on a phone")


def test_the_educators_and_the_supervisors_home_on_a_phone(
    page: Page, sign_in: SignIn, narrow: Check, browser_context_args: dict[str, str]
) -> None:
    sign_in(page, EDUCATOR)
    on_a_phone(page)
    region = page.get_by_role("region", name=re.compile(r"^Support workers within your reach"))
    columns_in_view(region, "Job role", "Band", "Department", "In post since")
    narrow(page, "educator's home, on a phone")

    other = page.context.browser.new_context(**browser_context_args)  # type: ignore[union-attr]
    try:
        supervisor = other.new_page()
        sign_in(supervisor, SHIFT_LEAD)
        on_a_phone(supervisor)
        columns_in_view(
            # The table's scrolling region (its section is named the same).
            supervisor.locator(".app-table-scroll[aria-label='Support workers you supervise']"),
            "Job role",
            "Competent and current",
            "Due",
            "Expired",
        )
        narrow(supervisor, "supervisor's home, on a phone")
    finally:
        other.close()


def matrix(page: Page) -> Locator:
    return page.get_by_role("region", name=re.compile("^Competencies by support worker"))


def test_the_matrix_keeps_each_name_in_view_while_its_competencies_scroll(
    page: Page, sign_in: SignIn, axe: Check, narrow: Check
) -> None:
    sign_in(page, EDUCATOR)
    page.goto("/oversight/matrix")
    on_a_phone(page)
    region = matrix(page)
    name = region.locator("tbody th").first
    competent = region.locator("tbody tr").first.locator("td").first
    # Before scrolling: the name and how many items are competent, both on the screen.
    on_screen(name, "the first support worker's name")
    on_screen(competent, "their competent items")
    assert region.evaluate("element => element.scrollWidth > element.clientWidth")
    region.evaluate("element => { element.scrollLeft = element.scrollWidth }")
    on_screen(name, "the name, once the competencies have scrolled")
    expect(name.get_by_role("link")).to_be_visible()
    narrow(page, "matrix, on a phone")

    summary = page.get_by_role("region", name=re.compile("^Competencies in scope by domain"))
    columns_in_view(summary, "Competent", "Due for reassessment", "Expired", "Not started")
    expect(summary.get_by_role("rowheader", name="Resuscitation")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 800})
    axe(page, "matrix with its summary, wide")


def test_an_educator_keeps_only_trainees_or_only_apprentices(
    page: Page, sign_in: SignIn, axe: Check
) -> None:
    sign_in(page, EDUCATOR)
    page.goto("/oversight/matrix")
    learners = page.get_by_label("Trainees and apprentices")
    for choice in (
        "Trainees (in training towards their job role)",
        "Apprentices (studying an apprenticeship)",
    ):
        learners.select_option(label=choice)
        page.get_by_role("button", name="Apply filters").click()
        expect(page.get_by_label("Trainees and apprentices")).to_have_value(
            re.compile("^(trainees|apprentices)$")
        )
        names = [
            text.split("\n")[0].strip()
            for text in matrix(page).locator("tbody th").all_inner_texts()
        ]
        assert "Sophie Turner" in names, choice
        assert "Jordan Lee" not in names, choice  # on a waiting list, not in training
        assert "Aisha Khan" not in names, choice  # her apprenticeship is finished
    axe(page, "matrix of apprentices")


def test_a_shift_lead_finds_a_task_by_typing_part_of_its_name(
    page: Page, sign_in: SignIn, axe: Check, narrow: Check
) -> None:
    sign_in(page, SHIFT_LEAD)
    page.goto("/shift")
    task = page.get_by_label("Task", exact=True)
    groups = task.locator("optgroup")
    labels = [groups.nth(index).get_attribute("label") for index in range(groups.count())]
    assert labels[-1] == "Care Certificate standards"  # apart, after every clinical task
    clinical = labels[:-1]
    assert clinical == sorted(clinical, key=str.casefold)
    assert "Clinical procedures" in clinical

    find = page.get_by_label("Find a task")
    find.fill("cannul")
    expect(task).to_have_value("CANN")
    expect(page.get_by_text(f"1 task matches: {CANNULATION} is chosen")).to_be_visible()
    expect(task.locator("option:not([hidden])")).to_have_count(2)  # and "Choose a task"
    axe(page, "task picker, narrowed")
    narrow(page, "task picker, narrowed")
    find.fill("")
    expect(task.locator("option[hidden]")).to_have_count(0)

    page.get_by_label("Department").select_option(label="General radiography")
    find.fill("intravenous")
    page.get_by_role("button", name="Show who may").click()
    expect(heading(page, f"{CANNULATION} in General radiography, today", 2)).to_be_visible()
    assert "intravenous" not in page.url  # the find box is never sent

"""Competency frameworks, scopes of practice, posts, local policies, qualifications, IR(ME)R
entitlements and plans, in a real browser: each step asserts what the person would notice, every
page and error state visited is checked with axe, and the pages with wide tables at 360 px.

Changes that other tests could notice (a new policy version, a post) are made so that what the
demo trust shows today stays true; anything done to a person is done to someone new."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable

from playwright.sync_api import BrowserContext, Locator, Page, expect

from portfolio.core.clock import today
from tests.browser.pages import (
    ADMIN,
    Check,
    MakePerson,
    SignIn,
    expect_errors,
    header_menu,
    heading,
    open_profile,
    row,
    summary_row,
    table,
    visit,
)

EDUCATOR = "educator@northfield.example"
SUPERVISOR, SUPERVISOR_EMAIL = "Sam Okafor", "radiographer@northfield.example"
SUPPORT_WORKER = "csw@northfield.example"
SOR = "Society of Radiographers (SWAP hub)"


def long_date(value: dt.date) -> str:
    """A date as the pages show it: 1 January 2026."""
    return f"{value.day} {value:%B %Y}"


def progress(page: Page) -> tuple[int, int]:
    """On a worker's profile: how many competencies their progress counts, and how many more
    are optional."""
    text = " ".join(page.locator("p").filter(has_text="Their progress counts").inner_text().split())
    match = re.search(r"counts (\d+) competencies; (\d+) more are optional", text)
    assert match is not None, text
    return int(match[1]), int(match[2])


def cells(locator: Locator) -> Locator:
    return locator.get_by_role("cell")


def expect_scope(page: Page, label: str) -> tuple[Locator, Locator | None]:
    """A job role's scope page: its heading, and counts that agree with its tables. Returns the
    core and optional tables (None when the scope has no optional items)."""
    expect(heading(page, label)).to_be_visible()
    expect(page.get_by_text("Scope of practice", exact=True)).to_be_visible()
    counts = page.get_by_text(re.compile(r"^\d+ core and \d+ optional competencies"))
    expect(counts).to_be_visible()
    match = re.match(r"(\d+) core and (\d+) optional", counts.inner_text())
    assert match is not None
    core_count, optional_count = int(match[1]), int(match[2])
    assert core_count > 0
    core = table(page, f"Core competencies ({core_count})")
    expect(core.get_by_role("row")).to_have_count(core_count + 1)  # and the header row
    if optional_count == 0:
        expect(page.get_by_role("region", name=re.compile("^Optional competencies"))).to_have_count(
            0
        )
        return core, None
    optional = table(page, f"Optional competencies ({optional_count})")
    expect(optional.get_by_role("row")).to_have_count(optional_count + 1)
    return core, optional


def test_educator_browses_each_job_roles_scope_and_its_sources(
    page: Page, sign_in: SignIn, axe: Check, narrow: Check
) -> None:
    sign_in(page, EDUCATOR)
    header_menu(page, "Frameworks").click()
    expect(heading(page, "Competency frameworks")).to_be_visible()
    frameworks = table(page, "Frameworks loaded")
    expect(frameworks.get_by_role("link", name="Care Certificate (2025 standards)")).to_be_visible()
    expect(
        frameworks.get_by_role("link", name=re.compile("^Imaging support workforce competencies"))
    ).to_be_visible()
    qualifications = table(page, "Qualifications")
    expect(
        cells(row(qualifications, "Mammography associate apprenticeship (level 4)"))
    ).to_have_text(
        [
            "Mammography associate apprenticeship (level 4)",
            "RQF 4",
            "EQF 5 = CQFW 4 = SCQF 7-8 = FHEQ 4",
            "ST0583",
        ]
    )
    axe(page, "frameworks index")
    narrow(page, "frameworks index")

    # Clinical support worker: the common core plus CSW duties; cannulation is not theirs.
    page.get_by_role("link", name="Clinical support worker", exact=True).click()
    core, optional = expect_scope(page, "Clinical support worker")
    expect(page.get_by_text("Builds on: Common core (every job role)")).to_be_visible()
    expect(cells(row(core, "CORE-ID")).nth(3)).to_have_text("COMMON-CORE")
    expect(cells(row(core, "CSW-ENV")).nth(3)).to_have_text("CSW")
    source = page.get_by_role("link", name="Clinical support workers: responsibilities").first
    expect(source).to_be_visible()
    expect(source).to_have_attribute("href", re.compile(r"^https://www\.sor\.org/"))
    expect(page.locator("main").get_by_text(SOR).first).to_be_visible()
    assert optional is not None
    expect(page.get_by_role("cell", name="CANN", exact=True)).to_have_count(0)
    axe(page, "clinical support worker scope")
    narrow(page, "clinical support worker scope")
    page.get_by_role("link", name="All frameworks").click()

    # Senior CSW: builds on the CSW's; cannulation is optional, never core; the demo's posts.
    page.get_by_role("link", name="Senior clinical support worker", exact=True).click()
    core, optional = expect_scope(page, "Senior clinical support worker")
    expect(
        page.get_by_text("Builds on: Clinical support worker (level 2), then Common core")
    ).to_be_visible()
    expect(cells(row(core, "CSW-ENV")).nth(3)).to_have_text("CSW")
    expect(cells(row(core, "SCSW-RIS")).nth(3)).to_have_text("SCSW")
    assert optional is not None
    expect(row(optional, "CANN")).to_have_count(1)
    expect(row(core, "CANN")).to_have_count(0)
    expect(page.get_by_text("MRI senior CSW (MRI): also core MR-COILS, MR-SCREEN")).to_be_visible()
    expect(heading(page, "Entry and training", level=2)).to_be_visible()
    expect(
        page.get_by_text("The Senior Healthcare Support Worker apprenticeship (ST0217).")
    ).to_be_visible()
    axe(page, "senior clinical support worker scope")
    narrow(page, "senior clinical support worker scope")
    page.get_by_role("link", name="All frameworks").click()

    # Mammography associate: the common core and MA duties, none of the CSW's.
    page.get_by_role("link", name="Mammography associate", exact=True).click()
    core, optional = expect_scope(page, "Mammography associate")
    assert optional is None
    expect(page.get_by_text("None.", exact=True)).to_be_visible()
    expect(page.get_by_text("Builds on: Common core (every job role).")).to_be_visible()
    expect(cells(row(core, "CORE-ID")).nth(3)).to_have_text("COMMON-CORE")
    expect(cells(row(core, "MAMMO-2V")).nth(3)).to_have_text("MA")
    expect(core.get_by_role("cell", name=re.compile(r"^(CSW|SCSW)-"))).to_have_count(0)
    expect(core.get_by_role("cell", name="CSW", exact=True)).to_have_count(0)
    axe(page, "mammography associate scope")
    narrow(page, "mammography associate scope")
    page.get_by_role("link", name="All frameworks").click()

    # Assistant practitioner: contains the senior CSW's scope, core and optional.
    page.get_by_role("link", name="Assistant practitioner", exact=True).click()
    core, optional = expect_scope(page, "Assistant practitioner")
    expect(
        page.get_by_text("Builds on: Senior clinical support worker (level 3), then")
    ).to_be_visible()
    for code, origin in (
        ("CORE-ID", "COMMON-CORE"),
        ("CSW-ENV", "CSW"),
        ("SCSW-RIS", "SCSW"),
        ("AP-PROTOCOL", "AP"),
    ):
        expect(cells(row(core, code)).nth(3)).to_have_text(origin)
    assert optional is not None
    expect(cells(row(optional, "CANN")).nth(3)).to_have_text("SCSW")
    expect(cells(row(optional, "PAED")).nth(3)).to_have_text("AP")
    axe(page, "assistant practitioner scope")
    narrow(page, "assistant practitioner scope")


def test_educator_reads_competencies_their_sources_defaults_and_the_rule_in_force(
    page: Page, sign_in: SignIn, axe: Check, narrow: Check
) -> None:
    sign_in(page, EDUCATOR)
    header_menu(page, "Frameworks").click()
    page.get_by_role("link", name=re.compile("^Imaging support workforce competencies")).click()
    expect(
        heading(page, "Imaging support workforce competencies and scopes of practice")
    ).to_be_visible()
    procedures_table = table(page, "Clinical procedures")
    expect(cells(row(procedures_table, "CANN")).nth(3)).to_have_text("Yes")  # it expires
    expect(page.get_by_role("heading", level=2, name="Sources")).to_be_visible()
    axe(page, "imaging support framework")
    narrow(page, "imaging support framework")

    # Cannulation: its source, defaults marked to confirm, and the trust's rule today.
    procedures_table.get_by_role("link", name="Peripheral intravenous cannulation").click()
    expect(heading(page, "Peripheral intravenous cannulation")).to_be_visible()
    expect(page.get_by_text("CANN · Clinical procedures")).to_be_visible()
    procedures = summary_row(page, "Supervised procedures")
    expect(procedures).to_contain_text("Default: confirm locally")
    expect(procedures).to_contain_text("No national minimum")
    expect(summary_row(page, "Source")).to_contain_text(f"{SOR}, 2026-11")
    expect(summary_row(page, "Source")).to_contain_text("Confirmed in source")
    expect(summary_row(page, "Must be current first")).to_contain_text("ANTT, CORE-BLS")
    assessors = summary_row(page, "Who may assess")
    expect(assessors).to_contain_text("A registrant of the HCPC or NMC or GMC")
    expect(assessors).to_contain_text("list of approved cannulation assessors")
    expect(summary_row(page, "Conditions a sign-off may carry")).to_contain_text("Adults only")
    expect(heading(page, "Your organisation's rule today", level=2)).to_be_visible()
    rule = page.locator("h2 + p").filter(has_text="supervised procedures")
    expect(rule).to_contain_text("Cannulation policy v4:")
    expect(rule).to_contain_text("10 supervised procedures, reassessed every 24 months")
    expect(page.get_by_role("link", name="Local policy and its history")).to_have_count(0)
    axe(page, "cannulation competency")

    # The Care Certificate: assessed by any competent colleague.
    page.get_by_role("link", name="Back to the framework").click()
    expect(procedures_table).to_be_visible()
    header_menu(page, "Frameworks").click()
    page.get_by_role("link", name="Care Certificate (2025 standards)").click()
    expect(heading(page, "Care Certificate (2025 standards)")).to_be_visible()
    expect(page.get_by_text("Applies in: England.")).to_be_visible()
    standards = table(page, "Care Certificate")
    expect(standards.get_by_role("row")).to_have_count(17)  # a header and 16 standards
    axe(page, "Care Certificate framework")
    narrow(page, "Care Certificate framework")
    standards.get_by_role("link", name="Basic life support").click()
    expect(heading(page, "Basic life support")).to_be_visible()
    expect(page.get_by_text("Any colleague competent in it, registered or not.")).to_be_visible()
    axe(page, "Care Certificate standard 12")

    # Two-view mammography: only a radiographer holding the postgraduate award assesses it.
    assert visit(page, "/frameworks/competencies/MAMMO-2V") == 200
    expect(heading(page, "Two-view mammography (CC and MLO)")).to_be_visible()
    expect(summary_row(page, "Who may assess")).to_contain_text(
        "A registrant of the HCPC (radiographer) holding postgraduate mammography"
    )
    axe(page, "two-view mammography competency")

    assert visit(page, "/organisation/policies") == 403  # an educator is not an administrator


def test_admin_records_a_future_cannulation_policy_and_the_history_keeps_every_version(
    page: Page, sign_in: SignIn, axe: Check, narrow: Check
) -> None:
    sign_in(page, ADMIN)
    header_menu(page, "Organisation").click()
    page.get_by_role("link", name="Local policies").click()
    expect(heading(page, "Local policies")).to_be_visible()
    policies = table(page, "Competencies and their local policy")
    cannulation = row(policies, "CANN: Peripheral intravenous cannulation")
    expect(cannulation).to_contain_text("Cannulation policy v4")
    expect(cannulation).to_contain_text("1 January 2026")
    axe(page, "local policies")
    narrow(page, "local policies")

    cannulation.get_by_role("link").click()
    expect(heading(page, "Peripheral intravenous cannulation")).to_be_visible()
    in_force = page.locator("p", has=page.get_by_text("In force today:"))
    expect(in_force).to_contain_text("Cannulation policy v4")
    history = table(page, "Policy history")
    expect(history.get_by_role("row")).to_have_count(3)  # a header, v4 and v3
    expect(history.get_by_role("row").nth(1)).to_contain_text("Cannulation policy v4")
    expect(history.get_by_role("row").nth(1)).to_contain_text("1 January 2026")
    expect(history.get_by_role("row").nth(2)).to_contain_text("Cannulation policy v3")
    expect(history.get_by_role("row").nth(2)).to_contain_text("1 April 2024")
    axe(page, "cannulation local policy")
    narrow(page, "cannulation local policy")

    title = page.get_by_label("Policy name and version")
    effective = page.get_by_label("Takes effect from")
    procedures = page.get_by_label("Supervised procedures needed (optional)")
    record = page.get_by_role("button", name="Record new version")

    effective.fill("")
    record.click()
    expect_errors(
        page,
        "Local policy:",
        "Enter the policy's name",
        "Enter the date the policy takes effect",
    )
    axe(page, "new policy version, empty")

    title.fill("Cannulation policy v5")
    effective.fill("2025-12-31")  # before v4's date
    procedures.fill("8")
    record.click()
    expect_errors(
        page,
        "Local policy:",
        re.compile(r"^The date must be on or after version \d+'s \(1 January 2026\)"),
    )
    expect(title).to_have_value("Cannulation policy v5")
    expect(history.get_by_role("row")).to_have_count(3)  # nothing recorded
    axe(page, "new policy version dated before the latest")

    takes_effect = today() + dt.timedelta(days=45)
    effective.fill(takes_effect.isoformat())
    record.click()
    expect(page.get_by_text("The new policy version has been recorded.")).to_be_visible()
    expect(history.get_by_role("row")).to_have_count(4)
    newest = history.get_by_role("row").nth(1)
    expect(cells(newest).nth(1)).to_contain_text("Cannulation policy v5")
    expect(cells(newest).nth(2)).to_have_text(long_date(takes_effect))
    expect(cells(newest).nth(3)).to_have_text("8")
    expect(cells(newest).nth(6)).to_contain_text("by Alex Morgan")
    expect(in_force).to_contain_text("Cannulation policy v4")  # v5 is not in force yet
    axe(page, "cannulation local policy with a future version")

    page.get_by_role("link", name="Local policies").click()
    expect(cannulation).to_contain_text("Cannulation policy v5")
    expect(cannulation).to_contain_text(f"{long_date(takes_effect)} (future)")


def test_admin_adds_a_post_for_a_senior_clinical_support_worker(
    page: Page, sign_in: SignIn, axe: Check, narrow: Check
) -> None:
    name = f"CT senior CSW {uuid.uuid4().hex[:6]}"
    sign_in(page, ADMIN)
    header_menu(page, "Organisation").click()
    page.get_by_role("link", name="Posts", exact=True).click()
    expect(heading(page, "Posts")).to_be_visible()
    posts = table(page, "Posts")
    expect(cells(row(posts, "MRI senior CSW"))).to_have_text(
        ["MRI senior CSW", "MRI", "Senior clinical support worker", "MR-COILS, MR-SCREEN"]
    )
    axe(page, "posts")
    narrow(page, "posts")

    page.get_by_role("radio", name="Senior clinical support worker").check()
    page.get_by_role("button", name="Continue").click()
    expect(heading(page, "Add a post")).to_be_visible()
    expect(page.get_by_text("Senior clinical support worker", exact=True)).to_be_visible()
    optional = page.get_by_role("group", name="Optional competencies that are core in this post")
    expect(optional.get_by_role("checkbox")).to_have_count(7)
    expect(optional.get_by_role("checkbox", name=re.compile("^CANN:"))).to_be_visible()
    axe(page, "add a senior CSW post")

    save = page.get_by_role("button", name="Save post")
    save.click()
    expect_errors(page, "Add a post", "Enter the post's name", "Choose a department")
    axe(page, "add a post, empty")

    page.get_by_label("Post name").fill("mri senior csw")  # the MRI department has this post
    page.get_by_label("Department").select_option(label="MRI")
    save.click()
    expect_errors(page, "Add a post", "This department already has a post with this name")
    axe(page, "add a post that already exists")

    page.get_by_label("Post name").fill(name)
    page.get_by_label("Department").select_option(label="General radiography")
    optional.get_by_role("checkbox", name="ANTT: Aseptic non-touch technique (ANTT)").check()
    save.click()
    expect(heading(page, "Posts")).to_be_visible()
    expect(page.get_by_text("The post has been saved.")).to_be_visible()
    expect(cells(row(posts, name))).to_have_text(
        [name, "General radiography", "Senior clinical support worker", "ANTT"]
    )

    header_menu(page, "Frameworks").click()
    page.get_by_role("link", name="Senior clinical support worker", exact=True).click()
    expect(page.get_by_text(f"{name} (General radiography): also core ANTT")).to_be_visible()


def test_admin_records_a_qualification_and_grants_then_withdraws_an_entitlement(
    page: Page, make_person: MakePerson, sign_in: SignIn, axe: Check, narrow: Check
) -> None:
    sign_in(page, ADMIN)

    # The demo assistant practitioner, as the records show them (looked at, not changed).
    open_profile(page, "ap@northfield.example", "Chris Taylor")
    scope = page.get_by_role("region", name="Competencies their progress counts")
    expect(page.locator("p").filter(has_text="Their progress counts")).to_contain_text(
        "Assistant practitioner, post: Assistant practitioner, general radiography."
    )
    expect(cells(row(scope, "CANN: Peripheral intravenous cannulation")).nth(2)).to_have_text(
        "Core in this post"
    )
    expect(
        cells(
            row(scope, "SCSW-RIS: Patient registration, initial ID checks and examination data")
        ).nth(2)
    ).to_have_text("Core")
    expect(page.get_by_role("listitem").filter(has_text="Foundation degree")).to_contain_text(
        "(FHEQ level 5): achieved 1 July 2025"
    )
    expect(
        page.get_by_role("listitem").filter(has_text="Chest and appendicular skeleton radiography")
    ).to_contain_text("granted 15 September 2025 by Alex Morgan")
    axe(page, "assistant practitioner's profile")
    narrow(page, "assistant practitioner's profile")

    name = "Casey Whitfield"
    email, _ = make_person(name)
    open_profile(page, email, name)
    expect(heading(page, "Qualifications", level=2)).to_be_visible()
    expect(heading(page, "IR(ME)R operator entitlements", level=2)).to_be_visible()

    page.get_by_role("link", name="Record a qualification").click()
    expect(heading(page, f"Record a qualification for {name}")).to_be_visible()
    axe(page, "record a qualification")
    record = page.get_by_role("button", name="Record qualification")
    record.click()
    expect_errors(
        page, "Record a qualification", "Choose a qualification, or Other", "Select the status"
    )
    axe(page, "record a qualification, empty")

    page.get_by_label("Qualification", exact=True).select_option(
        label="Level 3 Diploma in Healthcare Support (RQF 3)"
    )
    page.get_by_role("radio", name="Achieved").check()
    record.click()
    expect_errors(page, "Record a qualification", "Enter the date it was achieved")
    axe(page, "record a qualification achieved without a date")

    page.get_by_label("Date achieved (if achieved)").fill("2024-07-01")
    record.click()
    expect(heading(page, name)).to_be_visible()
    expect(page.get_by_text("The qualification has been recorded.")).to_be_visible()
    expect(
        page.get_by_text(
            "Level 3 Diploma in Healthcare Support (RQF level 3): achieved 1 July 2024"
        )
    ).to_be_visible()

    page.get_by_role("link", name="Record an entitlement").click()
    expect(heading(page, f"Record an IR(ME)R operator entitlement for {name}")).to_be_visible()
    expect(page.get_by_text("Being competent is not being entitled.")).to_be_visible()
    granted = page.get_by_label("Date granted")
    expect(granted).to_have_value(today().isoformat())
    axe(page, "record an entitlement")
    entitlement = "Chest radiography of co-operative adults, to protocol"
    page.get_by_label("What they are entitled to do as an IR(ME)R operator").fill(entitlement)
    granted.fill((today() + dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Record entitlement").click()
    expect_errors(
        page, "Record an IR(ME)R operator entitlement", "The date granted must be today or before"
    )
    axe(page, "record an entitlement granted tomorrow")

    granted_on = today() - dt.timedelta(days=10)
    granted.fill(granted_on.isoformat())
    page.get_by_role("button", name="Record entitlement").click()
    expect(page.get_by_text("The IR(ME)R operator entitlement has been recorded.")).to_be_visible()
    item = page.get_by_role("listitem").filter(has_text=entitlement)
    expect(item).to_contain_text(f"granted {long_date(granted_on)} by Alex Morgan")

    item.get_by_role("link", name="Withdraw this entitlement").click()
    expect(heading(page, f"Withdraw {name}'s IR(ME)R entitlement")).to_be_visible()
    expect(
        page.get_by_text(f"{entitlement}, granted {long_date(granted_on)}. The record is kept.")
    ).to_be_visible()
    axe(page, "withdraw an entitlement")
    withdrawn = page.get_by_label("Date withdrawn")
    withdrawn.fill((granted_on - dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Withdraw entitlement").click()
    expect_errors(page, "Withdraw", "It cannot end before it was granted")
    axe(page, "withdraw an entitlement before it was granted")

    withdrawn.fill(today().isoformat())
    page.get_by_role("button", name="Withdraw entitlement").click()
    expect(heading(page, name)).to_be_visible()
    expect(
        page.get_by_text("The entitlement has been withdrawn. Its record is kept.")
    ).to_be_visible()
    expect(item).to_contain_text(
        f"granted {long_date(granted_on)} by Alex Morgan, withdrawn {long_date(today())}"
    )
    expect(item.get_by_role("link", name="Withdraw this entitlement")).to_have_count(0)
    axe(page, "profile with a withdrawn entitlement")


def test_supervisor_adds_an_optional_competency_to_a_supervisees_plan(
    page: Page,
    new_context: Callable[..., BrowserContext],
    make_person: MakePerson,
    sign_in: SignIn,
    axe: Check,
    narrow: Check,
) -> None:
    name = "Rowan Ashby"
    email, _ = make_person(name)
    sign_in(page, ADMIN)  # an administrator appoints them and assigns Sam Okafor first
    open_profile(page, email, name)
    page.get_by_role("link", name="Record a change of job role, band or department").click()
    page.get_by_label("Job role", exact=True).select_option(label="Senior clinical support worker")
    page.get_by_label("Agenda for Change band").select_option(label="Band 3")
    page.get_by_label("Department").select_option(label="General radiography")
    started = (today() - dt.timedelta(days=30)).isoformat()
    page.get_by_label("Date started in this post").fill(started)
    page.get_by_label("Date this takes effect").fill(started)
    page.get_by_role("button", name="Record job role").click()
    expect(page.get_by_text(f"{name}'s job role has been recorded.")).to_be_visible()
    page.get_by_role("link", name="Assign a supervisor").click()
    page.get_by_label("Supervisor", exact=True).select_option(label=SUPERVISOR)
    page.get_by_role("button", name="Assign supervisor").click()
    expect(page.get_by_text(f"{SUPERVISOR} now supervises {name}.")).to_be_visible()

    sam = new_context().new_page()
    sign_in(sam, SUPERVISOR_EMAIL)
    supervisees = sam.get_by_role("region", name="Support workers you supervise", exact=True)
    supervisees.get_by_role("link", name=name, exact=True).click()
    expect(heading(sam, name)).to_be_visible()
    expect(sam.locator("p").filter(has_text="Their progress counts")).to_contain_text(
        "Senior clinical support worker."
    )
    counted_before, optional_before = progress(sam)
    counted = sam.get_by_role("region", name="Competencies their progress counts")
    cannulation = row(counted, "CANN: Peripheral intravenous cannulation")
    expect(cannulation).to_have_count(0)

    sam.get_by_role("link", name="Add an optional competency to their plan").click()
    expect(heading(sam, f"Add to {name}'s plan")).to_be_visible()
    axe(sam, "add to a plan")
    sam.get_by_role("button", name="Add to plan").click()
    expect_errors(sam, "Add to", "Choose a competency")
    axe(sam, "add to a plan, nothing chosen")

    sam.get_by_label("Optional competency to add to their plan").select_option(
        label="CANN: Peripheral intravenous cannulation"
    )
    sam.get_by_role("button", name="Add to plan").click()
    expect(heading(sam, name)).to_be_visible()
    expect(sam.get_by_text("The competency has been added to their plan.")).to_be_visible()
    expect(cells(cannulation).nth(2)).to_have_text("In their plan")
    assert progress(sam) == (counted_before + 1, optional_before - 1)
    expect(counted.get_by_role("row")).to_have_count(counted_before + 2)  # and the header row
    axe(sam, "supervisee's profile with a planned competency")
    narrow(sam, "supervisee's profile with a planned competency")


def test_support_worker_browses_frameworks_but_not_local_policies(
    page: Page, sign_in: SignIn, axe: Check
) -> None:
    sign_in(page, SUPPORT_WORKER)
    expect(header_menu(page, "Organisation")).to_have_count(0)
    header_menu(page, "Frameworks").click()
    expect(heading(page, "Competency frameworks")).to_be_visible()
    page.get_by_role("link", name="Clinical support worker", exact=True).click()
    core, _ = expect_scope(page, "Clinical support worker")
    core.get_by_role("link", name="Positive patient identification").click()
    expect(heading(page, "Positive patient identification")).to_be_visible()
    expect(page.get_by_role("link", name="Local policy and its history")).to_have_count(0)
    axe(page, "a competency, for a support worker")

    for path in ("/organisation/policies", "/organisation/policies/CANN", "/organisation/posts"):
        assert visit(page, path) == 403, path
        expect(heading(page, "You do not have permission to do this")).to_be_visible()
    axe(page, "403 for a support worker at an administrator's page")

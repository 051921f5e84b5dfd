"""Sign-off in a real browser, tried as a new user would with the demo trust: Morgan Davies
(senior CSW) logs the last cannulation evidence on a phone, Grace Mensah confirms the
insertions and Sam Okafor signs cannulation off on Morgan's phone, with the keyboard alone;
Priya Patel countersigns from her to-do list; the status today and last month. Then Sam is
refused two-view mammography on Aisha Khan's device, and Jordan Lee's expired basic life
support shows on a cannulation request.

Every sign-off page visited is checked with axe, and at 360 px wide for horizontal scrolling.
The journey changes Morgan's record, so it runs once per live server (each xdist worker has its
own); the other tests here change nothing."""

from __future__ import annotations

import datetime as dt
import io
import re
import uuid
from collections.abc import Callable

from flask import Flask
from playwright.sync_api import BrowserContext, FilePayload, Locator, Page, expect

from portfolio import demo
from portfolio.core.clock import today
from portfolio.signoff.rules import add_months, expiry
from portfolio.standing.status import long_date
from tests.browser.pages import (
    NARROW,
    Check,
    SignIn,
    expect_errors,
    heading,
    row,
    summary_row,
    tab_to,
    table,
)

NewContext = Callable[..., BrowserContext]

MORGAN, MORGAN_EMAIL = "Morgan Davies", "scsw@northfield.example"
GRACE, GRACE_EMAIL = "Grace Mensah", "nurse@northfield.example"
SAM, SAM_EMAIL = "Sam Okafor", "radiographer@northfield.example"
PRIYA_EMAIL = "educator@northfield.example"
AISHA_EMAIL, HELEN_EMAIL = "ma@northfield.example", "mammographer@northfield.example"
JORDAN_EMAIL = "csw@northfield.example"
CANNULATION = "CANN: Peripheral intravenous cannulation"
MAMMOGRAPHY = "MAMMO-2V: Two-view mammography (CC and MLO)"
BASIC_LIFE_SUPPORT = "CORE-BLS: Basic life support"
POINT_OF_CARE = "Sign off at the point of care"
DECLARATION = re.compile(r"^I have read the trust's policy for this competency")


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (48, 32), (0, 94, 184)).save(buffer, format="PNG")
    return buffer.getvalue()


def certificate_png() -> FilePayload:
    return {"name": "cannulation-certificate.png", "mimeType": "image/png", "buffer": _png()}


def account(page: Page) -> Locator:
    """The header's account area: who is signed in on this device."""
    return page.get_by_role("navigation", name="Account")


def status_heading(page: Page, on: dt.date, status: str) -> Locator:
    return page.get_by_role("heading", level=2, name=f"Status on {long_date(on)}: {status}")


def open_competency(page: Page, name: str, status: str) -> None:
    """From home, through the list of competencies, to one competency's page."""
    page.get_by_role("link", name="Your competencies and their status").click()
    expect(heading(page, "Your competencies")).to_be_visible()
    listed = row(table(page, "Competencies"), name)
    expect(listed).to_contain_text(status)
    listed.get_by_role("link", name=name).click()
    expect(heading(page, name)).to_be_visible()


def log_procedure(page: Page, setting: str) -> None:
    page.get_by_role("button", name="Log a supervised procedure").click()  # a styled link
    expect(heading(page, "Log a supervised procedure")).to_be_visible()
    page.get_by_label("Competency").select_option(label=CANNULATION)
    expect(page.get_by_label("Date", exact=True)).to_have_value(today().isoformat())
    page.get_by_label("Setting").fill(setting)
    page.get_by_role("radio", name="Successful", exact=True).check()
    page.get_by_label("Who watched").select_option(label=GRACE)
    page.get_by_role("button", name="Log procedure").click()
    expect(page.get_by_text("The procedure has been logged.")).to_be_visible()


def test_cannulation_is_signed_off_on_the_workers_phone_and_countersigned(
    new_context: NewContext, sign_in: SignIn, axe: Check, narrow: Check
) -> None:
    suffix = uuid.uuid4().hex[:6]
    settings = [f"MRI contrast list {suffix} {number}" for number in (1, 2, 3)]
    evidence_title = f"Cannulation competency certificate {suffix}"
    required = demo.MORGAN_CONFIRMED_PROCEDURES + 3
    phone = new_context(viewport=NARROW).new_page()
    keys = phone.keyboard

    # 1. Morgan, on a phone: the cannulation certificate, attached, and three insertions.
    sign_in(phone, MORGAN_EMAIL)
    expect(heading(phone, f"Hello, {MORGAN}")).to_be_visible()
    open_competency(phone, CANNULATION, "In progress")
    expect(status_heading(phone, today(), "In progress")).to_be_visible()
    expect(
        phone.get_by_text(
            f"{demo.MORGAN_CONFIRMED_PROCEDURES} of {required} successful supervised procedures"
        )
    ).to_be_visible()
    expect(phone.get_by_text(re.compile(r"\(Cannulation policy v4\) is in force"))).to_be_visible()
    narrow(phone, "Morgan's cannulation page, in progress")

    phone.get_by_role("link", name="All competencies").click()  # the back link
    expect(heading(phone, "Your competencies")).to_be_visible()
    narrow(phone, "Morgan's competencies")

    phone.goto("/home")
    phone.get_by_role("link", name="Your evidence and supervised procedures").click()
    expect(heading(phone, "Your evidence")).to_be_visible()
    phone.get_by_role("button", name="Log evidence").click()  # a link styled as a button
    expect(heading(phone, "Log evidence")).to_be_visible()
    phone.get_by_role("radio", name="Certificate").check()
    phone.get_by_label("Title").fill(evidence_title)
    phone.get_by_label("What happened, and what you learned").fill(
        "Completed the trust's cannulation course: theory, simulation and assessment."
    )
    phone.get_by_role("checkbox", name=CANNULATION).check()
    phone.set_input_files("#file", files=[certificate_png()])
    phone.get_by_role("button", name="Save evidence").click()
    expect(heading(phone, evidence_title)).to_be_visible()
    expect(phone.get_by_role("link", name="cannulation-certificate.png")).to_be_visible()

    phone.get_by_role("link", name="Evidence", exact=True).click()  # the back link
    for setting in settings:
        log_procedure(phone, setting)
    expect(
        phone.get_by_text(
            f"{demo.MORGAN_CONFIRMED_PROCEDURES} confirmed by their witness; 3 waiting"
        )
    ).to_be_visible()

    # 2. Grace confirms the three on Morgan's phone, with her own email and password.
    phone.get_by_role("button", name="Confirm procedures with your witness").click()
    expect(heading(phone, "Confirm supervised procedures")).to_be_visible()
    for setting in settings:
        phone.get_by_role("checkbox", name=re.compile(re.escape(setting))).check()
    phone.get_by_label("Your email address").fill(GRACE_EMAIL)
    phone.get_by_label("Your password", exact=True).fill(demo.PASSWORD)
    phone.get_by_role("button", name="Confirm as the person who watched").click()
    expect(phone.get_by_text(f"{GRACE} confirmed 3 procedures.")).to_be_visible()
    expect(phone.get_by_text(f"{required} confirmed by their witness; 0 waiting")).to_be_visible()
    expect(account(phone)).to_contain_text(MORGAN)

    # Nothing is missing now: the request page offers only eligible cannulation assessors.
    phone.goto("/home")
    open_competency(phone, CANNULATION, "In progress")
    phone.get_by_role("button", name="Ask an assessor").click()
    expect(heading(phone, CANNULATION)).to_be_visible()
    expect(phone.get_by_text("Still missing")).to_have_count(0)
    assessors = phone.get_by_label("Assessor")
    expect(assessors.locator("option")).to_have_text(
        ["Choose an assessor", f"{GRACE} (nurse)", f"{SAM} (radiographer)"]
    )
    narrow(phone, "request page, ready")
    phone.get_by_role("link", name="Back", exact=True).click()
    expect(heading(phone, CANNULATION)).to_be_visible()

    # 3. Sam signs off at the point of care, on Morgan's phone, with the keyboard alone.
    phone.get_by_role("button", name="Sign off now (assessor with me)").click()
    expect(heading(phone, CANNULATION)).to_be_visible()
    expect(phone).to_have_title(re.compile(rf"^{POINT_OF_CARE}"))
    narrow(phone, "point-of-care form")

    submit = phone.get_by_role("button", name="Sign and record the decision")
    tab_to(phone, submit)
    keys.press("Enter")
    expect_errors(
        phone,
        POINT_OF_CARE,
        "Select competent or not yet competent",
        "Enter your password",
        "Enter your email address",
    )
    narrow(phone, "point-of-care form, empty")

    competent = phone.get_by_role("radio", name="Competent", exact=True)
    tab_to(phone, competent)
    keys.press("Space")
    expect(competent).to_be_checked()
    tab_to(phone, phone.get_by_role("radio", name=re.compile("^Direct supervision")))
    keys.press("ArrowDown")  # within a radio group the arrow keys move and choose
    indirect = phone.get_by_role("radio", name=re.compile("^Indirect supervision"))
    expect(indirect).to_be_focused()
    expect(indirect).to_be_checked()
    adults_only = phone.get_by_role("checkbox", name="Adults only")
    tab_to(phone, adults_only)
    keys.press("Space")
    expect(adults_only).to_be_checked()
    expect(phone.get_by_label("Date you observed the practice")).to_have_value(today().isoformat())
    expect(
        phone.get_by_role("checkbox", name=re.compile(re.escape(evidence_title)))
    ).to_be_checked()
    tab_to(phone, phone.get_by_label("Your email address"))
    keys.type(SAM_EMAIL)
    tab_to(phone, phone.get_by_label("Your password", exact=True))
    keys.type(demo.PASSWORD)
    keys.press("Enter")  # the declaration is not ticked yet
    expect_errors(
        phone,
        POINT_OF_CARE,
        "The worker must confirm they have read the policy and accept accountability",
    )
    expect(indirect).to_be_checked()  # everything chosen is kept
    expect(adults_only).to_be_checked()
    narrow(phone, "point-of-care form, declaration missing")

    keys.press("Tab")  # from the focused summary to its link, which leads to the declaration
    keys.press("Enter")
    declaration = phone.get_by_role("checkbox", name=DECLARATION)
    expect(declaration).to_be_focused()
    keys.press("Space")
    expect(declaration).to_be_checked()
    # Sam's password was right the first time: it is not asked for again.
    expect(phone.get_by_text("Your identity is confirmed for this sign-off")).to_be_visible()
    expect(phone.get_by_label("Your password", exact=True)).to_have_count(0)
    tab_to(phone, phone.get_by_role("button", name="Sign and record the decision"))
    keys.press("Enter")

    expect(
        phone.get_by_text(
            f"{SAM} signed this off. It counts once a practice educator countersigns."
        )
    ).to_be_visible()
    expect(status_heading(phone, today(), "Awaiting countersignature")).to_be_visible()
    expect(account(phone)).to_contain_text(MORGAN)  # Morgan is still the one signed in
    expect(account(phone)).not_to_contain_text(SAM)
    narrow(phone, "Morgan's cannulation page, awaiting countersignature")

    # 4. Priya countersigns from her to-do list, in her own session.
    desk = new_context().new_page()
    sign_in(desk, PRIYA_EMAIL)
    # The countersignature, among whatever other tests on the demo trust left waiting.
    desk.get_by_role("link", name=re.compile(r"^\d+ items? waiting for you$")).click()
    expect(heading(desk, "Your to-do list")).to_be_visible()
    waiting = desk.get_by_role("link", name=f"{MORGAN}: CANN Peripheral intravenous cannulation")
    expect(waiting).to_be_visible()
    axe(desk, "educator's to-do list")
    narrow(desk, "educator's to-do list")
    waiting.click()
    expect(heading(desk, "Countersign CANN")).to_be_visible()
    axe(desk, "countersign page")
    narrow(desk, "countersign page")
    countersign = desk.get_by_role("button", name="Countersign")
    countersign.click()
    expect_errors(desk, "Countersign a sign-off", "Enter your password")
    axe(desk, "countersign page, no password")
    tab_to(desk, desk.get_by_label("Your password", exact=True))
    desk.keyboard.type(demo.PASSWORD)
    desk.keyboard.press("Enter")
    expect(desk.get_by_text("Countersigned: the sign-off now counts.")).to_be_visible()
    expect(status_heading(desk, today(), "Competent")).to_be_visible()
    desk.goto("/to-do")
    expect(heading(desk, "Your to-do list")).to_be_visible()
    expect(waiting).to_have_count(0)

    # 5. Morgan's page: competent, how, on what condition, until when; and last month.
    phone.reload()
    expect(status_heading(phone, today(), "Competent")).to_be_visible()
    valid_until = expiry(today(), demo.CANNULATION_POLICY[-1].reassessment_months)
    assert valid_until is not None
    card = phone.locator(".nhsuk-card").filter(has=status_heading(phone, today(), "Competent"))
    expect(card).to_contain_text("indirect supervision")
    expect(card).to_contain_text("Adults only")
    expect(card).to_contain_text(f"valid until {long_date(valid_until)}")
    expect(card).to_contain_text("May practise under indirect supervision; Adults only.")
    expect(
        phone.get_by_role("heading", level=3, name=f"Competent, observed {long_date(today())}")
    ).to_be_visible()
    narrow(phone, "Morgan's cannulation page, competent")
    phone.get_by_role("link", name="All competencies").click()
    listed = row(table(phone, "Competencies"), CANNULATION)
    expect(listed).to_contain_text("Competent")
    expect(listed).to_contain_text("Indirect supervision; Adults only")
    expect(listed).to_contain_text(long_date(valid_until))
    narrow(phone, "Morgan's competencies, cannulation signed off")
    listed.get_by_role("link", name=CANNULATION).click()

    last_month = add_months(today(), -1)
    phone.get_by_label("Show the status on this date").fill(last_month.isoformat())
    phone.get_by_role("button", name="Show", exact=True).click()
    expect(status_heading(phone, last_month, "In progress")).to_be_visible()
    expect(phone.get_by_text("No decisions yet.")).to_be_visible()
    expect(phone.get_by_role("button", name="Sign off now (assessor with me)")).to_have_count(0)
    narrow(phone, "Morgan's cannulation page, last month")


def test_sam_is_refused_two_view_mammography_and_nothing_is_recorded(
    page: Page,
    new_context: NewContext,
    live_app: Flask,
    sign_in: SignIn,
    axe: Check,
    narrow: Check,
) -> None:
    from sqlalchemy import func, select

    from portfolio.db import get_session
    from portfolio.people.models import User
    from portfolio.signoff.models import RequestState, SignOffDecision, SignOffRequest

    sign_in(page, AISHA_EMAIL)
    open_competency(page, MAMMOGRAPHY, "Awaiting sign-off")
    expect(page.get_by_text(re.compile(r"is waiting on Helen Shaw's to-do list"))).to_be_visible()
    axe(page, "Aisha's mammography page")

    page.get_by_role("button", name="Sign off now (assessor with me)").click()
    expect(page).to_have_title(re.compile(rf"^{POINT_OF_CARE}"))
    page.get_by_role("radio", name="Competent", exact=True).check()
    page.get_by_role("radio", name=re.compile("^Direct supervision")).check()
    page.get_by_label("Your email address").fill(SAM_EMAIL)
    page.get_by_label("Your password", exact=True).fill(demo.PASSWORD)
    page.get_by_role("button", name="Sign and record the decision").click()
    expect_errors(
        page,
        POINT_OF_CARE,
        f"{SAM} cannot sign this off: The assessor needs a recorded postgraduate mammography "
        "qualification, confirmed by an educator or administrator",
    )
    axe(page, "point-of-care form, assessor refused")
    narrow(page, "point-of-care form, assessor refused")

    page.get_by_role("link", name="Back", exact=True).click()
    expect(status_heading(page, today(), "Awaiting sign-off")).to_be_visible()
    expect(page.get_by_text("No decisions yet.")).to_be_visible()
    with live_app.app_context():
        session = get_session()
        aisha = session.scalars(select(User).where(User.email == AISHA_EMAIL)).one()
        decisions = session.scalar(
            select(func.count()).where(SignOffDecision.worker_id == aisha.id)
        )
        states = session.scalars(
            select(SignOffRequest.state).where(SignOffRequest.worker_id == aisha.id)
        ).all()
    assert decisions == 0
    assert states == [RequestState.WAITING]

    helen = new_context().new_page()  # the request still waits on Helen's to-do list
    sign_in(helen, HELEN_EMAIL)
    helen.get_by_role("link", name="1 sign-off request waiting for you").click()
    expect(heading(helen, "Your to-do list")).to_be_visible()
    request = row(table(helen, "Sign-off requests"), "Aisha Khan")
    expect(
        request.get_by_role("link", name=re.compile(f"^{re.escape(MAMMOGRAPHY)}"))
    ).to_be_visible()
    axe(helen, "assessor's to-do list with a request")
    narrow(helen, "assessor's to-do list with a request")


def test_an_expired_basic_life_support_and_a_missing_prerequisite_show_to_the_worker(
    page: Page, sign_in: SignIn, axe: Check, narrow: Check
) -> None:
    sign_in(page, JORDAN_EMAIL)
    open_competency(page, BASIC_LIFE_SUPPORT, "Expired")
    expect(status_heading(page, today(), "Expired")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Expired on .+ \(valid until .+\)\.$"))).to_be_visible()
    expect(summary_row(page, "Transcribed from")).to_contain_text(
        "Trust resuscitation training record, seen by Priya Patel"
    )
    axe(page, "Jordan's basic life support page")
    narrow(page, "Jordan's basic life support page")

    # Cannulation is outside a CSW's scope, so Jordan cannot ask for it at all; a request in
    # his scope names the prerequisite still missing.
    assert page.goto("/competencies/CANN/request").status == 404
    page.goto("/competencies/CSW-ENV/request")
    expect(heading(page, "CSW-ENV: Clean and safe environment, spills and sharps")).to_be_visible()
    missing = page.locator(".nhsuk-warning-callout")
    expect(missing).to_contain_text("Still missing")
    expect(missing.get_by_role("listitem").filter(has_text="Infection prevention")).to_have_text(
        "Infection prevention and decontamination (CORE-IPC): not started"
    )
    axe(page, "request page with something missing")
    narrow(page, "request page with something missing")

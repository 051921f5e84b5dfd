"""A support worker's evidence and supervised procedure log, in a real browser: logging evidence
with the keyboard alone, the patient identifier guard, checked attachments, a draft saved
automatically and restored after a reload, and a witness confirming a procedure with their own
password on the worker's device. Each step asserts what
the person would notice; every page and error state visited is checked with axe, and the
evidence list and an evidence page at 360 px wide.

Every journey is done by a new support worker, appointed (as an administrator would) to the
demo trust's general radiography assistant practitioner post, where cannulation (CANN) is core,
so nothing here changes what other tests see of the demo people."""

from __future__ import annotations

import re
import uuid

from playwright.sync_api import FilePayload, Locator, Page, expect

from portfolio import demo
from portfolio.core.clock import today
from tests.browser.pages import (
    Check,
    MakeWorker,
    SignIn,
    error_summary,
    expect_errors,
    header_menu,
    heading,
    row,
    tab_to,
    table,
)

CANNULATION = "CANN: Peripheral intravenous cannulation"
WITNESS, WITNESS_EMAIL = "Grace Mensah", "nurse@northfield.example"


def evidence_link_in_list(page: Page, title: str) -> Locator:
    return table(page, "Evidence").get_by_role("link", name=title, exact=True)


def open_log_evidence(page: Page, axe: Check) -> None:
    header_menu(page, "Your evidence").click()
    expect(heading(page, "Your evidence")).to_be_visible()
    page.get_by_role("button", name="Log evidence").click()  # a link styled as a button
    expect(heading(page, "Log evidence")).to_be_visible()
    axe(page, "log evidence")


def test_support_worker_logs_a_reflective_account_with_the_keyboard_alone(
    page: Page, make_worker: MakeWorker, axe: Check, narrow: Check
) -> None:
    name = "Riley Evans"
    title = f"Reflection on an extravasation {uuid.uuid4().hex[:6]}"
    email = make_worker(name)
    keys = page.keyboard

    page.goto("/sign-in")  # typing the address is the one thing done before the keyboard
    tab_to(page, page.get_by_label("Email address"))
    keys.type(email)
    tab_to(page, page.get_by_label("Password", exact=True))
    keys.type(demo.PASSWORD)
    keys.press("Enter")
    expect(heading(page, f"Hello, {name}")).to_be_visible()

    tab_to(page, header_menu(page, "Your evidence"))
    keys.press("Enter")
    expect(heading(page, "Your evidence")).to_be_visible()
    expect(page.get_by_text("No evidence logged yet.")).to_be_visible()
    axe(page, "your evidence, none yet")

    tab_to(page, page.get_by_role("button", name="Log evidence"))
    keys.press("Enter")
    expect(heading(page, "Log evidence")).to_be_visible()
    date = page.get_by_label("Date of the activity")
    expect(date).to_have_value(today().isoformat())
    axe(page, "log evidence")

    save = page.get_by_role("button", name="Save evidence")
    tab_to(page, save)
    keys.press("Enter")
    expect_errors(
        page,
        "Log evidence",
        "Select the type of evidence",
        "Enter a title",
        "Enter the text of your evidence",
        "Select at least one competency it shows",
    )
    axe(page, "log evidence, empty")

    # From the focused summary, its first link takes the focus to the type of evidence.
    keys.press("Tab")
    expect(
        error_summary(page).get_by_role("link", name="Select the type of evidence")
    ).to_be_focused()
    keys.press("Enter")
    reflective = page.get_by_role("radio", name="Reflective account")
    expect(reflective).to_be_focused()
    keys.press("Space")
    expect(reflective).to_be_checked()

    tab_to(page, page.get_by_label("Title"))
    keys.type(title)
    expect(date).to_have_value(today().isoformat())  # kept from the first try
    text = page.get_by_label("What happened, and what you learned")
    tab_to(page, text)
    keys.type("The cannula site swelled during the contrast injection.")
    keys.press("Enter")
    keys.press("Enter")
    keys.type("I **stopped the injector at once** and called the radiographer.")
    competency = page.get_by_role("checkbox", name=CANNULATION)
    tab_to(page, competency)
    keys.press("Space")
    expect(competency).to_be_checked()
    tab_to(page, save)
    keys.press("Enter")

    expect(heading(page, title)).to_be_visible()
    expect(page.get_by_text("Your evidence has been saved.")).to_be_visible()
    expect(page.get_by_text(f"Reflective account · {name}")).to_be_visible()
    written = page.locator(".app-evidence-text")
    expect(written.locator("p")).to_have_count(2)
    expect(written.locator("strong")).to_have_text("stopped the injector at once")
    expect(written).not_to_contain_text("**")
    axe(page, "evidence just logged")
    narrow(page, "evidence just logged")

    tab_to(page, page.get_by_role("link", name="Evidence", exact=True))  # the back link
    keys.press("Enter")
    expect(heading(page, "Your evidence")).to_be_visible()
    logged = row(table(page, "Evidence"), title)
    expect(logged).to_contain_text("Reflective account")
    expect(logged).to_contain_text("CANN")
    axe(page, "your evidence")
    narrow(page, "your evidence")


def test_the_identifier_guard_refuses_an_nhs_number_and_asks_about_a_bare_one(
    page: Page, make_worker: MakeWorker, sign_in: SignIn, axe: Check
) -> None:
    suffix = uuid.uuid4().hex[:6]
    sign_in(page, make_worker("Noor Haddad"))
    open_log_evidence(page, axe)
    title_field = page.get_by_label("Title")
    text = page.get_by_label("What happened, and what you learned")
    competency = page.get_by_role("checkbox", name=CANNULATION)
    save = page.get_by_role("button", name="Save evidence")

    page.get_by_role("radio", name="Observed practice").check()
    title_field.fill(f"Patient identification before a scan {suffix}")
    typed = "Checked NHS no 943 476 5919 against the wristband before cannulating."
    text.fill(typed)
    competency.check()
    save.click()
    expect_errors(
        page,
        "Log evidence",
        re.compile(r"^This looks like an NHS number \(943 476 5919\)\. Remove it"),
    )
    expect(page.locator("mark.app-identifier")).to_have_text("943 476 5919")
    expect(text).to_have_value(typed)  # everything typed is kept
    expect(title_field).to_have_value(f"Patient identification before a scan {suffix}")
    expect(page.get_by_role("radio", name="Observed practice")).to_be_checked()
    expect(competency).to_be_checked()
    expect(
        page.get_by_role("checkbox", name=re.compile("is not a patient identifier"))
    ).to_have_count(0)
    axe(page, "log evidence with an NHS number")

    title = f"Order 9434765919 cannulation {suffix}"
    title_field.fill(title)
    text.fill("Checked the wristband against the request before cannulating.")
    save.click()
    expect_errors(page, "Log evidence", re.compile(r"^943 476 5919 could be an NHS number"))
    expect(page.locator("mark.app-identifier")).to_have_text("9434765919")
    expect(title_field).to_have_value(title)
    confirm = page.get_by_role(
        "checkbox", name=re.compile(r"^9434765919 is not a patient identifier")
    )
    expect(confirm).not_to_be_checked()
    axe(page, "log evidence with a number to confirm")

    confirm.check()
    save.click()
    expect(heading(page, title)).to_be_visible()
    expect(page.get_by_text("Your evidence has been saved.")).to_be_visible()

    page.get_by_role("link", name="Evidence", exact=True).click()  # the back link
    evidence = table(page, "Evidence")
    expect(evidence.get_by_role("row")).to_have_count(2)  # a header; nothing refused was saved
    expect(evidence_link_in_list(page, title)).to_be_visible()


def test_a_draft_is_saved_while_typing_and_restored_after_a_reload(
    page: Page, make_worker: MakeWorker, sign_in: SignIn, axe: Check
) -> None:
    page.clock.install()  # the page's 15-second timer runs when the test says
    sign_in(page, make_worker("Sam Okafor"))
    open_log_evidence(page, axe)
    title = f"Vasovagal episode on the table {uuid.uuid4().hex[:6]}"
    typed = "The patient felt faint as I helped her onto the table. I lowered the table."
    title_field = page.get_by_label("Title")
    text = page.get_by_label("What happened, and what you learned")
    status = page.get_by_role("status").filter(has_text=re.compile("saved", re.IGNORECASE))
    title_field.fill(title)
    text.fill(typed)
    page.clock.fast_forward("00:16")
    expect(status).to_have_text(re.compile(r"^Draft saved at [0-2]\d:[0-5]\d$"))

    page.reload()
    expect(heading(page, "Log evidence")).to_be_visible()
    expect(
        page.get_by_text("We restored the draft you were writing, saved automatically at")
    ).to_be_visible()
    expect(text).to_have_value(typed)
    expect(title_field).to_have_value(title)
    axe(page, "log evidence with a restored draft")

    text.fill(f"{typed} Her NHS number is 943 476 5919.")
    page.clock.fast_forward("00:16")
    expect(status).to_have_text(
        "Not saved automatically: remove or confirm the possible patient identifier, then save"
    )
    page.reload()
    expect(text).to_have_value(typed)  # the number never reached the draft

    page.get_by_role("button", name="Discard the draft").click()
    expect(page.get_by_text("The draft has been discarded.")).to_be_visible()
    expect(text).to_have_value("")
    expect(page.get_by_text("We restored the draft")).to_have_count(0)


def _pdf() -> bytes:
    from weasyprint import HTML

    return HTML(string="<p>Certificate</p>").write_pdf()  # type: ignore[no-any-return]


def named_pdf(content: bytes) -> FilePayload:
    """A file chosen in the browser, named and typed as a PDF whatever its bytes are."""
    return {"name": "certificate.pdf", "mimeType": "application/pdf", "buffer": content}


def test_support_worker_attaches_a_pdf_and_a_spoofed_one_is_refused(
    page: Page, make_worker: MakeWorker, sign_in: SignIn, axe: Check, narrow: Check
) -> None:
    title = f"Cannulation study day {uuid.uuid4().hex[:6]}"
    sign_in(page, make_worker("Tomasz Nowak"))
    open_log_evidence(page, axe)
    page.get_by_role("radio", name="Training record").check()
    page.get_by_label("Title").fill(title)
    page.get_by_label("What happened, and what you learned").fill("A day of cannulation practice.")
    page.get_by_role("checkbox", name=CANNULATION).check()
    page.get_by_role("button", name="Save evidence").click()
    expect(heading(page, title)).to_be_visible()
    expect(page.get_by_text("No files attached.")).to_be_visible()

    pdf = _pdf()
    page.set_input_files("#file", files=[named_pdf(pdf)])
    page.get_by_role("button", name="Attach file").click()
    expect(page.get_by_text("The file has been attached.")).to_be_visible()
    download = page.get_by_role("link", name="certificate.pdf", exact=True)
    expect(download).to_be_visible()
    expect(page.get_by_role("listitem").filter(has=download)).to_contain_text("KB)")
    axe(page, "evidence with a file")
    narrow(page, "evidence with a file")

    href = download.get_attribute("href")
    assert href is not None
    response = page.request.get(href)
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "attachment" in response.headers["content-disposition"]
    assert response.body() == pdf

    spoofed = b"<!doctype html><html><body><p>Certificate</p></body></html>"
    page.set_input_files("#file", files=[named_pdf(spoofed)])
    page.get_by_role("button", name="Attach file").click()
    expect_errors(page, title, re.compile(r"^The selected file is not a real PDF"))
    expect(page.locator("#file-error")).to_contain_text("not a real PDF")
    expect(page.get_by_role("link", name="certificate.pdf", exact=True)).to_have_count(1)
    axe(page, "evidence with a spoofed file refused")


def test_witness_confirms_a_supervised_procedure_on_the_workers_device(
    page: Page, make_worker: MakeWorker, sign_in: SignIn, axe: Check, narrow: Check
) -> None:
    name = "Ellis Moran"
    setting = f"CT {uuid.uuid4().hex[:6]}"
    sign_in(page, make_worker(name))
    header_menu(page, "Your evidence").click()
    expect(page.get_by_text("No supervised procedures logged yet.")).to_be_visible()
    page.get_by_role("button", name="Log a supervised procedure").click()
    expect(heading(page, "Log a supervised procedure")).to_be_visible()
    axe(page, "log a supervised procedure")

    log = page.get_by_role("button", name="Log procedure")
    log.click()
    expect_errors(
        page,
        "Log a supervised procedure",
        "Choose the competency",
        "Enter the setting",
        "Select the outcome",
        "Choose the supervisor or assessor who watched",
    )
    axe(page, "log a supervised procedure, empty")

    page.get_by_label("Competency").select_option(label=CANNULATION)
    expect(page.get_by_label("Date", exact=True)).to_have_value(today().isoformat())
    page.get_by_label("Setting").fill(setting)
    page.get_by_role("radio", name="Successful", exact=True).check()
    page.get_by_label("Who watched").select_option(label=WITNESS)
    log.click()

    expect(heading(page, "Your evidence")).to_be_visible()
    expect(page.get_by_text("The procedure has been logged.")).to_be_visible()
    procedures = table(page, "Supervised procedures")
    line = procedures.get_by_role("row").filter(has_text=setting)
    expect(line).to_contain_text("CANN")
    expect(line).to_contain_text(WITNESS)
    expect(line).to_contain_text("Waiting")
    expect(page.get_by_text("0 confirmed by their witness; 1 waiting")).to_be_visible()
    axe(page, "your evidence with a procedure waiting")

    page.get_by_role("button", name="Confirm procedures with your witness").click()
    expect(heading(page, "Confirm supervised procedures")).to_be_visible()
    axe(page, "confirm supervised procedures")
    watched = page.get_by_role("checkbox", name=re.compile(re.escape(setting)))
    email = page.get_by_label("Your email address")
    password = page.get_by_label("Your password", exact=True)
    confirm = page.get_by_role("button", name="Confirm as the person who watched")

    watched.check()
    email.fill(WITNESS_EMAIL)
    password.fill("not-her-password")
    confirm.click()
    expect_errors(
        page,
        "Confirm supervised procedures",
        "Enter the correct email address and password of the person who watched",
    )
    expect(watched).to_be_checked()
    expect(email).to_have_value(WITNESS_EMAIL)
    axe(page, "confirm supervised procedures with a wrong password")

    page.get_by_role("link", name="Back", exact=True).click()
    expect(line).to_contain_text("Waiting")  # the wrong password confirmed nothing
    page.get_by_role("button", name="Confirm procedures with your witness").click()
    watched.check()
    email.fill(WITNESS_EMAIL)
    password.fill(demo.PASSWORD)
    confirm.click()

    expect(heading(page, "Your evidence")).to_be_visible()
    expect(page.get_by_text(f"{WITNESS} confirmed 1 procedure.")).to_be_visible()
    expect(line).to_contain_text("Confirmed")
    expect(page.get_by_text("1 confirmed by their witness; 0 waiting")).to_be_visible()
    account = page.get_by_role("navigation", name="Account")
    expect(account).to_contain_text(name)  # still signed in as themselves
    expect(account).not_to_contain_text(WITNESS)
    expect(page.get_by_role("button", name="Confirm procedures with your witness")).to_have_count(0)
    axe(page, "your evidence with a confirmed procedure")
    narrow(page, "your evidence with a confirmed procedure")

"""The standing engine's answers read alike wherever they are shown (issue 18), over the demo
trust in a real browser: Sophie Turner, a trainee assistant practitioner whose cannulation is
signed off while her basic life support has expired, and Chris Taylor, an assistant
practitioner signed off in appendicular imaging without an IR(ME)R entitlement for it.

Her own home, the competencies page, the scope-of-practice page, the matrix, the PDF, its
public verify page and the API give the same words: a trainee is never shown as a qualified
assistant practitioner, a lapsed prerequisite never as plain "Competent", and no entitlement
never as "may" or plain "Competent"."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from playwright.sync_api import BrowserContext, Page, expect
from pypdf import PdfReader
from sqlalchemy import select

from tests.browser.pages import Check, SignIn

SOPHIE = "trainee@northfield.example"
CHRIS = "ap@northfield.example"
EDUCATOR = "educator@northfield.example"
LAPSED = re.compile(r"Basic life support \(CORE-BLS\) expired on \d{1,2} \w+ \d{4}")
TRAINEE = "Trainee assistant practitioner"


def _person_id(live_app: Flask, email: str) -> int:
    from portfolio.db import get_session
    from portfolio.people.models import User

    with live_app.app_context():
        return get_session().scalars(select(User.id).where(User.email == email)).one()


def _token(live_app: Flask, email: str) -> tuple[int, str]:
    """A read-only API token for the person, as if made on their account page (the
    educator's: Chris Taylor's own tokens are the token journey's)."""
    from portfolio.api import services
    from portfolio.api.models import TokenScope
    from portfolio.commands import cli_auditor
    from portfolio.core.clock import today
    from portfolio.db import get_session
    from portfolio.people.models import User

    with live_app.app_context():
        session = get_session()
        person = session.scalars(select(User).where(User.email == email)).one()
        _, secret = services.create_token(
            cli_auditor(),
            person,
            name="Standing alike",
            scope=TokenScope.READ,
            expires_on=today() + dt.timedelta(days=1),
            today=today(),
            max_days=365,
            created_by=person,
        )
        session.commit()
        return person.id, secret


def test_a_lapsed_prerequisite_and_a_trainee_read_alike_on_every_view(
    page: Page, sign_in: SignIn, axe: Check, live_app: Flask
) -> None:
    sign_in(page, SOPHIE)
    page.goto("/home")
    main = page.locator("main")
    expect(main).to_contain_text(
        re.compile(
            r"Prerequisite lapsed, so not counted as competent: Peripheral intravenous "
            r"cannulation \(" + LAPSED.pattern
        )
    )
    expect(main).to_contain_text(f"Job role {TRAINEE}")
    axe(page, "a trainee's home with a lapsed prerequisite")

    page.get_by_role("link", name="Your competencies and their status").click()
    cannulation = page.get_by_role("row").filter(has_text="CANN: Peripheral intravenous")
    expect(cannulation).to_contain_text("Competent, prerequisite lapsed")
    expect(cannulation).to_contain_text(LAPSED)
    expect(main).to_contain_text(f"Job role: {TRAINEE}")

    sophie_id, secret = _token(live_app, SOPHIE)
    answer = page.request.get(
        f"/api/v1/standing?person={sophie_id}&item=CANN",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert answer.ok, answer.text()
    body = answer.json()
    assert body["may"] is False, body
    assert body["shown"].startswith("Competent, prerequisite lapsed"), body
    assert LAPSED.search(body["shown"]), body
    assert "prerequisite_lapsed" in [reason["code"] for reason in body["reasons"]], body


def test_the_educator_sees_the_same_answers_on_the_matrix_and_the_scope_pages(
    page: Page, sign_in: SignIn, axe: Check, live_app: Flask
) -> None:
    sign_in(page, EDUCATOR)
    page.goto("/oversight/matrix")
    sophie = page.get_by_role("row").filter(has_text="Sophie Turner")
    expect(sophie).to_contain_text(TRAINEE)
    expect(sophie).to_contain_text("Competent, prerequisite lapsed")
    expect(sophie).to_contain_text(LAPSED)

    sophie_id = _person_id(live_app, SOPHIE)
    page.goto(f"/people/{sophie_id}/scope-of-practice")
    expect(page.locator("h1")).to_contain_text("Scope of practice of Sophie Turner")
    main = page.locator("main")
    expect(main).to_contain_text(f"{TRAINEE}, Assistant practitioner, general radiography")
    cannulation = page.get_by_role("row").filter(has_text="(CANN)")
    expect(cannulation).to_contain_text("Competent, prerequisite lapsed")
    expect(cannulation).to_contain_text(LAPSED)
    chest = page.get_by_role("row").filter(has_text="(AP-CHEST)")
    expect(chest).to_contain_text("Trainee without an IR(ME)R operator entitlement")
    axe(page, "a trainee's scope of practice")

    # Chris Taylor: appendicular imaging signed off, but no entitlement for it.
    chris_id = _person_id(live_app, CHRIS)
    _, secret = _token(live_app, EDUCATOR)
    page.goto(f"/people/{chris_id}/scope-of-practice")
    appendicular = page.get_by_role("row").filter(has_text="(AP-APPEND)")
    expect(appendicular).to_contain_text(
        "No IR(ME)R operator entitlement for exposure (general radiography: appendicular skeleton)"
    )
    answer = page.request.get(
        f"/api/v1/standing?person={chris_id}&item=AP-APPEND",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert answer.ok, answer.text()
    assert answer.json()["may"] is False
    assert "no_entitlement" in [reason["code"] for reason in answer.json()["reasons"]]


def _printed(page: Page, person_id: int, tmp_path: Path) -> tuple[str, str]:
    """The person's portfolio downloaded as the educator: its text, one line, and the public
    verify page's address read from it."""
    page.goto(f"/people/{person_id}/portfolio")
    with page.expect_download(timeout=60_000) as waiting:
        page.get_by_role("button", name="Download the portfolio (PDF)").click()
    saved = tmp_path / waiting.value.suggested_filename
    waiting.value.save_as(saved)
    reader = PdfReader(io.BytesIO(saved.read_bytes()))
    text = " ".join(" ".join(item.extract_text() for item in reader.pages).split())
    code = re.search(r"Verification code ([0-9A-Z-]+) ", text)
    assert code, text[:400]
    return text, f"/verify/{code.group(1).replace('-', '')}"


def test_the_pdf_and_its_public_verify_page_say_what_every_other_view_says(
    page: Page,
    new_context: Callable[..., BrowserContext],
    sign_in: SignIn,
    axe: Check,
    live_app: Flask,
    tmp_path: Path,
) -> None:
    sign_in(page, EDUCATOR)
    public = new_context().new_page()

    # Sophie Turner: a trainee, and cannulation with its basic life support expired.
    text, verify = _printed(page, _person_id(live_app, SOPHIE), tmp_path)
    assert TRAINEE in text
    assert re.search(r"Competent, prerequisite lapsed \(" + LAPSED.pattern, text), text
    public.goto(verify)
    cannulation = public.get_by_role("row").filter(has_text="CANN: Peripheral intravenous")
    expect(cannulation).to_contain_text(
        re.compile(r"Not current: competent, prerequisite lapsed \(" + LAPSED.pattern)
    )
    expect(public.locator("main")).to_contain_text(TRAINEE)
    expect(public.locator("main")).not_to_contain_text("Job role Assistant practitioner")
    axe(public, "a trainee's verify page with a lapsed prerequisite")

    # Chris Taylor: appendicular imaging signed off, with no entitlement for it.
    missing = (
        "No IR(ME)R operator entitlement for exposure (general radiography: appendicular skeleton)"
    )
    text, verify = _printed(page, _person_id(live_app, CHRIS), tmp_path)
    assert f"Competent, not entitled ({missing})" in text, text
    public.goto(verify)
    appendicular = public.get_by_role("row").filter(has_text="AP-APPEND")
    expect(appendicular).to_contain_text(f"Still current, not entitled today ({missing})")


def test_an_assistant_practitioner_without_an_entitlement_reads_alike_at_home_and_on_the_matrix(
    page: Page, sign_in: SignIn, axe: Check
) -> None:
    missing = (
        "No IR(ME)R operator entitlement for exposure (general radiography: appendicular skeleton)"
    )
    sign_in(page, EDUCATOR)
    page.goto("/oversight/matrix")
    chris = page.get_by_role("row").filter(has_text="Chris Taylor")
    expect(chris).to_contain_text("Competent, not entitled")
    expect(chris).to_contain_text(missing)
    axe(page, "the matrix with a missing entitlement")
    page.context.clear_cookies()
    sign_in(page, CHRIS)
    page.goto("/home")
    expect(page.locator("main")).to_contain_text(
        f"Signed off, but not entitled to do it yet: Appendicular skeleton radiography to "
        f"protocol ({missing})"
    )

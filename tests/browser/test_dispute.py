"""A dispute from the confirmation email, in a real browser (issue 20, item 3): Sam Okafor
signs a new assistant practitioner off in chest radiography on the worker's device; the email
to Sam's own address confirms it with a link (issued here as the email's sender does: the
email itself is checked through a real SMTP server in tests/signoff/test_disputes.py). Sam
opens it on his own phone, says it was not him, and the sign-off is suspended at once; the
practice educator's notices say so. The worker is new (`make_worker`): nothing here changes
what other tests see."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import select

from portfolio import demo
from portfolio.core.clock import utcnow
from portfolio.db import get_session
from portfolio.people.models import User
from portfolio.signoff import disputes
from portfolio.signoff.models import SignOffDecision
from tests.browser.pages import NARROW, Check, MakeWorker, SignIn, heading
from tests.browser.records import with_evidence

SAM_EMAIL, PRIYA_EMAIL = "radiographer@northfield.example", "educator@northfield.example"
CHEST = "AP-CHEST: Chest radiography to protocol"


def _dispute_link(live_app: Flask, email: str) -> tuple[int, str]:
    """What the confirmation email to Sam carries, for the worker's newest sign-off."""
    with live_app.app_context():
        session = get_session()
        worker = session.scalars(select(User).where(User.email == email)).one()
        decision = session.scalars(
            select(SignOffDecision)
            .where(SignOffDecision.worker_id == worker.id)
            .order_by(SignOffDecision.id.desc())
        ).first()
        assert decision is not None
        token = disputes.issue(session, decision, days=7, now=utcnow())
        session.commit()
        return worker.id, f"/sign-off-disputes/{token}"


def test_sam_disputes_a_sign_off_made_in_his_name_and_it_is_suspended_at_once(
    page: Page,
    new_context: Callable[..., BrowserContext],
    live_app: Flask,
    make_worker: MakeWorker,
    sign_in: SignIn,
    axe: Check,
    narrow: Check,
) -> None:
    email = make_worker("Nia Hughes")
    with_evidence(live_app, email, "AP-CHEST", "Chest radiographs observed")
    sign_in(page, email)
    page.goto("/competencies/AP-CHEST/sign-off")
    page.get_by_role("radio", name="Competent", exact=True).check()
    page.get_by_role("radio", name="Indirect supervision", exact=False).first.check()
    page.get_by_role("checkbox", name=r"I have read the trust's policy").check()
    page.get_by_label("Your email address").fill(SAM_EMAIL)
    page.get_by_label("Your password", exact=True).fill(demo.PASSWORD)
    page.get_by_role("button", name="Sign and record the decision").click()
    expect(heading(page, CHEST)).to_be_visible()

    worker_id, link = _dispute_link(live_app, email)
    phone = new_context(viewport=NARROW).new_page()  # Sam's own phone
    phone.goto(link)
    expect(heading(phone, "Was this sign-off yours?")).to_be_visible()
    expect(phone.locator("main")).to_contain_text("Nia Hughes's phone or computer: AP-CHEST")
    axe(phone, "dispute a sign-off")
    narrow(phone, "dispute a sign-off")
    phone.get_by_label("What happened (optional)").fill("I was on leave that day")
    phone.get_by_role("button", name="It was not me: suspend this sign-off").click()
    expect(phone.get_by_text("Sign-off disputed")).to_be_visible()
    axe(phone, "sign-off disputed")
    phone.goto(link)
    expect(heading(phone, "This sign-off has already been disputed")).to_be_visible()

    page.goto(f"/people/{worker_id}/competencies/AP-CHEST")
    expect(page.locator("main")).to_contain_text("Suspended")
    expect(page.locator("main")).to_contain_text("I was on leave that day")

    desk = new_context().new_page()
    sign_in(desk, PRIYA_EMAIL)
    desk.goto("/notices")
    expect(desk.locator("main")).to_contain_text(
        "Nia Hughes's sign-off in Chest radiography to protocol (AP-CHEST) was disputed by its "
        "assessor and is suspended"
    )
    axe(desk, "the educator's notices with a dispute")

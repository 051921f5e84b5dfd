"""Remote sign-off in a real browser (issue 20, item 1): a new assistant practitioner asks Sam
Okafor to sign off chest radiography; the link the email carries (issued here as the email's
sender does: the email itself is checked through a real SMTP server in
tests/signoff/test_remote_sign_off.py) opens the request on Sam's own phone, a second browser
context, after his password once, and he records the decision there without it again. The
withdrawn, expired, forwarded and used links each get a page saying so, never the decision
form. The worker is new (`make_worker`): nothing here changes what other tests see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from flask import Flask
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import select

from portfolio import demo
from portfolio.core.clock import utcnow
from portfolio.db import get_session
from portfolio.people.models import User
from portfolio.signoff import links
from portfolio.signoff.models import RequestState, SignOffLink, SignOffRequest
from tests.browser.pages import NARROW, Check, MakeWorker, SignIn, heading
from tests.browser.records import with_evidence

SAM, SAM_EMAIL = "Sam Okafor", "radiographer@northfield.example"
CHEST = "AP-CHEST: Chest radiography to protocol"
DECIDE = "Sign and record the decision"


def _id(live_app: Flask, email: str) -> int:
    with live_app.app_context():
        return get_session().scalars(select(User.id).where(User.email == email)).one()


def _ask_sam(page: Page) -> None:
    page.goto("/competencies/AP-CHEST/request")
    page.get_by_label("Assessor").select_option(label=f"{SAM} (radiographer)")
    page.get_by_role("checkbox", name=r"I have read the trust's policy").check()
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text(f"Your request is on {SAM}'s to-do list")).to_be_visible()


def _emailed_link(live_app: Flask, email: str) -> str:
    """What the email to Sam carries: a new link to the worker's waiting request."""
    with live_app.app_context():
        session = get_session()
        worker = session.scalars(select(User).where(User.email == email)).one()
        waiting = session.scalars(
            select(SignOffRequest).where(
                SignOffRequest.worker_id == worker.id,
                SignOffRequest.state == RequestState.WAITING,
            )
        ).one()
        token = links.issue(session, waiting, now=utcnow(), valid_for=dt.timedelta(days=3))
        session.commit()
        return f"/sign-off-links/{token}"


def _expire(live_app: Flask, path: str, by: dt.timedelta) -> None:
    with live_app.app_context():
        session = get_session()
        link = links.find(session, path.rsplit("/", 1)[1])
        assert isinstance(link, SignOffLink)
        link.expires_at = link.expires_at - by
        session.commit()


def _refused(page: Page, path: str, title: str, axe: Check) -> None:
    page.goto(path)
    expect(heading(page, title)).to_be_visible()
    expect(page.get_by_role("button", name=DECIDE)).to_have_count(0)
    expect(page.get_by_label("Your password", exact=True)).to_have_count(0)
    axe(page, f"link refused: {title}")


def test_sam_signs_off_on_his_own_phone_from_the_emailed_link(
    page: Page,
    new_context: Callable[..., BrowserContext],
    live_app: Flask,
    make_worker: MakeWorker,
    sign_in: SignIn,
    axe: Check,
    narrow: Check,
) -> None:
    email = make_worker("Rhys Evans")
    with_evidence(live_app, email, "AP-CHEST", "Chest radiographs observed")
    sign_in(page, email)
    _ask_sam(page)
    withdrawn = _emailed_link(live_app, email)
    page.get_by_role("button", name="Withdraw the request").click()
    expect(page.get_by_text("Your request has been withdrawn.")).to_be_visible()
    phone = new_context(viewport=NARROW).new_page()  # Sam's own phone, nobody signed in
    _refused(phone, withdrawn, "This request was withdrawn", axe)

    _ask_sam(page)
    link = _emailed_link(live_app, email)
    _refused(page, link, "This link was sent to another assessor", axe)  # the worker's device
    _expire(live_app, link, dt.timedelta(days=4))
    _refused(phone, link, "This link has expired", axe)
    _expire(live_app, link, -dt.timedelta(days=4))

    phone.goto(link)
    expect(heading(phone, "Open Rhys Evans's sign-off request")).to_be_visible()
    expect(phone.get_by_role("button", name=DECIDE)).to_have_count(0)
    axe(phone, "open a sign-off request from its link")
    narrow(phone, "open a sign-off request from its link")
    phone.get_by_label("Your password", exact=True).fill(demo.PASSWORD)
    phone.get_by_role("button", name="Open the request").click()

    expect(heading(phone, CHEST)).to_be_visible()
    expect(
        phone.get_by_text(f"Your identity is confirmed for this sign-off ({SAM})")
    ).to_be_visible()
    expect(phone.get_by_text("Chest radiographs observed").first).to_be_visible()  # the evidence
    expect(phone.get_by_label("Your password", exact=True)).to_have_count(0)
    axe(phone, "decision page opened from the link")
    narrow(phone, "decision page opened from the link")
    phone.get_by_role("radio", name="Competent", exact=True).check()
    phone.get_by_role("radio", name="Indirect supervision", exact=False).first.check()
    phone.get_by_role("button", name=DECIDE).click()
    expect(phone.get_by_text(f"{SAM} signed this off.")).to_be_visible()

    # The worker sees it at once; the link has done its work.
    page.goto(f"/people/{_id(live_app, email)}/competencies/AP-CHEST")
    expect(page.locator("main")).to_contain_text("Signed off on")
    expect(page.locator("main")).to_contain_text(SAM)
    fresh = new_context().new_page()
    _refused(fresh, link, "This link has already been used", axe)

"""The point-of-care sign-off form in a real browser: Sam Okafor signs a new assistant
practitioner off in chest radiography on their device, choosing remote supervision and
forgetting the worker's declaration. Both mistakes come back at once, the remote level
explained by its ceiling and source; his password was right, so the corrected form is
recorded without it. The worker is new (`make_worker`): nothing here changes what other
tests see."""

from __future__ import annotations

import re

from flask import Flask
from playwright.sync_api import Page, expect

from portfolio import demo
from tests.browser.pages import Check, MakeWorker, SignIn, expect_errors, heading
from tests.browser.records import with_evidence

SAM, SAM_EMAIL = "Sam Okafor", "radiographer@northfield.example"
TITLE = "Sign off at the point of care"
CEILING = re.compile(
    r"^Remote supervision is above the ceiling: at most indirect supervision for an "
    r"assistant practitioner in chest radiography to protocol \(Society of Radiographers"
)
DECLARATION = "The worker must confirm they have read the policy and accept accountability"


def test_every_mistake_at_once_and_one_password_entry(
    page: Page,
    live_app: Flask,
    make_worker: MakeWorker,
    sign_in: SignIn,
    axe: Check,
    narrow: Check,
) -> None:
    email = make_worker("Ceri Jones")
    with_evidence(live_app, email, "AP-CHEST", "Chest radiographs observed")
    sign_in(page, email)
    page.goto("/competencies/AP-CHEST/sign-off")
    expect(heading(page, "AP-CHEST: Chest radiography to protocol")).to_be_visible()

    page.get_by_role("radio", name="Competent", exact=True).check()
    page.get_by_role("radio", name=re.compile("^Remote supervision")).check()
    page.get_by_label("What went well").fill("Clear explanations; correct positioning")
    page.get_by_label("Your email address").fill(SAM_EMAIL)
    page.get_by_label("Your password", exact=True).fill(demo.PASSWORD)
    page.get_by_role("button", name="Sign and record the decision").click()

    expect_errors(page, TITLE, CEILING, DECLARATION)
    expect(
        page.get_by_text("Your identity is confirmed for this sign-off (Sam Okafor)")
    ).to_be_visible()
    expect(page.get_by_label("Your password", exact=True)).to_have_count(0)
    expect(page.get_by_label("What went well")).to_have_value(
        "Clear explanations; correct positioning"
    )
    axe(page, "sign-off form with every error")
    narrow(page, "sign-off form with every error")

    page.get_by_role("radio", name=re.compile("^Indirect supervision")).check()
    page.get_by_role("checkbox", name=re.compile("^I have read the trust's policy")).check()
    page.get_by_role("button", name="Sign and record the decision").click()

    expect(page.get_by_text(f"{SAM} signed this off.")).to_be_visible()
    expect(heading(page, "AP-CHEST: Chest radiography to protocol")).to_be_visible()

"""The practice records pages in a real browser, over the demo trust: the administrator
records themselves as General radiography's IR(ME)R entitlement granter, grants a new
assistant practitioner an entitlement (after a form with mistakes), and reads the
department's record and the sites; axe on every page and state, and each at 360 px."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from portfolio import demo
from tests.browser.pages import ADMIN, Check, MakeWorker, SignIn, error_summary, heading


def test_an_administrator_assigns_an_authority_then_grants_an_entitlement(
    page: Page, sign_in: SignIn, axe: Check, narrow: Check, make_worker: MakeWorker
) -> None:
    # A new assistant practitioner, so the demo's own entitlements (Chris Taylor's, for
    # chest examinations) stay as other tests expect them.
    make_worker("Jordan Reeves")
    sign_in(page, ADMIN, demo.PASSWORD)
    page.goto("/organisation")
    page.get_by_role(
        "link", name="IR(ME)R training and entitlement record of General radiography"
    ).click()
    expect(
        heading(page, "IR(ME)R training and entitlement record: General radiography")
    ).to_be_visible()
    axe(page, "department record")
    narrow(page, "department record")

    page.get_by_role("link", name="Assign or remove authorities").click()
    page.get_by_role("button", name="Assign authority").click()
    expect(error_summary(page)).to_contain_text("Choose the person")
    axe(page, "authorities, with errors")
    narrow(page, "authorities, with errors")
    page.get_by_label("Person", exact=True).select_option(label="Alex Morgan")
    page.get_by_label("IR(ME)R entitlement granter").check()
    page.get_by_label("From").fill("2026-01-01")
    page.get_by_role("button", name="Assign authority").click()
    expect(page.get_by_text("The authority has been recorded.")).to_be_visible()

    page.get_by_role("link", name="Back to the department's record").click()
    page.get_by_role("link", name="Jordan Reeves").click()
    expect(heading(page, "Entitlements and designations: Jordan Reeves")).to_be_visible()
    page.get_by_role("link", name="Grant an IR(ME)R operator entitlement").click()
    page.get_by_label("Exposure").check()
    page.get_by_role("button", name="Grant entitlement").click()
    expect(error_summary(page)).to_contain_text("Choose the modality of the exposures")
    expect(error_summary(page)).to_contain_text("Name the examinations it covers")
    axe(page, "grant form, with errors")
    narrow(page, "grant form, with errors")
    page.get_by_label("Modality").select_option(label="General radiography")
    page.get_by_label("Named examinations").fill("chest")
    page.get_by_label("Granted by").select_option(label="Alex Morgan")
    page.get_by_label("Review date").fill("2027-12-31")
    page.get_by_role("button", name="Grant entitlement").click()
    expect(page.get_by_text("The IR(ME)R operator entitlement has been granted.")).to_be_visible()
    expect(
        page.get_by_role("heading", name="Exposure, general radiography Current")
    ).to_be_visible()
    axe(page, "person's entitlements")
    narrow(page, "person's entitlements")

    page.goto("/organisation/sites")
    axe(page, "sites")
    narrow(page, "sites")

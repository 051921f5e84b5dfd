"""Personal access tokens in a real browser: a person makes one on their account page (with
their password again, a wrong one refused), sees it once, uses it against the API, and revokes
it. Each page and error state is checked with axe, and the token list at 360 px wide."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from portfolio.demo import PASSWORD
from tests.browser.pages import Check, SignIn, error_summary, heading

WHO = "ap@northfield.example"  # Chris Taylor: nothing else in the suite uses their tokens


def test_a_person_makes_uses_and_revokes_a_token(
    page: Page, sign_in: SignIn, axe: Check, narrow: Check, base_url: str
) -> None:
    sign_in(page, WHO)
    page.goto("/account")
    page.get_by_role("link", name="Make or revoke tokens for the API").click()
    expect(heading(page, "Personal access tokens")).to_be_visible()
    axe(page, "personal access tokens")

    page.get_by_role("button", name="Make the token").click()
    expect(error_summary(page)).to_be_focused()
    expect(
        error_summary(page).get_by_role("link", name="Enter a name for the token")
    ).to_be_visible()
    axe(page, "personal access tokens with an error")

    page.get_by_label("Name").fill("Browser test phone")
    page.get_by_role("radio", name=re.compile("Read and write")).check()
    page.get_by_label("Your password").fill("not the password")
    page.get_by_role("button", name="Make the token").click()
    expect(error_summary(page)).to_be_focused()
    expect(
        error_summary(page).get_by_role("link", name="Your password is not correct")
    ).to_be_visible()
    expect(page.locator("[data-token]")).to_have_count(0)
    axe(page, "personal access tokens with a wrong password")

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Make the token").click()
    expect(page.get_by_text("Copy your new token now")).to_be_visible()
    token = page.locator("[data-token]").inner_text().strip()
    assert re.fullmatch(r"isp_[A-Za-z0-9_-]{43}", token)
    axe(page, "a new token shown once")
    narrow(page, "a new token shown once")

    me = page.request.get(f"{base_url}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status == 200
    assert me.json()["email"] == WHO

    page.goto("/account/tokens")
    expect(page.locator("[data-token]")).to_have_count(0)  # shown once only
    row = page.get_by_role("row").filter(has_text="Browser test phone")
    expect(row).to_contain_text(token[:8])
    row.get_by_role("button", name=re.compile("^Revoke")).click()
    expect(page.get_by_text("has been revoked")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="Browser test phone")).to_contain_text("Revoked")
    refused = page.request.get(
        f"{base_url}/api/v1/me", headers={"Authorization": f"Bearer {token}"}
    )
    assert refused.status == 401

"""What people do in the portfolio, in a real browser: each step asserts what the person
would notice on the page, and every page visited is checked with axe (and, where listed, at
360 px wide)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from portfolio import demo
from portfolio.clock import today
from portfolio.people.roles import AccountRole

Check = Callable[[Page, str], None]
SignIn = Callable[..., None]

ADMIN = "admin@northfield.example"
INACTIVE_MESSAGE = "This account is not active. Ask your administrator if you need it again"
HOME_SECTIONS = {
    AccountRole.SUPPORT_WORKER: "Your post",
    AccountRole.SUPERVISOR: "Support workers you supervise",
    AccountRole.EDUCATOR: "Support workers in your organisation",
    AccountRole.ADMIN: "Administration",
}


def heading(page: Page, name: str, level: int = 1) -> Locator:
    return page.get_by_role("heading", level=level, name=name, exact=True)


def error_summary(page: Page) -> Locator:
    return page.locator(".nhsuk-error-summary")


def header_menu(page: Page, name: str) -> Locator:
    return page.get_by_role("navigation", name="Menu").get_by_role("link", name=name, exact=True)


@pytest.mark.parametrize("person", demo.PEOPLE, ids=lambda person: person.email.split("@")[0])
def test_each_demo_account_lands_on_the_home_page_for_its_role(
    page: Page, sign_in: SignIn, axe: Check, narrow: Check, person: demo.DemoPerson
) -> None:
    sign_in(page, person.email)

    expect(page).to_have_url(re.compile(r"/home$"))
    expect(heading(page, f"Hello, {person.name}")).to_be_visible()
    for role, section in HOME_SECTIONS.items():
        shown = expect(heading(page, section, level=2))
        if role in person.roles:
            shown.to_be_visible()
        else:
            shown.to_have_count(0)
    axe(page, f"home page of {person.email}")
    narrow(page, f"home page of {person.email}")


def test_admin_adds_records_edits_and_deactivates_a_person(
    page: Page,
    new_context: Callable[..., BrowserContext],
    sign_in: SignIn,
    axe: Check,
) -> None:
    name, new_name = "Robin Fletcher", "Robin Fletcher-Hale"
    email = f"robin.{uuid.uuid4().hex[:8]}@northfield.example"
    sign_in(page, ADMIN)

    header_menu(page, "People").click()
    expect(heading(page, "People")).to_be_visible()
    expect(page.get_by_role("link", name="Chris Taylor")).to_be_visible()
    axe(page, "people list")

    page.get_by_role("button", name="Add a person").click()  # a link styled as a button
    expect(heading(page, "Add a person")).to_be_visible()
    axe(page, "add a person form")

    page.get_by_role("button", name="Add person").click()
    expect(page).to_have_title(re.compile(r"^Error: Add a person"))
    summary = error_summary(page)
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_be_focused()
    for message in (
        "Enter the person's full name",
        "Enter an email address",
        "Select at least one account role",
    ):
        expect(summary.get_by_role("link", name=message)).to_be_visible()
    axe(page, "add a person form with errors")

    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email address").fill(email)
    page.get_by_role("checkbox", name="Support worker", exact=True).check()
    page.get_by_role("button", name="Add person").click()

    expect(heading(page, f"{name} has been added")).to_be_visible()
    temporary_password = page.locator("#temporary-password").inner_text().strip()
    assert re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}", temporary_password)
    axe(page, "person added, with their temporary password")

    page.get_by_role("link", name="Record their job role").click()
    expect(heading(page, f"Record {name}'s job role")).to_be_visible()
    axe(page, "job role form")
    started = today() - dt.timedelta(days=60)
    page.get_by_label("Job role", exact=True).select_option(label="Clinical support worker")
    page.get_by_label("Agenda for Change band").select_option(label="Band 2")
    page.get_by_label("Department").select_option(label="MRI")
    page.get_by_label("Date started in this post").fill(started.isoformat())
    page.get_by_role("button", name="Record job role").click()

    expect(heading(page, name)).to_be_visible()
    expect(page.get_by_text(f"{name}'s job role has been recorded.")).to_be_visible()
    history = page.get_by_role("region", name="Job role history")
    expect(history).to_contain_text("Clinical support worker")
    expect(history).to_contain_text("MRI")
    axe(page, "profile with a job role")

    page.get_by_role("link", name="Change details").click()
    expect(heading(page, f"Change {name}'s details")).to_be_visible()
    axe(page, "edit details form")
    page.get_by_label("Full name").fill(new_name)
    page.get_by_role("button", name="Save details").click()

    expect(heading(page, new_name)).to_be_visible()
    expect(page.get_by_text(f"{new_name}'s details have been saved.")).to_be_visible()

    page.get_by_role("button", name="Deactivate account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{new_name} Deactivated")
    expect(page.get_by_text(f"{new_name} has been deactivated.")).to_be_visible()
    expect(page.get_by_role("button", name="Reactivate account")).to_be_visible()
    axe(page, "deactivated profile")

    their_page = new_context().new_page()
    sign_in(their_page, email, temporary_password)
    expect(their_page).to_have_url(re.compile(r"/sign-in$"))
    expect(error_summary(their_page)).to_contain_text(INACTIVE_MESSAGE)
    axe(their_page, "sign in refused for a deactivated account")


def test_new_person_must_change_their_temporary_password(
    page: Page, make_person: Callable[..., tuple[str, str]], sign_in: SignIn, axe: Check
) -> None:
    email, temporary_password = make_person("Sasha Brennan")
    new_password = "harbour lantern meadow"

    sign_in(page, email, temporary_password)
    expect(page).to_have_url(re.compile(r"/account/password$"))
    expect(heading(page, "Change your password")).to_be_visible()
    expect(page.get_by_text("You need to choose your own password")).to_be_visible()
    page.goto("/home")  # nothing else opens until the password is changed
    expect(heading(page, "Change your password")).to_be_visible()
    axe(page, "change password, forced at first sign-in")

    page.get_by_label("Current password").fill(temporary_password)
    page.get_by_label("New password", exact=True).fill(new_password)
    page.get_by_label("Confirm new password").fill(new_password + "s")
    page.get_by_role("button", name="Change password").click()
    expect(error_summary(page)).to_contain_text("The passwords do not match")
    expect(page).to_have_title(re.compile(r"^Error: Change your password"))
    axe(page, "change password with a mismatched confirmation")

    page.get_by_label("Current password").fill(temporary_password)
    page.get_by_label("New password", exact=True).fill(new_password)
    page.get_by_label("Confirm new password").fill(new_password)
    page.get_by_role("button", name="Change password").click()
    expect(page).to_have_url(re.compile(r"/home$"))
    expect(page.get_by_text("Your password has been changed.")).to_be_visible()
    expect(heading(page, "Hello, Sasha Brennan")).to_be_visible()
    expect(heading(page, "Your post", level=2)).to_be_visible()


def test_sign_in_errors_then_sign_out_from_the_header(
    page: Page, sign_in: SignIn, axe: Check, narrow: Check
) -> None:
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    expect(heading(page, "Sign in")).to_be_visible()
    axe(page, "sign in")
    narrow(page, "sign in")

    page.get_by_role("button", name="Sign in").click()
    summary = error_summary(page)
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Enter your email address")).to_be_visible()
    expect(summary.get_by_role("link", name="Enter your password")).to_be_visible()
    axe(page, "sign in with errors")
    narrow(page, "sign in with errors")

    sign_in(page, "csw@northfield.example")
    expect(heading(page, "Hello, Jordan Lee")).to_be_visible()
    page.get_by_role("navigation", name="Account").get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    expect(page.get_by_text("You have signed out.")).to_be_visible()
    page.goto("/home")
    expect(heading(page, "Sign in")).to_be_visible()


def test_admin_pages_fit_a_360px_screen(
    page: Page, sign_in: SignIn, axe: Check, narrow: Check
) -> None:
    sign_in(page, ADMIN)

    page.goto("/people")
    expect(heading(page, "People")).to_be_visible()
    narrow(page, "people list")

    page.get_by_role("link", name="Chris Taylor").click()
    expect(heading(page, "Chris Taylor")).to_be_visible()
    history = page.get_by_role("region", name="Job role history")
    expect(history).to_have_attribute("tabindex", "0")
    expect(history.get_by_role("row")).to_have_count(4)  # a header and three changes
    axe(page, "profile with job role history")
    narrow(page, "profile with job role history")

    header_menu(page, "Organisation").click()
    expect(heading(page, "Organisation")).to_be_visible()
    axe(page, "organisation")
    narrow(page, "organisation")

    page.get_by_role("navigation", name="Account").get_by_role("link", name="Your account").click()
    expect(heading(page, "Your account")).to_be_visible()
    axe(page, "your account")
    narrow(page, "your account")

    page.get_by_role("link", name="Change your password").click()
    expect(heading(page, "Change your password")).to_be_visible()
    axe(page, "change password")
    narrow(page, "change password")

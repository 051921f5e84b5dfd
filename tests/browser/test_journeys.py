"""What people do in the portfolio, in a real browser: each step asserts what the person
would notice on the page, and every page visited is checked with axe (and, where listed, at
360 px wide)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from portfolio import demo
from portfolio.core.clock import today
from portfolio.core.roles import AccountRole
from tests.browser.pages import (
    ADMIN,
    Check,
    SignIn,
    error_summary,
    expect_errors,
    header_menu,
    heading,
    open_profile,
    visit,
)

INACTIVE_MESSAGE = "This account is not active. Ask your administrator if you need it again"
HOME_SECTIONS = {
    AccountRole.SUPPORT_WORKER: "Your post",
    AccountRole.SUPERVISOR: "Support workers you supervise",
    AccountRole.EDUCATOR: "Support workers in your organisation",
    AccountRole.ADMIN: "Administration",
}


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

    page.get_by_role("button", name="Deactivate account").click()  # a link styled as a button
    expect(heading(page, f"Deactivate {new_name}'s account")).to_be_visible()
    page.get_by_role("button", name="Deactivate account").click()
    expect_errors(
        page,
        f"Deactivate {new_name}'s account",
        "Select why the account is being deactivated",
    )
    axe(page, "deactivate, no reason given")
    page.get_by_role("radio", name="Moved to another NHS trust or employer").check()
    page.get_by_role("button", name="Deactivate account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{new_name} Left")
    expect(page.get_by_text(f"{new_name} has left")).to_be_visible()
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


def test_admin_assigns_a_supervisor_then_ends_the_supervision(
    page: Page,
    make_person: Callable[..., tuple[str, str]],
    sign_in: SignIn,
    axe: Check,
    narrow: Check,
) -> None:
    name, supervisor = "Jamie Rowe", "Sam Okafor"
    email, _ = make_person(name)
    sign_in(page, ADMIN)
    open_profile(page, email, name)
    expect(page.get_by_text("No supervisor assigned.")).to_be_visible()

    page.get_by_role("link", name="Assign a supervisor").click()
    expect(heading(page, f"Assign a supervisor to {name}")).to_be_visible()
    expect(page.get_by_label("Supervising from")).to_have_value(today().isoformat())
    axe(page, "assign a supervisor")
    narrow(page, "assign a supervisor")

    page.get_by_role("button", name="Assign supervisor").click()
    expect(page).to_have_title(re.compile(r"^Error: Assign a supervisor"))
    summary = error_summary(page)
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Choose a supervisor")).to_be_visible()
    axe(page, "assign a supervisor without choosing one")
    narrow(page, "assign a supervisor without choosing one")

    page.get_by_label("Supervisor", exact=True).select_option(label=supervisor)
    page.get_by_role("button", name="Assign supervisor").click()
    expect(heading(page, name)).to_be_visible()
    expect(page.get_by_text(f"{supervisor} now supervises {name}.")).to_be_visible()

    page.get_by_role("link", name=f"End supervision by {supervisor}").click()
    expect(heading(page, f"End {supervisor}'s supervision of {name}")).to_be_visible()
    expect(page.get_by_text(f"Supervising since {today().day} ")).to_be_visible()
    axe(page, "end supervision")
    narrow(page, "end supervision")

    page.get_by_label("Last day of supervision").fill("")
    page.get_by_role("button", name="End supervision").click()
    expect(page).to_have_title(re.compile(r"^Error: End "))
    summary = error_summary(page)
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Enter the end date")).to_be_visible()
    axe(page, "end supervision without a date")
    narrow(page, "end supervision without a date")

    page.get_by_label("Last day of supervision").fill(today().isoformat())
    page.get_by_role("button", name="End supervision").click()
    expect(heading(page, name)).to_be_visible()
    expect(page.get_by_text(f"{supervisor} no longer supervises {name}.")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^End supervision"))).to_have_count(0)


def test_admin_adds_and_renames_a_department_and_the_organisation_needs_a_name(
    page: Page, sign_in: SignIn, axe: Check, narrow: Check
) -> None:
    suffix = uuid.uuid4().hex[:6]
    department, renamed = f"Interventional radiology {suffix}", f"Vascular imaging {suffix}"
    sign_in(page, ADMIN)

    header_menu(page, "Organisation").click()
    expect(heading(page, "Organisation")).to_be_visible()
    page.get_by_label("Organisation name").fill("")
    page.get_by_role("button", name="Save organisation").click()
    expect(page).to_have_title(re.compile(r"^Error: Organisation"))
    summary = error_summary(page)
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Enter the organisation's name")).to_be_visible()
    axe(page, "organisation with an empty name")
    narrow(page, "organisation with an empty name")
    header_menu(page, "Organisation").click()  # nothing was saved
    expect(page.get_by_label("Organisation name")).to_have_value(demo.ORGANISATION)

    page.get_by_role("button", name="Add a department").click()  # a link styled as a button
    expect(heading(page, "Add a department")).to_be_visible()
    axe(page, "add a department")
    narrow(page, "add a department")

    page.get_by_role("button", name="Save department").click()
    expect(page).to_have_title(re.compile(r"^Error: Add a department"))
    summary = error_summary(page)
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Enter the department's name")).to_be_visible()
    axe(page, "add a department with no name")
    narrow(page, "add a department with no name")

    page.get_by_label("Department name").fill("mri")  # the demo trust has MRI already
    page.get_by_role("button", name="Save department").click()
    expect(
        error_summary(page).get_by_role("link", name="There is already a department with this name")
    ).to_be_visible()
    expect(page.get_by_label("Department name")).to_have_value("mri")
    axe(page, "add a department that already exists")

    page.get_by_label("Department name").fill(department)
    page.get_by_role("button", name="Save department").click()
    expect(heading(page, "Organisation")).to_be_visible()
    expect(page.get_by_text("The department has been saved.")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text=department)).to_be_visible()
    # The design system focuses the success banner once its script has run (scrolling to it):
    # click only after that, or the click can land where the link was before the scroll.
    page.wait_for_load_state("load")

    page.get_by_role("link", name=f"Rename {department}").click()
    expect(heading(page, f"Rename {department}")).to_be_visible()
    expect(page.get_by_label("Department name")).to_have_value(department)
    axe(page, "rename a department")
    narrow(page, "rename a department")

    page.get_by_label("Department name").fill(renamed)
    page.get_by_role("button", name="Save department").click()
    expect(page.get_by_text("The department has been saved.")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text=renamed)).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text=department)).to_have_count(0)


def test_admin_resets_a_password_and_the_person_must_change_it(
    page: Page,
    new_context: Callable[..., BrowserContext],
    make_person: Callable[..., tuple[str, str]],
    sign_in: SignIn,
    axe: Check,
    narrow: Check,
) -> None:
    name = "Morgan Ellis"
    email, first_password = make_person(name)
    sign_in(page, ADMIN)
    open_profile(page, email, name)

    page.get_by_role("button", name="Reset password").click()
    expect(heading(page, f"{name}'s password has been reset")).to_be_visible()
    expect(page.get_by_text("Give this password to them in person")).to_be_visible()
    temporary_password = page.locator("#temporary-password").inner_text().strip()
    assert re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}", temporary_password)
    assert temporary_password != first_password
    axe(page, "password reset, with the temporary password")
    narrow(page, "password reset, with the temporary password")

    page.get_by_role("link", name=f"Go to {name}'s profile").click()
    expect(heading(page, name)).to_be_visible()

    their_page = new_context().new_page()
    sign_in(their_page, email, temporary_password)
    expect(their_page).to_have_url(re.compile(r"/account/password$"))
    expect(heading(their_page, "Change your password")).to_be_visible()


def test_error_pages_for_a_missing_page_and_a_forbidden_one(
    page: Page,
    new_context: Callable[..., BrowserContext],
    sign_in: SignIn,
    axe: Check,
    narrow: Check,
) -> None:
    sign_in(page, "csw@northfield.example")

    assert visit(page, "/people") == 403
    expect(heading(page, "You do not have permission to do this")).to_be_visible()
    expect(page.get_by_text("Your account role does not allow this.")).to_be_visible()
    axe(page, "403 for a support worker")
    narrow(page, "403 for a support worker")

    assert visit(page, "/people/999999") == 404
    expect(page).to_have_title(re.compile(r"^Page not found"))
    expect(heading(page, "Page not found")).to_be_visible()
    axe(page, "404 for a support worker")
    narrow(page, "404 for a support worker")
    page.get_by_role("link", name="Go to your home page").click()
    expect(heading(page, "Hello, Jordan Lee")).to_be_visible()

    admin_page = new_context().new_page()  # an administrator's header has more links
    sign_in(admin_page, ADMIN)
    assert visit(admin_page, "/people/999999") == 404
    expect(heading(admin_page, "Page not found")).to_be_visible()
    expect(header_menu(admin_page, "People")).to_be_visible()
    axe(admin_page, "404 for an administrator")
    narrow(admin_page, "404 for an administrator")


def test_an_administrator_at_an_unknown_address_sees_page_not_found(
    page: Page, sign_in: SignIn
) -> None:
    sign_in(page, ADMIN)
    assert visit(page, "/no-such-page") == 404
    expect(heading(page, "Page not found")).to_be_visible()

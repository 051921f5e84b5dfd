"""A file over the upload limit is caught in the browser (upload-limit.js): the design
system's error message on the file field, the form not sent, everything typed still there."""

from __future__ import annotations

import uuid

import pytest
from flask import Flask
from playwright.sync_api import Page, Request, expect

from portfolio.core.settings import get_settings
from tests.browser.pages import Check, MakeWorker, SignIn, header_menu, heading

LIMIT = 200 * 1024
CANNULATION = "CANN: Peripheral intravenous cannulation"


def test_picking_a_file_over_the_limit_shows_the_error_without_sending(
    page: Page,
    live_app: Flask,
    make_worker: MakeWorker,
    sign_in: SignIn,
    axe: Check,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(
        live_app.extensions,
        "settings",
        get_settings(live_app).changed(attachment_max_bytes=LIMIT),
    )
    sign_in(page, make_worker("Alex Morgan"))
    header_menu(page, "Your evidence").click()
    page.get_by_role("button", name="Log evidence").click()
    expect(heading(page, "Log evidence")).to_be_visible()
    expect(page.locator("#file-hint")).to_have_text("PDF, PNG or JPEG, up to 200 KB")

    sent: list[Request] = []
    page.on("request", lambda request: sent.append(request))
    title = f"Study day {uuid.uuid4().hex[:6]}"
    typed = "A day of cannulation practice, with a certificate at the end."
    page.get_by_role("radio", name="Training record").check()
    page.get_by_label("Title").fill(title)
    page.get_by_label("What happened, and what you learned").fill(typed)
    large = {
        "name": "certificate.pdf",
        "mimeType": "application/pdf",
        "buffer": b"%PDF-" + b"x" * LIMIT,
    }
    page.set_input_files("#file", files=[large])  # type: ignore[list-item]

    error = page.locator("#file-error")
    expect(error).to_have_text("Error: The selected file must be smaller than 200 KB")
    expect(
        page.locator(".nhsuk-form-group--error").filter(has=page.locator("#file"))
    ).to_be_visible()
    expect(page.locator("#file")).to_have_attribute("aria-describedby", "file-hint file-error")
    axe(page, "log evidence with a file over the limit")

    page.get_by_role("button", name="Save evidence").click()
    expect(page.locator("#file")).to_be_focused()
    expect(heading(page, "Log evidence")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value(title)
    expect(page.get_by_label("What happened, and what you learned")).to_have_value(typed)
    assert not [item for item in sent if item.url.endswith("/evidence/new")]

    small = {"name": "certificate.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4"}
    page.set_input_files("#file", files=[small])  # type: ignore[list-item]
    expect(error).to_have_count(0)
    expect(page.locator("#file")).to_have_attribute("aria-describedby", "file-hint")


def test_a_form_too_large_to_read_comes_back_with_what_was_typed(
    page: Page,
    live_app: Flask,
    make_worker: MakeWorker,
    sign_in: SignIn,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A file under the limit whose form is still over the request limit: the server cannot
    read it (413). evidence-draft.js saved what was typed as the draft before sending, and the
    form comes back with it and the limit on the file field."""
    monkeypatch.setitem(live_app.config, "MAX_CONTENT_LENGTH", LIMIT)
    monkeypatch.setitem(
        live_app.extensions,
        "settings",
        get_settings(live_app).changed(max_upload_bytes=LIMIT),
    )
    sign_in(page, make_worker("Jo Lindqvist"))
    header_menu(page, "Your evidence").click()
    page.get_by_role("button", name="Log evidence").click()
    expect(heading(page, "Log evidence")).to_be_visible()
    title = f"Study day {uuid.uuid4().hex[:6]}"
    typed = " ".join(["A day of cannulation practice, with a certificate at the end."] * 20)
    page.get_by_role("radio", name="Training record").check()
    page.get_by_label("Title").fill(title)
    page.get_by_label("What happened, and what you learned").fill(typed)
    page.get_by_role("checkbox", name=CANNULATION).check()
    almost = {
        "name": "certificate.pdf",
        "mimeType": "application/pdf",
        "buffer": b"%PDF-" + b"x" * (LIMIT - 500),
    }
    page.set_input_files("#file", files=[almost])  # type: ignore[list-item]
    expect(page.locator("#file-error")).to_have_count(0)  # the file alone is within the limit

    page.get_by_role("button", name="Save evidence").click()
    expect(page.locator("#file-error")).to_have_text(
        "Error: The selected file must be smaller than 200 KB"
    )
    expect(page.get_by_text("The form was too large to send, so nothing was saved")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value(title)
    expect(page.get_by_label("What happened, and what you learned")).to_have_value(typed)
    expect(page.get_by_role("checkbox", name=CANNULATION)).to_be_checked()

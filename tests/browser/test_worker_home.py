"""The worker's home at 360 px (issue 21, item 9): the main action, "Log evidence", and the
next steps are on the first screen, before the progress charts and the post's details."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.pages import NARROW, Check, MakeWorker, SignIn, heading


def test_log_evidence_and_the_next_steps_are_on_the_first_screen_at_360_px(
    page: Page, make_worker: MakeWorker, sign_in: SignIn, narrow: Check
) -> None:
    email = make_worker("Jordan Hale")
    page.set_viewport_size(NARROW)
    sign_in(page, email)
    expect(heading(page, "Hello, Jordan Hale")).to_be_visible()

    log = page.get_by_role("button", name="Log evidence")  # a link styled as a button
    next_steps = heading(page, "Next steps", level=2)
    for target in (log, next_steps):
        box = target.bounding_box()
        assert box is not None
        assert box["y"] + box["height"] <= NARROW["height"], f"{target} is below the first screen"
    assert "nhsuk-button--secondary" not in (log.get_attribute("class") or "")
    progress = heading(page, "Progress against your scope of practice", level=2).bounding_box()
    assert progress is not None
    assert (next_steps.bounding_box() or {"y": 1e9})["y"] < progress["y"]
    narrow(page, "worker home")

    log.click()
    expect(heading(page, "Log evidence")).to_be_visible()

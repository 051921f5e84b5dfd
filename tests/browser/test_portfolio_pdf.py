"""Printing and verifying a portfolio in a real browser, as a new user would: Priya Patel
(educator) finds Chris Taylor from her home page, downloads his portfolio with the
certificates appended and opens it; the QR code's link leads to the public verify page;
uploading the same PDF there says genuine and an edited copy says not. Every page is checked
with axe, and at 360 px wide."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import BrowserContext, Page, expect
from pypdf import PdfReader

from portfolio.core.clock import today
from tests.browser.pages import Check, SignIn, heading


def test_the_educator_downloads_a_portfolio_and_anyone_can_verify_it(
    page: Page,
    new_context: Callable[..., BrowserContext],
    sign_in: SignIn,
    axe: Check,
    narrow: Check,
    tmp_path: Path,
    live_server: str,
) -> None:
    sign_in(page, "educator@northfield.example")
    page.get_by_role("link", name="Chris Taylor", exact=True).first.click()
    expect(heading(page, "Chris Taylor")).to_be_visible()
    page.get_by_role("link", name="Print Chris Taylor's portfolio (PDF anyone can verify)").click()

    expect(heading(page, "Print Chris Taylor's portfolio")).to_be_visible()
    axe(page, "print a portfolio")
    narrow(page, "print a portfolio")
    page.get_by_label("Add the PDF certificates attached to evidence as appendices").check()
    with page.expect_download(timeout=60_000) as waiting:
        page.get_by_role("button", name="Download the portfolio (PDF)").click()
    download = waiting.value
    assert download.suggested_filename == f"portfolio-chris-taylor-{today().isoformat()}.pdf"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    # Opened: pages under Chris's name, the certificate last under the same header and
    # footer, a code on each and "Page n of m" counting every page.
    reader = PdfReader(io.BytesIO(saved.read_bytes()))
    first = " ".join(reader.pages[0].extract_text().split())
    code = re.search(r"Verification code ([0-9A-Z-]+) ", first)
    numbered = re.search(r"Page 1 of (\d+)", first)
    assert code, first
    assert numbered, first
    assert len(reader.pages) == int(numbered.group(1))
    last = " ".join(reader.pages[-1].extract_text().split())
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in last
    assert "Chris Taylor · Appendix A: bls-certificate.pdf" in last
    assert "Certificate of attendance" in last
    assert "Chris Taylor" in first
    url = f"{live_server}/verify/{code.group(1).replace('-', '')}"  # printed in groups
    qr_links = [annotation.get_object()["/A"]["/URI"] for annotation in reader.pages[0]["/Annots"]]
    assert url in qr_links  # the QR code is this link

    # The QR code leads to the public verify page, in a browser nobody has signed in on.
    public = new_context().new_page()
    public.goto(url)
    expect(heading(public, "Portfolio verification")).to_be_visible()
    expect(public.get_by_text("Chris Taylor", exact=True)).to_be_visible()
    expect(heading(public, re.compile("^Competencies signed off on"), level=2)).to_be_visible()
    expect(public.get_by_role("cell", name=re.compile("^CANN: "))).to_be_visible()
    axe(public, "verification page")
    narrow(public, "verification page")

    public.get_by_role("link", name="upload it").click()
    expect(heading(public, "Check a portfolio PDF")).to_be_visible()
    axe(public, "upload check")
    narrow(public, "upload check")
    public.get_by_label("Upload the portfolio PDF").set_input_files(str(saved))
    public.get_by_role("button", name="Check the PDF").click()
    expect(public.get_by_role("heading", name="This PDF is genuine")).to_be_visible()
    axe(public, "genuine upload")

    edited = tmp_path / "edited.pdf"
    edited.write_bytes(saved.read_bytes().replace(b"Chris Taylor", b"Chris Tailor", 1))
    public.goto("/verify")
    public.get_by_label("Upload the portfolio PDF").set_input_files(str(edited))
    public.get_by_role("button", name="Check the PDF").click()
    expect(public.get_by_text("This PDF is not a recorded export")).to_be_visible()
    expect(public.get_by_text("Chris Taylor")).to_have_count(0)
    axe(public, "edited upload")

    public.get_by_role("button", name="Check the PDF").click()
    expect(public.locator(".nhsuk-error-summary")).to_contain_text(
        "Select the portfolio PDF to check"
    )
    axe(public, "upload check with an error")

"""Rendering a portfolio document without a database: plain data in, PDF bytes out, read
back with pypdf; and a render that runs too long or grows too large stops cleanly."""

from __future__ import annotations

import dataclasses
import functools
import io
import logging

import pytest
from pypdf import PdfReader, PdfWriter

from portfolio.core.sandbox import Stop, StoppedError, run_limited
from portfolio.pdf.document import Appendix, Image, Verification
from portfolio.pdf.fetcher import Asset
from portfolio.pdf.render import render_html, render_pdf
from tests.pdf.documents import SECTIONS, sign_off, small_document


def _titles(reader: PdfReader) -> list[str]:
    return [item.title for item in reader.outline if not isinstance(item, list)]


def _blank_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def test_every_page_carries_the_name_the_code_and_page_x_of_y() -> None:
    rendered = render_pdf(small_document(evidence=12), {}, [], max_pages=50)
    reader = PdfReader(io.BytesIO(rendered.content))
    assert len(reader.pages) == rendered.pages > 9
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"Page {number} of {rendered.pages}" in text
        assert "Chris Taylor · competency portfolio" in text
        assert "Verification code TESTCODE" in text


def test_each_section_is_a_bookmark_and_appendices_follow_the_numbered_pages() -> None:
    document = small_document(
        appendices=(
            Appendix("A", "bls.pdf", "Basic life support", "a" * 64),
            Appendix("B", "ilS.pdf", "Intermediate life support", "b" * 64),
        )
    )
    rendered = render_pdf(document, {}, [_blank_pdf(2), _blank_pdf(1)], max_pages=50)
    reader = PdfReader(io.BytesIO(rendered.content))
    assert len(reader.pages) == rendered.pages + 3
    assert _titles(reader) == [*SECTIONS, "Appendix A: bls.pdf", "Appendix B: ilS.pdf"]
    first, second = (item for item in reader.outline if "Appendix " in getattr(item, "title", ""))
    assert reader.get_destination_page_number(first) == rendered.pages
    assert reader.get_destination_page_number(second) == rendered.pages + 2
    # Every appendix page carries the portfolio's header and footer, numbered with the rest.
    total = len(reader.pages)
    for number in range(rendered.pages + 1, total + 1):
        text = reader.pages[number - 1].extract_text()
        assert f"Page {number} of {total}" in text
        assert "Verification code TESTCODE" in text
    assert "Chris Taylor · Appendix A: bls.pdf" in reader.pages[rendered.pages].extract_text()
    assert "Chris Taylor · Appendix A: bls.pdf" in reader.pages[rendered.pages + 1].extract_text()
    assert "Chris Taylor · Appendix B: ilS.pdf" in reader.pages[-1].extract_text()
    # The numbered pages count the appendices too: one "of" for the whole file.
    assert f"Page 1 of {total}" in reader.pages[0].extract_text()
    assert reader.metadata is not None
    assert reader.metadata.title == "Competency portfolio: Chris Taylor"


def _structure_roles(reader: PdfReader) -> set[str]:
    """Every structure element's role (/S) in the PDF's tag tree."""
    roles: set[str] = set()
    stack = [reader.trailer["/Root"]["/StructTreeRoot"].get_object()]
    while stack:
        node = stack.pop()
        if "/S" in node:
            roles.add(str(node["/S"]))
        kids = node.get("/K")
        if kids is None:
            continue
        kids = kids.get_object()
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict):
                stack.append(kid)
    return roles


@pytest.mark.parametrize("appendices", [0, 1], ids=["alone", "with an appendix"])
def test_the_pdf_is_tagged_for_screen_readers_in_english(
    appendices: int, caplog: pytest.LogCaptureFixture
) -> None:
    document = small_document(
        appendices=(Appendix("A", "bls.pdf", "Basic life support", "a" * 64),)[:appendices]
    )
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        rendered = render_pdf(document, {}, [_blank_pdf(1)][:appendices], max_pages=50)
    # WeasyPrint says when it cannot tag something (an image without alternative text).
    assert [record.getMessage() for record in caplog.records] == []
    reader = PdfReader(io.BytesIO(rendered.content))
    catalogue = reader.trailer["/Root"]
    assert bool(catalogue["/MarkInfo"]["/Marked"])
    assert catalogue["/Lang"] == "en-GB"
    roles = _structure_roles(reader)
    assert {"/H1", "/P", "/Table", "/TH", "/TD"} <= roles, roles
    assert len(reader.pages) == rendered.pages + appendices


def test_sign_offs_print_the_assessor_register_conditions_and_transcription() -> None:
    document = small_document(
        sign_offs=(
            sign_off(),
            sign_off(
                "CORE-BLS",
                title="Basic life support",
                assessor="Resuscitation training team",
                register=None,
                register_number=None,
                conditions=(),
                transcribed=True,
                transcribed_from="Trust resuscitation training record, seen by Priya Patel",
                countersignature="Not required",
                standing="Expired (valid until 2 March 2026)",
            ),
        )
    )
    text = " ".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(render_pdf(document, {}, [], max_pages=50).content)).pages
    )
    text = " ".join(text.split())
    assert "Health and Care Professions Council (HCPC) RA123456" in text
    assert "Adults only" in text
    assert "Priya Patel, 2 March 2026" in text
    assert "Transcribed from Trust resuscitation training record, seen by Priya Patel" in text
    assert "Not transcribed: entered their own password on the worker's device" in text
    assert "Conditions: Adults only" in text
    assert "Expired (valid until 2 March 2026)" in text


def test_names_and_text_are_escaped_and_evidence_keeps_only_its_formatting() -> None:
    document = small_document()
    evil = dataclasses.replace(
        document,
        cover=dataclasses.replace(document.cover, name='<img src="http://127.0.0.1:9/x">Eve'),
        evidence=(
            dataclasses.replace(
                document.evidence[0],
                text='**Bold** <script>x</script> <img src="file:///etc/passwd">',
                images=(Image("attachment/abc", "photo <1>.png"),),
            ),
        ),
    )
    html = render_html(evil)
    assert '<img src="http' not in html
    assert "&lt;img src=&#34;http://127.0.0.1:9/x&#34;&gt;Eve" in html
    assert "<strong>Bold</strong>" in html
    assert "<script>" not in html
    assert '<img src="file:' not in html
    assert 'alt="photo &lt;1&gt;.png"' in html


def test_an_image_attached_to_evidence_is_drawn() -> None:
    from PIL import Image as PILImage

    output = io.BytesIO()
    PILImage.new("RGB", (300, 200), (0, 94, 184)).save(output, "PNG")
    document = small_document()
    with_image = dataclasses.replace(
        document,
        evidence=(
            dataclasses.replace(
                document.evidence[0], images=(Image("attachment/abc", "whiteboard.png"),)
            ),
        ),
    )
    images = {"attachment/abc": Asset(output.getvalue(), "image/png")}
    reader = PdfReader(io.BytesIO(render_pdf(with_image, images, [], max_pages=50).content))
    drawn = [image for page in reader.pages for image in page.images]
    # (WeasyPrint shares one resource dictionary between pages: each lists the picture.)
    assert {image.image.size for image in drawn} == {(300, 200)}


def test_a_portfolio_longer_than_the_page_limit_stops_with_a_message() -> None:
    with pytest.raises(StoppedError) as stopped:
        render_pdf(small_document(evidence=12), {}, [], max_pages=3)
    assert stopped.value.why is Stop.REFUSED
    assert "more than the 3 allowed" in stopped.value.message


def test_a_render_in_a_limited_child_comes_back_whole() -> None:
    rendered = run_limited(
        functools.partial(render_pdf, max_pages=50),
        small_document(),
        {},
        [],
        seconds=60,
        memory_mb=512,
    )
    assert rendered.content.startswith(b"%PDF-")
    assert len(PdfReader(io.BytesIO(rendered.content)).pages) == rendered.pages


def test_the_footer_never_splits_the_verification_code_or_its_address() -> None:
    # An older code (base64url, with hyphens) under a long public address: the footer once
    # broke the address at a hyphen inside the code, so a reader typed half of it.
    code = "Zq-7xKp2-Lm9_Wv3-Rt8Ny4"
    url = f"https://imaging-support-portfolio.northfield-teaching-hospitals.example/verify/{code}"
    document = dataclasses.replace(small_document(), verification=Verification(code, url))
    rendered = render_pdf(document, {}, [], max_pages=50)
    for page in PdfReader(io.BytesIO(rendered.content)).pages:
        lines = page.extract_text().splitlines()
        assert any(url in line for line in lines), lines
        assert any(f"Verification code {code}" in line for line in lines), lines


def test_a_new_code_is_printed_in_groups_of_four_on_one_line() -> None:
    code = "ABCD2345EFGH6789JKMNPQRSTUVW"
    document = dataclasses.replace(
        small_document(),
        verification=Verification(code, f"https://portfolio.example/verify/{code}"),
    )
    rendered = render_pdf(document, {}, [], max_pages=50)
    for page in PdfReader(io.BytesIO(rendered.content)).pages:
        lines = page.extract_text().splitlines()
        assert "Verification code ABCD-2345-EFGH-6789-JKMN-PQRS-TUVW" in lines, lines


def test_a_turned_or_odd_sized_appendix_page_is_drawn_inside_the_header_and_footer() -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=842, height=595).rotate(90)  # A4 landscape, turned
    writer.add_blank_page(width=1000, height=300)
    output = io.BytesIO()
    writer.write(output)
    document = small_document(appendices=(Appendix("A", "wide.pdf", "Wide", "c" * 64),))
    rendered = render_pdf(document, {}, [output.getvalue()], max_pages=50)
    reader = PdfReader(io.BytesIO(rendered.content))
    assert len(reader.pages) == rendered.pages + 2
    for page in reader.pages[rendered.pages :]:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
        assert "Chris Taylor · Appendix A: wide.pdf" in page.extract_text()

"""Certificates printed as appendices: each page of an uploaded PDF is placed, scaled to fit,
inside one of the blank pages the portfolio template left for it (`appendix_pages` in
templates/pdf/portfolio.html), so an appendix page carries the same running header (the
person, and which appendix) and footer (the verification code, "Page n of m", m counting
every page) as the numbered pages. Each appendix keeps a top-level bookmark of its own."""

from __future__ import annotations

import io
from collections.abc import Sequence

from pypdf import PageObject, PdfReader, PdfWriter, Transformation

from portfolio.pdf.document import PortfolioDocument

MM = 72 / 25.4
# The content box of an A4 page under templates/pdf/portfolio.css's @page margins.
A4 = (210 * MM, 297 * MM)
MARGINS = {"top": 20 * MM, "right": 16 * MM, "bottom": 22 * MM, "left": 16 * MM}


def page_counts(appendices: Sequence[bytes]) -> list[int]:
    return [len(PdfReader(io.BytesIO(content)).pages) for content in appendices]


def place_appendices(
    portfolio: bytes,
    document: PortfolioDocument,
    appendices: Sequence[bytes],
    *,
    first_page: int,
) -> bytes:
    """The portfolio with each appendix's pages drawn into its blank pages, from the page
    index `first_page` on. The portfolio is cloned whole, so its catalogue keeps its
    structure tree (the tags), its language and its bookmarks."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(portfolio)))
    index = first_page
    for appendix, content in zip(document.appendices, appendices, strict=True):
        writer.add_outline_item(
            title=f"Appendix {appendix.letter}: {appendix.filename}", page_number=index
        )
        for source in PdfReader(io.BytesIO(content)).pages:
            _draw_inside(writer.pages[index], source)
            index += 1
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _draw_inside(target: PageObject, source: PageObject) -> None:
    """The source page, upright, scaled to fit the content box and centred in it."""
    if source.rotation:  # a page turned by /Rotate: turn its content instead (in a writer)
        source = PdfWriter().add_page(source)
        source.transfer_rotation_to_content()
    box = source.mediabox
    width, height = float(box.width), float(box.height)
    room_x = A4[0] - MARGINS["left"] - MARGINS["right"]
    room_y = A4[1] - MARGINS["top"] - MARGINS["bottom"]
    scale = min(room_x / width, room_y / height)
    x = MARGINS["left"] + (room_x - width * scale) / 2 - float(box.left) * scale
    y = MARGINS["bottom"] + (room_y - height * scale) / 2 - float(box.bottom) * scale
    target.merge_transformed_page(source, Transformation().scale(scale).translate(x, y))

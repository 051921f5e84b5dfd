"""One small renderer: a `PortfolioDocument` in, PDF bytes out.

Templates are the Jinja files in `templates/pdf/`, with their own environment (autoescaped,
strict about undefined names) so rendering needs no Flask app and no request: a job process
can call `render_pdf` as a page does. Sub-resources come only through `AssetFetcher`: the
print stylesheet, the logo, the QR code (made here from the verification address) and the
evidence images the caller read from the attachment store. Certificates asked for as
appendices are drawn into pages left for them after the portfolio's own, with the same header
and footer and each under a bookmark of its own (`pdf.appendices`).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import segno
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from weasyprint import HTML

from portfolio.core.sandbox import Stop, StoppedError
from portfolio.core.templating import format_date, format_datetime
from portfolio.evidence.text import render as evidence_text
from portfolio.pdf.appendices import page_counts, place_appendices
from portfolio.pdf.document import PortfolioDocument
from portfolio.pdf.fetcher import Asset, AssetFetcher, asset_url
from portfolio.progress.charts import progress_bars

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "pdf"
# The app's own files a portfolio may use, by the name the fetcher serves them under.
OWN_ASSETS = {"portfolio.css": "text/css", "logo.svg": "image/svg+xml"}
QR = "qr.svg"


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int  # the numbered portfolio, without appendices


@cache
def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["date"] = format_date
    environment.filters["datetime"] = format_datetime
    environment.globals.update(
        asset=asset_url, evidence_text=evidence_text, progress_bars=progress_bars
    )
    return environment


@cache
def own_assets() -> dict[str, Asset]:
    return {
        name: Asset((TEMPLATES / name).read_bytes(), media_type)
        for name, media_type in OWN_ASSETS.items()
    }


def qr_code(url: str) -> Asset:
    """The verification address as a QR code in SVG (vector: sharp at any print size)."""
    output = io.BytesIO()
    segno.make(url, error="m").save(
        output, kind="svg", scale=4, border=4, dark="#212b32", xmldecl=False
    )
    return Asset(output.getvalue(), "image/svg+xml")


def render_html(document: PortfolioDocument, appendix_pages: Sequence[int] = ()) -> str:
    """`appendix_pages`: how many pages each appendix has, so as many are left for it."""
    return (
        _environment()
        .get_template("portfolio.html")
        .render(document=document, appendix_pages=list(appendix_pages))
    )


def assets_for(document: PortfolioDocument, images: Mapping[str, Asset]) -> dict[str, Asset]:
    """Everything the document may fetch: the app's own files, its QR code and its images."""
    return {**images, **own_assets(), QR: qr_code(document.verification.url)}


def render_pdf(
    document: PortfolioDocument,
    images: Mapping[str, Asset],
    appendices: Sequence[bytes],
    *,
    max_pages: int,
) -> RenderedPdf:
    """The portfolio as PDF bytes, appendices merged after it in `document.appendices`'
    order. Refuses (`StoppedError`) before writing a document of more than `max_pages`."""
    fetcher = AssetFetcher(assets_for(document, images))
    counts = page_counts(appendices)
    laid_out = HTML(string=render_html(document, counts), url_fetcher=fetcher).render()
    pages = len(laid_out.pages) - sum(counts)
    if pages > max_pages:
        raise StoppedError(
            Stop.REFUSED,
            f"The portfolio would run to {pages} pages, more than the {max_pages} allowed",
        )
    # Tagged: headings, paragraphs, lists and tables carry their structure, so a screen
    # reader reads the PDF in order and a table's headers with its cells.
    content = laid_out.write_pdf(pdf_tags=True)
    if appendices:
        content = place_appendices(content, document, appendices, first_page=pages)
    return RenderedPdf(content, pages)

"""Charts as server-rendered SVG: no JavaScript, the same markup on pages and in the PDF.

Each chart carries its own text alternative (`<title>` and `<desc>`, referenced by
`aria-labelledby`), and every number is also printed as text beside its bar, so nothing is
said by colour or length alone. Colours use presentation attributes, never `style`, so the
Content-Security-Policy needs no exception.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from portfolio.progress.rules import DomainProgress

# NHS.UK palette: blue for done, pale grey for the rest (with a dark outline for contrast).
_DONE = "#005eb8"
_REST = "#e8edee"
_OUTLINE = "#4c6272"
_TEXT = "#212b32"

_ROW = 44
_BAR_WIDTH = 300
_LABEL_GAP = 6


def progress_bars(rows: Sequence[DomainProgress], *, chart_id: str, title: str) -> Markup:
    """One bar per domain: its label above, the bar, and "3 of 5" after it.

    Scales to the container's width (viewBox), so it fits a 360px phone and a printed page.
    """
    height = max(len(rows), 1) * _ROW
    width = _BAR_WIDTH + 90
    summary = "; ".join(f"{row.domain}: {row.tally.describe()} competent" for row in rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(summary or "Nothing to count yet")}</desc>',
    ]
    for index, row in enumerate(rows):
        top = index * _ROW
        total = row.tally.total
        filled = 0 if total == 0 else round(_BAR_WIDTH * row.tally.done / total)
        parts += [
            f'<text x="0" y="{top + 14}" font-size="13" fill="{_TEXT}">{escape(row.domain)}</text>',
            f'<rect x="0" y="{top + 20}" width="{_BAR_WIDTH}" height="14" fill="{_REST}" '
            f'stroke="{_OUTLINE}" stroke-width="1"/>',
            f'<rect x="0" y="{top + 20}" width="{filled}" height="14" fill="{_DONE}"/>',
            f'<text x="{_BAR_WIDTH + _LABEL_GAP}" y="{top + 32}" font-size="13" '
            f'fill="{_TEXT}">{escape(row.tally.describe())}</text>',
        ]
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every value above is escaped

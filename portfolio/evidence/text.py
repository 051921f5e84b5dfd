"""The small formatting subset evidence text may use, rendered the same on pages and in PDFs.

People type plain text: a blank line starts a new paragraph, a line starting "- " is a bullet
(also straight after a line of text), **double stars** make bold and _underscores_ italic.
Nothing else becomes markup, and the result passes through nh3 (Ammonia) with only these
tags allowed, so pasted HTML shows as the text it is.
"""

from __future__ import annotations

import re
from itertools import groupby

import nh3
from markupsafe import Markup, escape

ALLOWED_TAGS = {"p", "ul", "li", "strong", "em", "br"}
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])")


def _inline(line: str) -> str:
    text = str(escape(line))
    text = _BOLD.sub(r"<strong>\1</strong>", text)
    return _ITALIC.sub(r"<em>\1</em>", text)


def render(source: str) -> Markup:
    blocks: list[str] = []
    for block in re.split(r"\n\s*\n", source.replace("\r\n", "\n").strip()):
        lines = [line.rstrip() for line in block.split("\n") if line.strip()]
        if not lines:
            continue
        # A block may mix text and bullets ("Steps:" then "- one", "- two"): each run of
        # bullet lines is a list, each run of other lines a paragraph with line breaks.
        for is_item, run in groupby(lines, key=lambda line: line.lstrip().startswith("- ")):
            group = list(run)
            if is_item:
                items = "".join(f"<li>{_inline(line.lstrip()[2:])}</li>" for line in group)
                blocks.append(f"<ul>{items}</ul>")
            else:
                blocks.append("<p>" + "<br>".join(_inline(line) for line in group) + "</p>")
    cleaned = nh3.clean("".join(blocks), tags=ALLOWED_TAGS, attributes={}, link_rel=None)
    return Markup(cleaned)  # noqa: S704 - sanitised by nh3 with the allowlist above

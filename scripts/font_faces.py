"""Moves the design system's `@font-face` rules out of its stylesheet into one of their own.

The NHS.UK stylesheet asks https://assets.nhs.uk for the Frutiger web font, which is licensed
for NHS services from that host only (so the portfolio does not copy it). Without the rules,
pages use the system's Arial or sans-serif and ask no other host for anything; with
`PORTFOLIO_NHS_FONTS_FROM_NHS_HOST` on, the page links the stylesheet of rules written here.
Run by `make assets`: `python3 scripts/font_faces.py STYLESHEET FONT_STYLESHEET`.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")


def split(css: str) -> tuple[str, str]:
    """The stylesheet without its `@font-face` rules, and the rules."""
    rules = FONT_FACE.findall(css)
    return FONT_FACE.sub("", css), "\n".join(rules) + "\n"


def main(stylesheet: str, fonts: str) -> None:
    source = Path(stylesheet)
    rest, rules = split(source.read_text(encoding="utf-8"))
    if "https://" in rest or "http://" in rest:
        raise SystemExit(f"{stylesheet} still names another host once its fonts are moved")
    source.write_text(rest, encoding="utf-8")
    Path(fonts).write_text(rules, encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:3])

"""The app's own stylesheet parses whole: an unclosed block (as a bad merge once left) makes a
browser drop every rule after it, so long names and links ran off a 360 px screen."""

from __future__ import annotations

from pathlib import Path

import tinycss2

STYLESHEET = Path(__file__).parent.parent / "portfolio" / "static" / "portfolio.css"


def _errors(rules: list[tinycss2.ast.Node]) -> list[str]:
    found = []
    for rule in rules:
        if rule.type == "error":
            found.append(f"line {rule.source_line}: {rule.message}")
        elif rule.type == "at-rule" and rule.content is not None:
            found += _errors(tinycss2.parse_rule_list(rule.content))
    return found


def test_every_rule_of_the_stylesheet_is_closed_and_parses() -> None:
    text = STYLESHEET.read_text()
    rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    assert _errors(rules) == []
    # tinycss2 closes an unclosed block at the end of the file without an error: count them.
    assert text.count("{") == text.count("}")


def test_the_rule_that_wraps_long_email_addresses_is_a_top_level_rule() -> None:
    rules = tinycss2.parse_stylesheet(
        STYLESHEET.read_text(), skip_comments=True, skip_whitespace=True
    )
    selectors = [
        tinycss2.serialize(rule.prelude).strip() for rule in rules if rule.type == "qualified-rule"
    ]
    assert any(".app-wrap-anywhere label" in selector for selector in selectors)

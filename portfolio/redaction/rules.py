"""Finding and replacing the text to redact: pure functions over plain strings.

The educator pastes the exact text that should not be there (an NHS number, a patient's
name); every occurrence in every place of the record is replaced with MARKER. Matching
ignores case and treats any run of spaces, tabs or line breaks as one space, so text copied
from a page still matches what was typed with a line break or a no-break space in it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

MARKER = "[redacted]"
SHORTEST = 2  # a single character would wipe out every word that holds it
LONGEST = 500


@dataclass(frozen=True)
class Refusal:
    field: str
    message: str


def pattern(text: str) -> re.Pattern[str]:
    words = text.split()
    return re.compile(r"\s+".join(re.escape(word) for word in words), re.IGNORECASE)


def refusal(text: str, reason: str) -> Refusal | None:
    """Why this redaction cannot be made, or None. The reason must not repeat the text, or
    the redaction would keep what it removes."""
    wanted = " ".join(text.split())
    if not wanted:
        return Refusal("text", "Enter the text to remove")
    if len(wanted) < SHORTEST:
        return Refusal("text", f"Enter at least {SHORTEST} characters of the text to remove")
    if len(wanted) > LONGEST:
        return Refusal("text", f"Enter at most {LONGEST} characters: only the text to remove")
    found = pattern(wanted)
    if found.search(MARKER):
        return Refusal("text", f"Enter the text to remove, not part of {MARKER}")
    if not reason.strip():
        return Refusal("reason", "Enter the reason for the redaction")
    if found.search(reason):
        return Refusal("reason", "Do not repeat the text being removed in the reason")
    return None


def occurrences(text: str, value: str | None) -> int:
    if not value:
        return 0
    return len(pattern(text).findall(value))


def redact(text: str, value: str, limit: int | None = None) -> str:
    """`value` with every occurrence of `text` replaced by MARKER. Where a column holds at
    most `limit` characters and the marker makes it longer, the end gives way (ending "…"):
    a redaction must always be possible."""
    result = pattern(text).sub(MARKER, value)
    if limit is not None and len(result) > limit:
        return result[: limit - 1] + "…"
    return result


def describe(found: Iterable[tuple[str, int]]) -> tuple[str, ...]:
    """'Version 2: text (3 times)', one line per place it was found."""
    return tuple(
        f"{label} ({count} time{'s' if count != 1 else ''})" for label, count in found if count
    )

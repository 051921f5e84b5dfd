"""The patient identifier guard: NHS numbers must not end up in a portfolio.

A portfolio is read by supervisors, educators and, when someone moves trust, another
organisation, so it must not identify patients. The guard looks for NHS numbers (and the
numbers that share their shape and checksum: Scottish CHI numbers, Northern Ireland H&C
numbers) in free text, file names and the text of uploaded PDFs.

About 1 in 11 random 10-digit strings pass the Modulus 11 check, so a passing number alone
is not proof: an order number can pass too. A passing number is refused outright when it is
written the way NHS numbers are shown (3-3-4) or sits beside words such as NHS, CHI or
patient; otherwise the support worker confirms it is not a patient identifier.

Pure functions over plain strings: no Flask, no database.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = [
    "CONTEXT_WINDOW",
    "Finding",
    "GuardResult",
    "Kind",
    "check_fields",
    "check_text",
    "find_patient_identifiers",
    "format_nhs_number",
    "highlight",
    "nhs_number_is_valid",
]

# How far (in characters, either side) a word such as "NHS" or "patient" still counts as
# describing a number.
CONTEXT_WINDOW = 40

_WEIGHTS = (10, 9, 8, 7, 6, 5, 4, 3, 2)

# Text pasted from web pages, letters and PDFs often carries no-break or thin spaces and
# typographic hyphens instead of the plain ones; a number written with them is still 3-3-4.
# Tabs and line breaks (PDF tables), dots and slashes, and short runs of them ("943  476  5919")
# are separators too: otherwise the guard is one keystroke from useless.
_SEPARATORS = " \u00a0\u2009\u202f-\u2010\u2011\u2013\t\n\r./"
_SEP = f"(?:[{re.escape(_SEPARATORS)}]{{1,3}})"

# \d on purpose (any script's digits, full-width ones included): a number typed with an
# input method that produces them still identifies the patient. (?<!\d) and (?!\d) keep
# out numbers that are only part of a longer run: an 11-digit phone number, a 12-digit
# reference.
_CANDIDATE = re.compile(rf"(?<!\d)(\d{{3}})({_SEP}?)(\d{{3}})({_SEP}?)(\d{{4}})(?!\d)")

# A UK phone number written internationally ("+44 161 496 0000") leaves ten digits after
# the country code: those are a phone number, not a patient.
_DIALLING_CODE_BEFORE = re.compile(rf"\+\d{{1,3}}{_SEP}?(?:\(0\){_SEP}?)?\Z")

# Words that say a nearby number belongs to a patient. A context word is bounded by
# anything but a letter, so "NHS9434765919", "pt:" and "patient_id" count while "chip",
# "script" and "NHSScotland" do not.
_CONTEXT = re.compile(
    r"(?<![^\W\d_])(?:"
    r"nhs"  # also "NHS no", "NHS number"
    r"|chi"  # Scotland's Community Health Index number
    r"|h\s?&\s?c"  # Northern Ireland's Health and Care number
    r"|mrn"  # medical record number
    r"|hosp(?:ital)?\.?\s*(?:number|num|no)"
    r"|(?:(?:in|out)[ -]?)?patients?"
    r"|pts?"
    r"|d\.?o\.?b"
    r"|date\s+of\s+birth"
    r")(?![^\W\d_])",
    re.IGNORECASE,
)


class Kind(enum.StrEnum):
    REFUSE = "refuse"  # blocks the save until the number is removed
    CONFIRM = "confirm"  # blocks the save until the user confirms it is not a patient's


@dataclass(frozen=True)
class Finding:
    """A number in the text that could be an NHS number, and where it was written."""

    start: int  # offsets into the original text, covering the number as written
    end: int
    number: str  # the ten digits, without separators
    kind: Kind

    @property
    def formatted(self) -> str:
        return format_nhs_number(self.number)


@dataclass(frozen=True)
class GuardResult:
    """What the guard found in one piece of text, and what still blocks saving it."""

    refused: tuple[Finding, ...] = ()
    to_confirm: tuple[Finding, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.refused and not self.to_confirm

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Everything that blocks the save, in the order written: what to highlight."""
        return tuple(sorted(self.refused + self.to_confirm, key=lambda finding: finding.start))

    @property
    def numbers_to_confirm(self) -> tuple[str, ...]:
        """Each number the user may confirm, once, in the order written."""
        return _distinct(finding.number for finding in self.to_confirm)

    def message(self, *, file_name: bool = False) -> str:
        """Why the text cannot be saved yet, in plain English; empty when it can. With
        `file_name` the text is an uploaded file's name: the message says so, and that the
        remedy is to rename the file."""
        sentences: list[str] = []
        refused = [format_nhs_number(n) for n in _distinct(f.number for f in self.refused)]
        to_confirm = [format_nhs_number(n) for n in self.numbers_to_confirm]
        if file_name:
            return _file_name_message(refused, to_confirm)
        if len(refused) == 1:
            sentences.append(
                f"This looks like an NHS number ({refused[0]}). "
                "Remove it: portfolios must not contain patient identifiers."
            )
        elif refused:
            sentences.append(
                f"These look like NHS numbers ({_and_list(refused)}). "
                "Remove them: portfolios must not contain patient identifiers."
            )
        if len(to_confirm) == 1:
            sentences.append(
                f"{to_confirm[0]} could be an NHS number. "
                "If it is not a patient identifier, tick to confirm."
            )
        elif to_confirm:
            sentences.append(
                f"{_and_list(to_confirm)} could be NHS numbers. "
                "If they are not patient identifiers, tick to confirm."
            )
        return " ".join(sentences)


def nhs_number_is_valid(digits: str) -> bool:
    """Whether ten digits (no spaces or hyphens) pass the NHS number Modulus 11 check.

    Digits 1 to 9 are weighted 10 down to 2; the remainder of their sum divided by 11 is
    subtracted from 11. A result of 11 means a check digit of 0; a result of 10 means the
    number is never issued, so no number with that start is valid.
    """
    if re.fullmatch(r"[0-9]{10}", digits) is None:
        return False
    total = sum(int(digit) * weight for digit, weight in zip(digits[:9], _WEIGHTS, strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def format_nhs_number(digits: str) -> str:
    """Ten digits shown the NHS way, 3-3-4 with spaces: "943 476 5919"."""
    plain = _plain_digits(digits)
    if re.fullmatch(r"[0-9]{10}", plain) is None:
        raise ValueError(f"An NHS number has 10 digits, not {digits!r}")
    return f"{plain[:3]} {plain[3:6]} {plain[6:]}"


def find_patient_identifiers(text: str) -> list[Finding]:
    """Every 10-digit number in the text that passes the NHS number check, in order.

    A number is found written contiguously or 3-3-4 (either separator may be missing), but
    not inside a longer run of digits. It is REFUSE when written with both separators or
    with a context word within CONTEXT_WINDOW characters; otherwise CONFIRM. A number
    refused once is refused wherever else it appears in the same text: the writer has
    already said whose it is.

    Numbers are not refused for looking like a date: CHI numbers start with one, but so do
    plenty of order and batch numbers, so a CHI number needs its context word like any other.
    """
    context = [(word.start(), word.end()) for word in _CONTEXT.finditer(text)]
    findings = []
    for candidate in _CANDIDATE.finditer(text):
        start, end = candidate.span()
        number = "".join(str(unicodedata.decimal(ch)) for ch in "".join(candidate.group(1, 3, 5)))
        if not nhs_number_is_valid(number):
            continue
        if _DIALLING_CODE_BEFORE.search(text, max(0, start - 12), start):
            continue
        shown_as_nhs_number = bool(candidate.group(2) and candidate.group(4))
        described = any(
            word_end >= start - CONTEXT_WINDOW and word_start <= end + CONTEXT_WINDOW
            for word_start, word_end in context
        )
        kind = Kind.REFUSE if shown_as_nhs_number or described else Kind.CONFIRM
        findings.append(Finding(start, end, number, kind))
    return _refuse_everywhere(findings, {f.number for f in findings if f.kind is Kind.REFUSE})


def check_text(text: str, confirmed: Collection[str] = ()) -> GuardResult:
    """Whether the text may be saved: refused numbers always block; the others block
    unless their number is among those the user confirmed are not patient identifiers."""
    return _judge(find_patient_identifiers(text), confirmed)


def check_fields(
    fields: Mapping[str, str], confirmed: Collection[str] = ()
) -> dict[str, GuardResult]:
    """check_text for every field of a form, keeping only the fields with problems.

    A number refused in one field is refused in every field: a confirmation cannot clear in
    the title what the body calls an NHS number.
    """
    found = {name: find_patient_identifiers(text) for name, text in fields.items()}
    refused = {f.number for findings in found.values() for f in findings if f.kind is Kind.REFUSE}
    results = {
        name: _judge(_refuse_everywhere(findings, refused), confirmed)
        for name, findings in found.items()
    }
    return {name: result for name, result in results.items() if not result.ok}


def highlight(text: str, findings: Sequence[Finding]) -> Markup:
    """The text, HTML-escaped, with each finding marked so the user can see what to fix."""
    parts: list[str] = []
    position = 0
    for finding in sorted(findings, key=lambda f: f.start):
        if finding.start < position or finding.end > len(text):
            continue  # overlaps one already marked, or belongs to another text
        parts.append(escape(text[position : finding.start]))
        parts.append(
            Markup('<mark class="app-identifier">{}</mark>').format(
                text[finding.start : finding.end]
            )
        )
        position = finding.end
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def _judge(findings: Iterable[Finding], confirmed: Collection[str]) -> GuardResult:
    # A confirmation comes back from the page as a form value: accept it as shown (3-3-4)
    # as well as bare.
    cleared = {_plain_digits(number) for number in confirmed}
    refused: list[Finding] = []
    to_confirm: list[Finding] = []
    for finding in findings:
        if finding.kind is Kind.REFUSE:
            refused.append(finding)
        elif finding.number not in cleared:
            to_confirm.append(finding)
    return GuardResult(tuple(refused), tuple(to_confirm))


def _refuse_everywhere(findings: list[Finding], refused: Collection[str]) -> list[Finding]:
    return [
        Finding(f.start, f.end, f.number, Kind.REFUSE) if f.number in refused else f
        for f in findings
    ]


def _plain_digits(value: str) -> str:
    return "".join(ch for ch in value.strip() if ch not in _SEPARATORS)


def _file_name_message(refused: Sequence[str], to_confirm: Sequence[str]) -> str:
    """GuardResult.message for an uploaded file's name: the number is in the name, so the
    person renames the file (there is no text on the page to remove it from)."""
    sentences: list[str] = []
    if refused:
        what, them = (
            ("what looks like an NHS number", "it")
            if len(refused) == 1
            else ("what look like NHS numbers", "them")
        )
        sentences.append(
            f"The file's name has {what} in it ({_and_list(refused)}). Rename the file without "
            f"{them} and upload it again: portfolios must not contain patient identifiers."
        )
    if to_confirm:
        could, not_one = (
            ("an NHS number", "it is not a patient identifier")
            if len(to_confirm) == 1
            else ("NHS numbers", "they are not patient identifiers")
        )
        sentences.append(
            f"The file's name has {_and_list(to_confirm)} in it, which could be {could}. "
            f"If {not_one}, tick to confirm; otherwise rename the file and upload it again."
        )
    return " ".join(sentences)


def _distinct(numbers: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(numbers))


def _and_list(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


class IdentifierFoundError(Exception):
    """Text that looks like a patient identifier: nothing is saved until it is resolved."""

    def __init__(self, results: Mapping[str, GuardResult]) -> None:
        super().__init__("possible patient identifier")
        self.results = dict(results)


def guard(fields: Mapping[str, str], confirmed: Collection[str] = ()) -> None:
    """Stop a save while any field holds what may be a patient identifier."""
    problems = check_fields(fields, confirmed)
    if problems:
        raise IdentifierFoundError(problems)

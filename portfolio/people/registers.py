"""Professional registers: validating and normalising registration numbers.

Pure functions, no Flask. A number that looks right is not proof of registration: the
product also records when someone checked the public register and what it said.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass


class RegisterType(enum.StrEnum):
    NONE = "none"
    HCPC = "hcpc"
    NMC = "nmc"
    # Doctors, radiologists among them (E18: they assess scrub support, contrast and vascular
    # access).
    GMC = "gmc"
    # The Register of Clinical Technologists, accredited by the Professional Standards
    # Authority: sonographers since the Public Voluntary Register of Sonographers moved there
    # in 2021 (SoR, December 2020 and January 2021; E18).
    RCT = "rct"

    @property
    def label(self) -> str:
        return REGISTER_LABELS[self]

    @property
    def short(self) -> str:
        """The register's initials, as staff say them ("HCPC registration")."""
        return self.value.upper()


REGISTER_LABELS = {
    RegisterType.NONE: "Not registered",
    RegisterType.HCPC: "Health and Care Professions Council (HCPC)",
    RegisterType.NMC: "Nursing and Midwifery Council (NMC)",
    RegisterType.GMC: "General Medical Council (GMC)",
    RegisterType.RCT: "Register of Clinical Technologists (RCT)",
}


class Radiography(enum.StrEnum):
    """The part of the HCPC register a radiographer is on: the register shows diagnostic or
    therapeutic (E18). A diagnostic radiographer assesses imaging, a therapeutic radiographer
    radiotherapy."""

    DIAGNOSTIC = "diagnostic"
    THERAPEUTIC = "therapeutic"

    @property
    def label(self) -> str:
        return {"diagnostic": "Diagnostic radiographer", "therapeutic": "Therapeutic radiographer"}[
            self.value
        ]


# HCPC profession codes (HCPC "How to check the register"). RA is radiographer.
HCPC_PROFESSION_CODES: dict[str, str] = {
    "AS": "Arts therapist",
    "BS": "Biomedical scientist",
    "CH": "Chiropodist / podiatrist",
    "CS": "Clinical scientist",
    "DT": "Dietitian",
    "HAD": "Hearing aid dispenser",
    "ODP": "Operating department practitioner",
    "OR": "Orthoptist",
    "OT": "Occupational therapist",
    "PA": "Paramedic",
    "PH": "Physiotherapist",
    "PO": "Prosthetist / orthotist",
    "PYL": "Practitioner psychologist",
    "SL": "Speech and language therapist",
    "RA": "Radiographer",
}

_HCPC = re.compile(r"^(?P<code>[A-Z]{2,3})(?P<digits>\d{1,6})$")
# NMC PIN: two digits, a letter, four digits, a letter (for example 12A3456E).
_NMC = re.compile(r"^\d{2}[A-Z]\d{4}[A-Z]$")
# GMC reference number: seven digits (the GMC's online register).
_GMC = re.compile(r"^\d{7}$")
# The RCT publishes no number format: letters and digits, a plain check only.
_RCT = re.compile(r"^[A-Z0-9]{1,16}$")


class RegisterCheckResult(enum.StrEnum):
    """What the public register said. A caution does not restrict practice; conditions of
    practice do, often with a named supervisor, so they are two results (E1)."""

    REGISTERED = "registered"
    CAUTION = "caution"
    CONDITIONS_OF_PRACTICE = "conditions_of_practice"
    SUSPENDED = "suspended"
    STRUCK_OFF = "struck_off"
    NOT_FOUND = "not_found"
    LAPSED = "lapsed"

    @property
    def label(self) -> str:
        return {
            "registered": "Registered",
            "caution": "Registered with a caution",
            "conditions_of_practice": "Registered with conditions of practice",
            "suspended": "Suspended",
            "struck_off": "Struck off (removed by a fitness to practise decision)",
            "not_found": "Not found on the register",
            "lapsed": "Lapsed (removed, not renewed)",
        }[self.value]


class InvalidRegistrationNumberError(ValueError):
    """A registration number that cannot be right for its register."""


@dataclass(frozen=True)
class Registration:
    register: RegisterType
    number: str | None

    @property
    def hcpc_profession(self) -> str | None:
        if self.register is not RegisterType.HCPC or not self.number:
            return None
        match = _HCPC.match(self.number)
        return HCPC_PROFESSION_CODES[match["code"]] if match else None


def normalise_registration(register: RegisterType, raw: str | None) -> Registration:
    """Validate a registration number for its register and return it in stored form.

    Spaces and hyphens are dropped and letters upper-cased; leading zeros are kept because
    HCPC numbers are not padded (RA1234 and RA001234 are different people).
    """
    cleaned = re.sub(r"[\s-]", "", raw or "").upper()
    if register is RegisterType.NONE:
        if cleaned:
            raise InvalidRegistrationNumberError(
                "Remove the registration number, or choose a register"
            )
        return Registration(register, None)
    if not cleaned:
        raise InvalidRegistrationNumberError(f"Enter the {register.label} registration number")
    if register is RegisterType.HCPC:
        match = _HCPC.match(cleaned)
        if not match:
            raise InvalidRegistrationNumberError(
                "Enter an HCPC number as a profession code and up to 6 digits, like RA123456"
            )
        if match["code"] not in HCPC_PROFESSION_CODES:
            raise InvalidRegistrationNumberError(
                f"{match['code']} is not an HCPC profession code (radiographers are RA)"
            )
        return Registration(register, cleaned)
    pattern, message = _FORMATS[register]
    if not pattern.match(cleaned):
        raise InvalidRegistrationNumberError(message)
    return Registration(register, cleaned)


_FORMATS = {
    RegisterType.NMC: (
        _NMC,
        "Enter an NMC PIN as 2 digits, a letter, 4 digits and a letter, like 12A3456E",
    ),
    RegisterType.GMC: (_GMC, "Enter a GMC reference number as 7 digits, like 1234567"),
    RegisterType.RCT: (
        _RCT,
        "Enter an RCT registration number as up to 16 letters and digits",
    ),
}


def conditions_reviewed(
    checked_on: dt.date | None, reviewed_on: dt.date | None, on: dt.date
) -> bool:
    """Whether a practice educator's review covers the conditions the last check found: a
    review counts for the check it followed (conditions found by a later check need a review
    of their own), and a review dated after the day does not count that day (E1)."""
    return checked_on is not None and reviewed_on is not None and checked_on <= reviewed_on <= on


def standing_to_assess(
    register: RegisterType,
    result: RegisterCheckResult | None,
    checked_on: dt.date | None,
    reviewed_on: dt.date | None,
    on: dt.date,
) -> tuple[bool, str]:
    """What the last register check means for assessing, as the person page says it: whether
    it lets them assess, and why (the register check's age is the sign-off rules' business)."""
    if register is RegisterType.NONE:
        return False, "Not registered: they may assess only what any competent colleague may"
    if result is None or checked_on is None:
        return False, "Not eligible to assess as a registrant: the register has not been checked"
    if result is RegisterCheckResult.CONDITIONS_OF_PRACTICE:
        if conditions_reviewed(checked_on, reviewed_on, on):
            return True, "Conditions of practice, reviewed by a practice educator: may assess"
        return False, (
            f"Not eligible to assess: {register.short} registration has conditions of practice, "
            "not yet reviewed by a practice educator"
        )
    if result is RegisterCheckResult.CAUTION:
        return True, "A caution does not restrict practice: may assess"
    if result is RegisterCheckResult.REGISTERED:
        return True, "Registered: may assess"
    return (
        False,
        f"Not eligible to assess: the last register check found them {result.label.lower()}",
    )

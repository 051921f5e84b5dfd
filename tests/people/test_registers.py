"""Registration numbers: validated for their register and stored normalised."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portfolio.people.registers import (
    HCPC_PROFESSION_CODES,
    InvalidRegistrationNumberError,
    RegisterType,
    normalise_registration,
)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("RA123456", "RA123456"),
        (" ra 12345 ", "RA12345"),
        ("pyl-1", "PYL1"),
        ("RA001234", "RA001234"),
    ],
)
def test_hcpc_numbers_are_normalised(raw: str, stored: str) -> None:
    assert normalise_registration(RegisterType.HCPC, raw).number == stored


def test_a_radiographer_number_names_the_profession() -> None:
    assert normalise_registration(RegisterType.HCPC, "RA1").hcpc_profession == "Radiographer"


@pytest.mark.parametrize("raw", ["RA", "RA1234567", "XX123", "123456", "R A"])
def test_impossible_hcpc_numbers_are_refused(raw: str) -> None:
    with pytest.raises(InvalidRegistrationNumberError):
        normalise_registration(RegisterType.HCPC, raw)


@given(code=st.sampled_from(sorted(HCPC_PROFESSION_CODES)), digits=st.from_regex(r"\A\d{1,6}\Z"))
def test_every_profession_code_with_up_to_six_digits_is_accepted(code: str, digits: str) -> None:
    assert (
        normalise_registration(RegisterType.HCPC, f"{code.lower()} {digits}").number
        == code + digits
    )


@pytest.mark.parametrize(("raw", "stored"), [("12a3456e", "12A3456E"), ("12 A 3456 E", "12A3456E")])
def test_nmc_pins_are_normalised(raw: str, stored: str) -> None:
    assert normalise_registration(RegisterType.NMC, raw).number == stored


@pytest.mark.parametrize("raw", ["RA123456", "1234567A", "12A34567", ""])
def test_impossible_nmc_pins_are_refused(raw: str) -> None:
    with pytest.raises(InvalidRegistrationNumberError):
        normalise_registration(RegisterType.NMC, raw)


def test_no_register_means_no_number() -> None:
    assert normalise_registration(RegisterType.NONE, "").number is None
    with pytest.raises(InvalidRegistrationNumberError):
        normalise_registration(RegisterType.NONE, "RA1")


@pytest.mark.parametrize(("raw", "stored"), [("1234567", "1234567"), (" 123 4567 ", "1234567")])
def test_gmc_reference_numbers_are_seven_digits(raw: str, stored: str) -> None:
    assert normalise_registration(RegisterType.GMC, raw).number == stored


@pytest.mark.parametrize("raw", ["123456", "12345678", "RA12345", "GMC1234567"])
def test_impossible_gmc_numbers_are_refused(raw: str) -> None:
    with pytest.raises(InvalidRegistrationNumberError, match="7 digits"):
        normalise_registration(RegisterType.GMC, raw)


def test_an_rct_number_gets_only_a_plain_check_because_no_format_is_published() -> None:
    assert normalise_registration(RegisterType.RCT, "rct-0042").number == "RCT0042"
    with pytest.raises(InvalidRegistrationNumberError, match="letters and digits"):
        normalise_registration(RegisterType.RCT, "RCT/0042")


@given(st.from_regex(r"\A\d{7}\Z"))
def test_any_seven_digits_are_a_gmc_number(digits: str) -> None:
    assert normalise_registration(RegisterType.GMC, digits).number == digits

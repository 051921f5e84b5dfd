"""The framework file's assessor rule: an approved list, MR roles and the part of the HCPC
register, each refused when it cannot mean anything."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from portfolio.frameworks.schema import Assessors


def rule(**fields: Any) -> Assessors:
    return Assessors.model_validate(fields)


def test_an_approved_list_rule_names_its_list_and_may_name_registers() -> None:
    assert rule(rule="approved_list", approved_lists=["bls_instructor"]).registers == []
    with_registers = rule(
        rule="approved_list", registers=["hcpc", "gmc"], approved_lists=["cannulation_assessor"]
    )
    assert [item.value for item in with_registers.registers] == ["hcpc", "gmc"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"rule": "approved_list"}, "approved_list needs at least one list"),
        (
            {
                "rule": "approved_list",
                "approved_lists": ["antt_assessor"],
                "must_hold_sign_off": True,
            },
            "approved_list replaces must_hold_sign_off",
        ),
        (
            {
                "rule": "registrant",
                "registers": ["nmc"],
                "professions": ["nurse"],
                "radiography": "diagnostic",
            },
            "radiography needs the radiographer profession and the hcpc register",
        ),
        ({"rule": "approved_list", "approved_lists": ["phlebotomy"]}, "approved_lists"),
        (
            {"rule": "registrant", "registers": ["hcpc"], "designations": ["mr_wizard"]},
            "designations",
        ),
    ],
)
def test_a_rule_that_cannot_mean_anything_is_refused(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        rule(**fields)


def test_fields_left_unset_stay_out_of_the_canonical_form() -> None:
    # A file that does not use them keeps its content hash: nothing shipped earlier changes.
    dumped = rule(rule="registrant", registers=["hcpc"]).model_dump(mode="json")
    assert not {"radiography", "approved_lists", "designations"} & set(dumped)

"""`shown_status`: the status a table shows (the matrix, progress, the PDF, the verify page),
from the statuses it read and the person's grants, for each case the property test of
`test_properties.py` meets too rarely to pin down: a lapsed or never-recorded prerequisite,
a competency not in the statuses at all, and a missing entitlement or designation."""

from __future__ import annotations

from portfolio.standing.rules import missing_grants, needs_grants, shown_status, standing
from portfolio.standing.status import CompetencyHistory, Status, status_on
from portfolio.standing.terms import DesignationKind
from tests.factories.histories import history, sign_off
from tests.standing.builders import ON, ap_chest, designation, exposure, item, person, signed

EXPIRED_BLS = status_on(history(sign_off(7, expires=ON.replace(month=4))), ON, with_since=False)


def test_a_lapsed_prerequisite_is_named_with_the_day_it_expired() -> None:
    statuses = {"CANN": signed().status, "ANTT": signed().status, "CORE-BLS": EXPIRED_BLS}
    shown = shown_status(item("CANN"), statuses, ON)
    assert shown.text == (
        "Competent, prerequisite lapsed (Basic life support (CORE-BLS) expired on 2 April 2026)"
    )
    assert (shown.code, shown.lapsed, shown.unentitled) == (
        "competent_prerequisite_lapsed",
        True,
        False,
    )


def test_a_prerequisite_never_recorded_counts_as_not_started() -> None:
    shown = shown_status(item("CANN"), {"CANN": signed().status, "ANTT": signed().status}, ON)
    assert shown.detail == "Basic life support (CORE-BLS): not started"
    assert shown.lapsed


def test_a_competency_missing_from_the_statuses_is_not_started_and_nothing_more() -> None:
    shown = shown_status(item("CANN"), {}, ON)
    assert (shown.code, shown.label, shown.detail) == ("not_started", "Not started", "")
    assert not shown.differs


def test_every_prerequisite_current_shows_the_competencys_own_status() -> None:
    statuses = {code: signed().status for code in ("CANN", "ANTT", "CORE-BLS")}
    assert shown_status(item("CANN"), statuses, ON).text == "Competent"


def test_a_missing_entitlement_is_named_only_when_the_grants_are_given() -> None:
    statuses = {"AP-CHEST": signed().status}
    unentitled = ap_chest(entitlements=())
    shown = shown_status(item("AP-CHEST"), statuses, ON, unentitled)
    assert shown.text == (
        "Competent, not entitled (No IR(ME)R operator entitlement for exposure (general "
        "radiography: chest))"
    )
    assert (shown.unentitled, shown.lapsed, shown.differs) == (True, False, True)
    assert shown == standing(unentitled, item("AP-CHEST"), ON).shown
    assert shown_status(item("AP-CHEST"), statuses, ON).text == "Competent"  # not known
    entitled = ap_chest(entitlements=(exposure(),))
    assert shown_status(item("AP-CHEST"), statuses, ON, entitled).text == "Competent"


def test_a_trainee_and_a_missing_designation_read_in_the_same_words_as_the_engine() -> None:
    trainee = ap_chest(entitlements=(), trainee=True)
    assert missing_grants(trainee, item("AP-CHEST"), ON) == (
        "Trainee without an IR(ME)R operator entitlement for exposure (general radiography: chest)",
    )
    coils = item("MR-COILS")
    held = {"MR-COILS": signed(), "MR-SAFETY": signed()}
    screened = designation(DesignationKind.MR_SAFETY_SCREENING)
    someone = person(competence=held, designations=(screened,))
    [missing] = missing_grants(someone, coils, ON)
    assert missing.startswith("No MR Authorised Person")
    assert "Society of Radiographers" not in missing  # the source is for the full answer
    statuses = {code: held[code].status for code in held}
    assert shown_status(coils, statuses, ON, someone) == standing(someone, coils, ON).shown


def test_only_items_that_ask_for_a_grant_need_one() -> None:
    assert needs_grants(item("AP-CHEST"))
    assert needs_grants(item("MR-COILS"))
    assert not needs_grants(item("CANN"))
    assert status_on(CompetencyHistory(), ON, with_since=False).status is Status.NOT_STARTED

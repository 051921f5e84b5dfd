"""What an import brings in and how it says so, as pure rules; the document's own checks."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from portfolio.leavers import document as doc
from portfolio.leavers import rules

EXPORTED = dt.date(2026, 11, 28)
ORG = "North Hospitals NHS Trust"


def sign_off(**values) -> doc.SignOff:  # type: ignore[no-untyped-def]
    fields = {
        "id": 1,
        "competency": "CANN",
        "outcome": "competent",
        "supervision": "indirect",
        "observed_on": dt.date(2026, 1, 5),
        "recorded_on": dt.date(2026, 1, 6),
        "assessor": doc.Assessor(name="Sam Okafor"),
        "authentication": "own_session",
    }
    fields.update(values)
    return doc.SignOff(**fields)


def left_out(item: doc.SignOff, known: bool = True) -> str | None:
    return rules.sign_off_left_out(item, organisation=ORG, exported_on=EXPORTED, known=known)


def test_a_current_or_expired_sign_off_comes_in() -> None:
    assert left_out(sign_off()) is None
    assert left_out(sign_off(expires_on=dt.date(2026, 2, 1))) is None


def test_what_never_counted_or_no_longer_counts_stays_out_with_the_reason() -> None:
    assert left_out(sign_off(), known=False) == (
        "CANN is not a competency in this installation's frameworks"
    )
    assert "not yet competent" in (left_out(sign_off(outcome="not_yet_competent")) or "")
    revoked = sign_off(revocation=doc.RevocationRow(revoked_on=dt.date(2026, 3, 1), reason="x"))
    assert left_out(revoked) == f"revoked at {ORG} on 1 March 2026"
    waiting = sign_off(countersignature=doc.Countersignature(required=True))
    assert "never counted" in (left_out(waiting) or "")


@given(
    starts=st.dates(dt.date(2025, 1, 1), dt.date(2027, 1, 1)),
    back=st.one_of(st.none(), st.dates(dt.date(2025, 1, 1), dt.date(2027, 12, 31))),
)
def test_a_sign_off_stays_out_exactly_while_it_was_suspended_when_exported(
    starts: dt.date, back: dt.date | None
) -> None:
    suspension = doc.SuspensionRow(starts_on=starts, reason="Review", reinstated_on=back)
    suspended_then = starts <= EXPORTED and (back is None or back > EXPORTED)
    assert (left_out(sign_off(suspensions=[suspension])) is not None) is suspended_then


@given(
    ours=st.one_of(st.none(), st.dates()),
    theirs=st.one_of(st.none(), st.dates()),
)
def test_moving_never_makes_a_sign_off_last_longer(
    ours: dt.date | None, theirs: dt.date | None
) -> None:
    chosen = rules.no_later_than(ours, theirs)
    for limit in (ours, theirs):
        if limit is not None:
            assert chosen is not None
            assert chosen <= limit
    if ours is None and theirs is None:
        assert chosen is None


def test_the_source_says_where_when_and_who_as_written() -> None:
    item = sign_off(
        assessor=doc.Assessor(
            name="Sam Okafor",
            register_type="hcpc",
            register_number="RA123456",
            register_checked_on=dt.date(2025, 12, 1),
        ),
        expires_on=dt.date(2027, 1, 5),
        transcribed_source="Ward training record",
    )
    text = rules.transcribed_source(item, organisation=ORG, exported_on=EXPORTED)
    assert text.startswith(
        f"Exported from {ORG} portfolio on 28 November 2026; recorded there on 6 January 2026"
    )
    assert "HCPC RA123456, register checked 1 December 2025" in text
    assert "expiring there on 5 January 2027" in text
    assert "itself transcribed there from: Ward training record" in text


def test_the_previous_employer_is_whoever_made_the_sign_off() -> None:
    assert rules.previous_employer(sign_off(), organisation=ORG) == ORG
    west = sign_off(previous_employer="West Hospitals NHS Trust")
    assert rules.previous_employer(west, organisation=ORG) == "West Hospitals NHS Trust"


def test_the_source_keeps_how_the_exporting_portfolio_came_by_a_transcribed_record() -> None:
    item = sign_off(
        authentication="transcribed",
        previous_employer="West Hospitals NHS Trust",
        original_seen_by="Nell Admin",
        original_seen_on=dt.date(2026, 1, 7),
        transcribed_by="Nell Admin",
        local_acceptance=doc.LocalAcceptanceRow(
            observer="Sam Okafor", observed_on=dt.date(2026, 1, 8), setting="CT room 2"
        ),
        minimum_override=doc.MinimumOverrideRow(
            procedures_required=5,
            procedures_confirmed=2,
            reason="Not copied",
            overridden_by="Priya Educator",
            recorded_on=dt.date(2026, 1, 4),
        ),
    )
    text = rules.transcribed_source(item, organisation=ORG, exported_on=EXPORTED)
    assert "original seen there by Nell Admin on 7 January 2026" in text
    assert "typed in there by Nell Admin" in text
    assert (
        "accepted there after one practice observed by Sam Okafor on 8 January 2026 (CT room 2)"
        in text
    )
    assert "minimum overridden there by Priya Educator (2 of 5 confirmed)" in text
    assert "Not copied" not in text
    waiting = rules.transcribed_source(
        sign_off(awaiting_acceptance=True), organisation=ORG, exported_on=EXPORTED
    )
    assert "never accepted there after a local observation" in waiting


def test_unknown_conditions_are_named() -> None:
    item = sign_off(conditions=["Adults only", "Left arm only"])
    assert rules.unknown_conditions(item, ["Adults only"]) == ["Left arm only"]


def test_the_document_refuses_another_format_or_version_before_anything_else() -> None:
    assert doc.read_document([])[1] == [("portfolio.json", "is not a JSON object")]
    assert doc.read_document({"format": "x", "evidence": "nonsense"})[1][0][0] == "format"
    problems = doc.read_document({"format": doc.FORMAT, "version": 9})[1]
    assert problems == [("version", "9 is not a version this portfolio reads (1)")]


def test_an_attachment_the_manifest_does_not_list_is_named() -> None:
    sha = "a" * 64
    document = doc.Document(
        format="imaging-support-portfolio-export",
        version=1,
        export_id="00000000-0000-4000-8000-000000000000",
        exported_at=dt.datetime(2026, 11, 28, tzinfo=dt.UTC),
        exported_by="the person",
        source=doc.Source(organisation=ORG),
        person=doc.Person(name="Robin Ash", email="robin@example.org"),
        evidence=[
            doc.EvidenceItem(
                id=1,
                versions=[
                    doc.EvidenceVersion(
                        number=1,
                        kind="certificate",
                        title="BLS",
                        activity_on=dt.date(2026, 1, 1),
                        body="",
                        attachments=[
                            doc.AttachmentRef(
                                sha256=sha, filename="a.pdf", media_type="application/pdf", size=3
                            )
                        ],
                    )
                ],
            )
        ],
    )
    assert doc.check_references(document) == [
        ("evidence[0].versions[0].attachments[0].sha256", "is not in the attachments manifest")
    ]

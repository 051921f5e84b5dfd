"""`facts_for`: the engine's practice facts for many people on a date, equal to reading each
person alone, in a number of statements that stays flat as the number of people doubles, and
answered by the engine as the records say."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.frameworks.practice_terms import DesignationKind, EntitlementKind, Modality
from portfolio.people.models import User
from portfolio.practice import designations, entitlements, queries
from portfolio.practice.grants import grants_for
from portfolio.practice.models import Designation, IrmerEntitlement, Preceptorship
from portfolio.practice.preceptorships import end_preceptorship, start_preceptorship
from portfolio.practice.sites import record_two_ma_model, save_site, set_appointment_site
from portfolio.standing import facts
from portfolio.standing.answer import NoticeCode, ReasonCode
from portfolio.standing.rules import standing
from portfolio.standing.status import SupervisionLevel
from tests.practice.records import GRANTED, REVIEW, TODAY, Trust
from tests.standing import builders
from tests.support.statements import counting

DAY = dt.timedelta(days=1)
DATES = [
    GRANTED - DAY,
    GRANTED,
    dt.date(2026, 2, 1),
    dt.date(2026, 3, 15),
    dt.date(2026, 4, 1),
    dt.date(2026, 5, 1),
    TODAY,
    REVIEW + DAY,
]


def _everything(trust: Trust, person: User, number: int) -> None:
    """An entitlement reviewed, another withdrawn, both designations, a preceptorship ended
    early and a site that qualifies from March: varied a little by `number`."""
    auditor = trust.auditor()
    chest = entitlements.grant_entitlement(
        auditor,
        person,
        trust.ward,
        kind=EntitlementKind.EXPOSURE,
        modality=Modality.GENERAL_RADIOGRAPHY,
        examinations=["chest"] + (["appendicular-skeleton"] if number % 2 else []),
        granted_by=trust.granter,
        granted_on=GRANTED,
        review_on=dt.date(2026, 3, 31),
        today=TODAY,
    )
    entitlements.review_entitlement(
        auditor,
        chest,
        reviewed_by=trust.granter,
        reviewed_on=dt.date(2026, 4, 1) + number * DAY,
        review_on=REVIEW,
        examinations=["chest", "appendicular-skeleton"],
        today=TODAY,
    )
    ident = entitlements.grant_entitlement(
        auditor,
        person,
        trust.ward,
        kind=EntitlementKind.PATIENT_IDENTIFICATION,
        modality=None,
        granted_by=trust.granter,
        granted_on=GRANTED,
        review_on=REVIEW,
        today=TODAY,
    )
    entitlements.withdraw_entitlement(
        auditor,
        ident,
        withdrawn_by=trust.granter,
        withdrawn_on=dt.date(2026, 5, 1),
        reason="Procedure changed",
        today=TODAY,
    )
    designations.designate(
        auditor,
        person,
        trust.ward,
        kind=DesignationKind.MR_AUTHORISED_PERSON,
        granted_by=trust.mr_lead,
        granted_on=GRANTED,
        review_on=REVIEW,
        today=TODAY,
    )
    designations.designate(
        auditor,
        person,
        trust.ward,
        kind=DesignationKind.MR_SAFETY_SCREENING,
        granted_by=trust.mr_lead,
        granted_on=dt.date(2026, 2, 1),
        review_on=dt.date(2026, 5, 31),
        today=TODAY,
    )
    appointment = person.appointments[-1]
    period = start_preceptorship(
        auditor,
        appointment,
        preceptor=trust.granter,
        starts_on=dt.date(2026, 2, 1),
        ends_on=dt.date(2026, 8, 31),
    )
    end_preceptorship(auditor, period, last_day=dt.date(2026, 5, 31), reason="Consolidated")
    site = save_site(auditor, trust.org, code=f"BSU-{number}", name=f"Screening unit {number}")
    record_two_ma_model(auditor, site, qualifies=True, from_on=dt.date(2026, 3, 1))
    set_appointment_site(auditor, appointment, site)


def _people(trust: Trust, count: int, start: int = 0) -> list[User]:
    people = []
    for number in range(start, start + count):
        person = trust.person(name=f"Worker {number}")
        _everything(trust, person, number)
        people.append(person)
    return people


def _alone(session: Session, user_id: int, on: dt.date) -> queries.PracticeFacts:
    """The same facts the slow way: each person's records through the ORM, filtered here."""

    def latest(versions):  # type: ignore[no-untyped-def]
        applying = [v for v in versions if v.effective_on <= on]
        return applying[-1] if applying else None

    granted: list[facts.Entitlement] = []
    for entitlement in session.scalars(
        select(IrmerEntitlement).where(IrmerEntitlement.user_id == user_id)
    ):
        version = latest(entitlement.versions)
        if version is not None:
            granted.append(
                facts.Entitlement(
                    kind=entitlement.kind,
                    modality=entitlement.modality,
                    examinations=version.examinations,
                    granted_on=version.granted_on,
                    granted_by=session.get_one(User, version.granted_by_id).name,
                    review_on=version.review_on,
                    withdrawn_on=version.withdrawn_on,
                )
            )
    designated: list[facts.Designation] = []
    for designation in session.scalars(select(Designation).where(Designation.user_id == user_id)):
        version = latest(designation.versions)
        if version is not None:
            designated.append(
                facts.Designation(
                    kind=designation.kind,
                    granted_on=version.granted_on,
                    granted_by=session.get_one(User, version.granted_by_id).name,
                    review_on=version.review_on,
                    withdrawn_on=version.withdrawn_on,
                )
            )
    person = session.get_one(User, user_id)
    periods = [
        facts.Preceptorship(
            starts_on=period.starts_on,
            ends_on=period.last_day,
            preceptor=session.get_one(User, period.preceptor_id).name,
            ceiling=period.ceiling,
        )
        for appointment in person.appointments
        for period in session.scalars(
            select(Preceptorship).where(Preceptorship.appointment_id == appointment.id)
        )
        if period.starts_on <= on <= period.last_day
    ]
    on_date = [a for a in person.appointments if a.effective_from <= on]
    site = None
    if on_date:
        from portfolio.practice.models import AppointmentSite, Site

        link = session.get(AppointmentSite, on_date[-1].id)
        if link is not None:
            row = session.get_one(Site, link.site_id)
            site = facts.Site(row.code, row.name, queries.site_qualifies_on(session, row.id, on))
    return queries.PracticeFacts(
        entitlements=tuple(sorted(granted, key=repr)),
        designations=tuple(sorted(designated, key=repr)),
        preceptorships=tuple(periods),
        site=site,
    )


def _sorted(value: queries.PracticeFacts) -> queries.PracticeFacts:
    return queries.PracticeFacts(
        entitlements=tuple(sorted(value.entitlements, key=repr)),
        designations=tuple(sorted(value.designations, key=repr)),
        preceptorships=value.preceptorships,
        site=value.site,
    )


def test_many_at_once_equals_each_alone_on_every_date(trust: Trust) -> None:
    people = [trust.worker, *_people(trust, 3)]
    ids = [person.id for person in people]
    for on in DATES:
        together = queries.facts_for(trust.session, ids, on)
        assert set(together) == set(ids)
        for user_id in ids:
            assert _sorted(together[user_id]) == _alone(trust.session, user_id, on), (user_id, on)


def test_the_facts_say_what_the_records_say(trust: Trust) -> None:
    [person] = _people(trust, 1, start=1)
    before = queries.facts_for(trust.session, [person.id, trust.worker.id], GRANTED - DAY)
    assert before[person.id].entitlements == ()
    assert before[trust.worker.id] == queries.PracticeFacts()
    march = queries.facts_for(trust.session, [person.id], dt.date(2026, 3, 15))[person.id]
    chest = next(e for e in march.entitlements if e.kind is EntitlementKind.EXPOSURE)
    assert chest.examinations == {"chest", "appendicular-skeleton"}
    assert chest.review_on == dt.date(2026, 3, 31)
    assert chest.granted_by == "Dr Ada Lovelace"
    assert march.site == facts.Site("BSU-1", "Screening unit 1", two_ma_remote_model=True)
    [period] = march.preceptorships
    assert (period.ends_on, period.ceiling, period.preceptor) == (
        dt.date(2026, 5, 31),
        SupervisionLevel.DIRECT,
        "Dr Ada Lovelace",
    )
    assert {d.kind for d in march.designations} == set(DesignationKind)
    february = queries.facts_for(trust.session, [person.id], dt.date(2026, 2, 15))[person.id]
    assert february.site is not None
    assert not february.site.two_ma_remote_model
    june = queries.facts_for(trust.session, [person.id], TODAY)[person.id]
    assert june.preceptorships == ()
    ident = next(e for e in june.entitlements if e.kind is EntitlementKind.PATIENT_IDENTIFICATION)
    assert ident.withdrawn_on == dt.date(2026, 5, 1)
    assert queries.facts_for(trust.session, [], TODAY) == {}


def test_statements_stay_flat_as_the_number_of_people_doubles(app: Flask, trust: Trust) -> None:
    def statements(people: list[User]) -> int:
        ids = [p.id for p in people]
        trust.session.expire_all()  # nothing comes from the identity map
        with counting(app) as seen:
            result = queries.facts_for(trust.session, ids, dt.date(2026, 4, 15))
        assert all(result[user_id].entitlements for user_id in ids)
        return len(seen)

    people = _people(trust, 2)
    two = statements(people)
    people += _people(trust, 2, start=2)
    four = statements(people)
    people += _people(trust, 4, start=4)
    eight = statements(people)
    assert two == four == eight
    assert eight == 3  # entitlements with their examinations and designations; periods; sites


def test_the_engine_answers_from_the_records(trust: Trust) -> None:
    """An AP signed off for chest X-rays may, under indirect supervision, while entitled;
    during the preceptorship only under direct; and not from the day it is withdrawn."""
    [person] = _people(trust, 1, start=1)

    def answer(on: dt.date):  # type: ignore[no-untyped-def]
        practice = queries.facts_for(trust.session, [person.id], on)[person.id]
        someone = builders.person(
            competence={"AP-CHEST": builders.signed(on=on)},
            entitlements=practice.entitlements,
            designations=practice.designations,
            preceptorships=practice.preceptorships,
            site=practice.site,
        )
        return standing(someone, builders.item("AP-CHEST"), on)

    in_preceptorship = answer(dt.date(2026, 3, 15))
    assert in_preceptorship.may
    assert in_preceptorship.supervision is SupervisionLevel.DIRECT
    assert NoticeCode.PRECEPTEE in {w.code for w in in_preceptorship.warnings}
    after = answer(TODAY)
    assert (after.may, after.supervision) == (True, SupervisionLevel.INDIRECT)
    lapsed = answer(dt.date(2026, 4, 1))  # the review date passed; reviewed on 2 April
    assert not lapsed.may
    assert lapsed.reasons[0].code is ReasonCode.ENTITLEMENT_EXPIRED
    chest = next(
        e
        for e in queries.entitlements_as_at(trust.session, person.id, TODAY)
        if e.kind is EntitlementKind.EXPOSURE
    )
    entitlements.withdraw_entitlement(
        trust.auditor(),
        trust.session.get_one(IrmerEntitlement, chest.id),
        withdrawn_by=trust.granter,
        withdrawn_on=TODAY,
        reason="Retraining",
        today=TODAY,
    )
    withdrawn = answer(TODAY)
    assert not withdrawn.may
    assert withdrawn.reasons[0].code is ReasonCode.ENTITLEMENT_WITHDRAWN
    assert answer(TODAY - DAY).may


def _grants_only(value: queries.PracticeFacts) -> queries.PracticeFacts:
    """The entitlements and designations alone, in one order."""
    return queries.PracticeFacts(
        entitlements=tuple(sorted(value.entitlements, key=repr)),
        designations=tuple(sorted(value.designations, key=repr)),
    )


def test_the_grants_alone_equal_the_whole_facts_on_every_date_in_one_statement(
    app: Flask, trust: Trust
) -> None:
    """`practice.grants.grants_for`, for the tables that list statuses: the same entitlements
    (with their examinations) and designations as each person's own records, in one
    statement for any number of people, and none when neither kind is asked for."""
    people = [trust.worker, *_people(trust, 3)]
    ids = [person.id for person in people]
    for on in DATES:
        whole = {user_id: _alone(trust.session, user_id, on) for user_id in ids}
        trust.session.expire_all()
        with counting(app) as seen:
            alone = grants_for(trust.session, ids, on)
        assert len(seen) == 1
        for user_id in ids:
            assert _grants_only(alone[user_id]) == _grants_only(whole[user_id]), (user_id, on)
    only = grants_for(trust.session, ids, dt.date(2026, 3, 15), designations=False)
    assert all(not found.designations for found in only.values())
    assert any(found.entitlements for found in only.values())
    with counting(app) as seen:
        nothing = grants_for(trust.session, ids, TODAY, entitlements=False, designations=False)
    assert (len(seen), set(nothing)) == (0, set(ids))

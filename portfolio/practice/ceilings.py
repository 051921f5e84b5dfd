"""The supervision ceiling one sign-off may record: the worker's job role and trainee flag
from their appointment, and their preceptorships and site, on the day the practice was
observed, over the competency's practice rules (`standing.supervision.ceiling_for`).

One person at a time, for the sign-off paths (a decision, a transcription, an import) and the
report of records above a ceiling; the views' standings for many people are built elsewhere.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from portfolio.frameworks import queries as frameworks
from portfolio.people.queries import appointment_on
from portfolio.practice.grants import NO_FACTS
from portfolio.practice.queries import facts_for
from portfolio.standing import facts
from portfolio.standing.items import item_facts
from portfolio.standing.supervision import ceiling_for
from portfolio.standing.verdict import AppliedCeiling


def person_facts(session: Session, user_id: int, on: dt.date) -> facts.PersonFacts:
    """What a ceiling depends on: the job role that day, preceptorships and site."""
    appointment = appointment_on(session, user_id, on)
    practice = facts_for(session, [user_id], on).get(user_id, NO_FACTS)
    role = (
        facts.RoleOnDate(
            job_role=appointment.job_role, scope=frozenset(), trainee=appointment.trainee
        )
        if appointment is not None
        else None
    )
    return facts.PersonFacts(
        role=role,
        entitlements=practice.entitlements,
        preceptorships=practice.preceptorships,
        site=practice.site,
    )


def sign_off_ceiling(
    session: Session, user_id: int, competency: frameworks.CompetencyView, on: dt.date
) -> AppliedCeiling | None:
    """The strictest ceiling on a sign-off of `competency` for this person, observed `on`."""
    item = item_facts(competency.definition, titles={}, sources=frameworks.current_sources(session))
    return ceiling_for(person_facts(session, user_id, on), item, on)

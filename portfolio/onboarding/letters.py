"""Printed set-up letters: the way in for people added without email (an import or the people
page on an installation that cannot send emails yet). Each letter carries a one-time link to
choose a password, issued by the same machinery as the emailed invitation
(`accounts.links.issue_link`): it works once, until the invitation period ends, and printing
another letter or sending an invitation stops the earlier one. The token exists on the printed
page alone; only its hash is stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.accounts.links import issue_link
from portfolio.accounts.models import LinkPurpose
from portfolio.audit.services import Auditor
from portfolio.core.passwords import NO_PASSWORD
from portfolio.people.models import User


@dataclass(frozen=True)
class Letter:
    person_id: int
    name: str
    email: str
    token: str  # for the printed link only: never stored
    expires_at: dt.datetime


def waiting_to_set_up(session: Session, organisation_id: int) -> list[User]:
    """Active people of the organisation who have never chosen a password."""
    return list(
        session.scalars(
            select(User)
            .where(
                User.organisation_id == organisation_id,
                User.active.is_(True),
                User.password_hash == NO_PASSWORD,
            )
            .order_by(User.name, User.id)
        )
    )


def issue_letters(
    auditor: Auditor,
    people: Sequence[User],
    *,
    now: dt.datetime,
    valid_for: dt.timedelta,
    requested_by_id: int,
) -> list[Letter]:
    """A new one-time link for each person (superseding any earlier link), each audited as an
    invitation issued, and one entry saying the letters were printed."""
    letters = []
    for person in people:
        link, token = issue_link(
            auditor,
            person,
            LinkPurpose.INVITATION,
            now=now,
            valid_for=valid_for,
            requested_by_id=requested_by_id,
        )
        letters.append(Letter(person.id, person.name, person.email, token, link.expires_at))
    if people:
        auditor.record(
            "set_up_letters.printed",
            subject_type="organisation",
            subject_id=people[0].organisation_id,
            organisation_id=people[0].organisation_id,
            changes={"people": [person.id for person in people]},
        )
    return letters

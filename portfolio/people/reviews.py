"""A practice educator's review of a registrant's conditions of practice (E1).

Conditions of practice restrict what a registrant may do, often with a named supervisor, so
someone under them may not assess until a practice educator has read the conditions and
recorded what they allow: a dated review, with the educator's name and a note, for the
register check it follows. A later check that finds conditions again needs a review of its
own. One audit entry each (the note marked, never copied); flush only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portfolio.audit.services import Auditor
from portfolio.core.errors import FieldError
from portfolio.core.identifiers import guard
from portfolio.people.models import RegistrationReview, User
from portfolio.people.registers import RegisterCheckResult, standing_to_assess

NOTE_LENGTH = 2000
NO_DATE = "Enter the date you reviewed the conditions"
BEFORE_CHECK = "The review must be on or after the register check that found the conditions"
NO_NOTE = "Enter what the conditions allow them to do"
LONG_NOTE = f"The note must be {NOTE_LENGTH} characters or fewer"


class ReviewError(FieldError):
    """A review that cannot be recorded, with the form field it belongs to."""


@dataclass(frozen=True)
class ReviewRow:
    reviewed_on: dt.date
    reviewer: str
    note: str
    register_checked_on: dt.date


def record_review(
    auditor: Auditor,
    person: User,
    *,
    reviewer: User,
    reviewed_on: dt.date | None,
    note: str,
    today: dt.date,
    confirmed: Collection[str] = (),
) -> RegistrationReview:
    """Record that `reviewer` reviewed the conditions the last register check found."""
    checked = person.register_checked_on
    if person.register_check_result is not RegisterCheckResult.CONDITIONS_OF_PRACTICE or (
        checked is None
    ):
        raise ReviewError(
            "note", "The last register check found no conditions of practice to review"
        )
    if reviewer.id == person.id:
        raise ReviewError("note", "Nobody can review their own conditions of practice")
    problems = review_problems(reviewed_on, note.strip(), checked, today)
    if problems:
        raise ReviewError(*problems[0])
    guard({"note": note}, confirmed)
    assert reviewed_on is not None
    review = RegistrationReview(
        user_id=person.id,
        register_checked_on=checked,
        reviewed_on=reviewed_on,
        reviewer_id=reviewer.id,
        note=note.strip(),
    )
    auditor.session.add(review)
    auditor.session.flush()
    auditor.record(
        "registration.conditions_reviewed",
        subject_type="user",
        subject_id=person.id,
        organisation_id=person.organisation_id,
        changes={
            "review_id": review.id,
            "register_checked_on": checked.isoformat(),
            "reviewed_on": reviewed_on.isoformat(),
            "reviewer_id": reviewer.id,
            "note": "(recorded)",
        },
    )
    return review


def review_problems(
    reviewed_on: dt.date | None, note: str, checked: dt.date, today: dt.date
) -> list[tuple[str, str]]:
    """Every mistake in a review form, by field (the page shows them all at once)."""
    problems: list[tuple[str, str]] = []
    if reviewed_on is None:
        problems.append(("reviewed_on", NO_DATE))
    elif reviewed_on > today:
        problems.append(("reviewed_on", "The date of the review must be today or in the past"))
    elif reviewed_on < checked:
        problems.append(("reviewed_on", BEFORE_CHECK))
    if not note:
        problems.append(("note", NO_NOTE))
    elif len(note) > NOTE_LENGTH:
        problems.append(("note", LONG_NOTE))
    return problems


def reviewed_on(session: Session, user_ids: Collection[int]) -> dict[int, dt.date]:
    """Each person's latest review of conditions of practice, in one statement."""
    rows = session.execute(
        select(RegistrationReview.user_id, func.max(RegistrationReview.reviewed_on))
        .where(RegistrationReview.user_id.in_(sorted(set(user_ids))))
        .group_by(RegistrationReview.user_id)
    )
    return {row[0]: row[1] for row in rows}


def reviews_of(session: Session, user_id: int) -> list[ReviewRow]:
    """A person's reviews, newest first, with the educator's name."""
    return [
        ReviewRow(review.reviewed_on, name, review.note, review.register_checked_on)
        for review, name in session.execute(
            select(RegistrationReview, User.name)
            .join(User, User.id == RegistrationReview.reviewer_id)
            .where(RegistrationReview.user_id == user_id)
            .order_by(RegistrationReview.reviewed_on.desc(), RegistrationReview.id.desc())
        )
    ]


def standing_of(session: Session, person: User, on: dt.date) -> tuple[bool, str]:
    """What their last register check means for assessing on the day (the person page)."""
    reviewed = (
        reviewed_on(session, [person.id]).get(person.id)
        if person.register_check_result is RegisterCheckResult.CONDITIONS_OF_PRACTICE
        else None
    )
    return standing_to_assess(
        person.register,
        person.register_check_result,
        person.register_checked_on,
        reviewed,
        on,
    )

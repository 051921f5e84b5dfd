"""Who gets which reminder on which day, and who wants which email: pure rules.

Nothing here touches Flask or a session. Dates are calendar dates in Europe/London.

Expiry reminders
----------------
A sign-off is valid through its expiry day and expired from the next day
(`portfolio.standing.status`). Counting `left` as the days from today to the expiry day
(0 on the expiry day itself):

==============  =====================================================
 60 days        60 >= left > 30
 30 days        30 >= left >= 0
 expired        left < 0, for up to `EXPIRED_REMINDER_DAYS` after
==============  =====================================================

Each threshold is sent at most once per sign-off (the daily task records what it sent), and
never after a later one: a task that missed some days (the consumer was stopped) catches up
with the stage the sign-off is in now, without announcing the stages it skipped. An expiry
older than `EXPIRED_REMINDER_DAYS` is never announced, so switching reminders on does not
send a year of old news.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Collection, Mapping

from portfolio.core.roles import AccountRole
from portfolio.standing.status import Status, StatusOnDate

FIRST_REMINDER_DAYS = 60
SECOND_REMINDER_DAYS = 30
EXPIRED_REMINDER_DAYS = 30


class NoticeKind(enum.StrEnum):
    REQUEST_WAITING = "request_waiting"  # to the assessor
    REQUEST_RETURNED = "request_returned"  # not yet competent, to the worker
    PROCEDURE_AWAITING = "procedure_awaiting"  # to the witness
    DUE_60 = "due_60"  # to the worker and their assigned supervisors
    DUE_30 = "due_30"
    EXPIRED = "expired"
    WEEKLY_SUMMARY = "weekly_summary"  # to educators
    # About a person's own account, to them, in the app only (see `emailed`).
    TOKEN_MADE = "token_made"  # noqa: S105 - a kind of notice, not a secret
    TOKENS_REVOKED = "tokens_revoked"
    # A sign-off made on someone else's device, to its assessor's own email, with a link to
    # dispute it; and a dispute, to the practice educators reaching the worker.
    SIGNED_ON_SHARED_DEVICE = "signed_on_shared_device"
    SIGN_OFF_DISPUTED = "sign_off_disputed"


class Topic(enum.StrEnum):
    """What a person may switch emails on or off for (notices always appear in the app)."""

    REQUEST_WAITING = "request_waiting"
    REQUEST_RETURNED = "request_returned"
    PROCEDURE_AWAITING = "procedure_awaiting"
    EXPIRY = "expiry"
    WEEKLY_SUMMARY = "weekly_summary"

    @property
    def label(self) -> str:
        return _TOPIC_LABELS[self]


_TOPIC_LABELS = {
    Topic.REQUEST_WAITING: "A sign-off request is waiting for your decision",
    Topic.REQUEST_RETURNED: "Your sign-off request was returned as not yet competent",
    Topic.PROCEDURE_AWAITING: "A supervised procedure names you as the witness",
    Topic.EXPIRY: "Sign-offs due for reassessment in 60 and 30 days, and expired",
    Topic.WEEKLY_SUMMARY: "A weekly summary of what is waiting within your reach",
}

_TOPIC_OF = {
    NoticeKind.REQUEST_WAITING: Topic.REQUEST_WAITING,
    NoticeKind.REQUEST_RETURNED: Topic.REQUEST_RETURNED,
    NoticeKind.PROCEDURE_AWAITING: Topic.PROCEDURE_AWAITING,
    NoticeKind.DUE_60: Topic.EXPIRY,
    NoticeKind.DUE_30: Topic.EXPIRY,
    NoticeKind.EXPIRED: Topic.EXPIRY,
    NoticeKind.WEEKLY_SUMMARY: Topic.WEEKLY_SUMMARY,
}

# The emails each account role can receive, in the order the preferences page lists them.
_TOPICS_BY_ROLE = {
    AccountRole.SUPPORT_WORKER: (Topic.REQUEST_RETURNED, Topic.EXPIRY),
    AccountRole.SUPERVISOR: (Topic.REQUEST_WAITING, Topic.PROCEDURE_AWAITING, Topic.EXPIRY),
    AccountRole.EDUCATOR: (Topic.REQUEST_WAITING, Topic.WEEKLY_SUMMARY),
    AccountRole.ADMIN: (),
}


def topic_of(kind: NoticeKind) -> Topic:
    return _TOPIC_OF[kind]


# Emails nobody can switch off: they guard against a sign-off forged on a session left open.
_ALWAYS_EMAILED = frozenset({NoticeKind.SIGNED_ON_SHARED_DEVICE, NoticeKind.SIGN_OFF_DISPUTED})


def emailed(kind: NoticeKind) -> bool:
    """Whether this kind of notice can come by email at all. The notices about a person's own
    account (a token made, tokens revoked) appear in the app only: no email the portfolio
    sends is about the account itself, the emailed password links aside."""
    return kind in _TOPIC_OF or kind in _ALWAYS_EMAILED


def topics_for(roles: Collection[AccountRole]) -> tuple[Topic, ...]:
    """The emails someone with these account roles can receive, each once, in Topic order."""
    offered = {topic for role in roles for topic in _TOPICS_BY_ROLE[role]}
    return tuple(topic for topic in Topic if topic in offered)


def wants_email(kind: NoticeKind, choices: Mapping[Topic, bool]) -> bool:
    """Everyone gets every email until they switch it off; the notice appears regardless. The
    confirmation of a sign-off on a shared device, and a dispute, cannot be switched off."""
    if kind in _ALWAYS_EMAILED:
        return True
    return emailed(kind) and choices.get(topic_of(kind), True)


class Threshold(enum.StrEnum):
    DUE_60 = "due_60"
    DUE_30 = "due_30"
    EXPIRED = "expired"

    @property
    def kind(self) -> NoticeKind:
        return NoticeKind(self.value)


_ORDER = {Threshold.DUE_60: 0, Threshold.DUE_30: 1, Threshold.EXPIRED: 2}


def threshold_on(expires_on: dt.date, on: dt.date) -> Threshold | None:
    """The stage a sign-off expiring on `expires_on` is in on `on` (see the table above)."""
    left = (expires_on - on).days
    if left < 0:
        return Threshold.EXPIRED if -left <= EXPIRED_REMINDER_DAYS else None
    if left <= SECOND_REMINDER_DAYS:
        return Threshold.DUE_30
    if left <= FIRST_REMINDER_DAYS:
        return Threshold.DUE_60
    return None


def reminder_due(
    expires_on: dt.date, on: dt.date, already: Collection[Threshold]
) -> Threshold | None:
    """The reminder to send today, if any: the current stage, unless it or a later one has
    already been sent."""
    stage = threshold_on(expires_on, on)
    if stage is None:
        return None
    if any(_ORDER[sent] >= _ORDER[stage] for sent in already):
        return None
    return stage


def week_key(on: dt.date) -> str:
    """The ISO week a weekly summary belongs to, e.g. 2026-W48."""
    year, week, _ = on.isocalendar()
    return f"{year}-W{week:02d}"


# Retrying email: waits after each failed attempt, then give up.
RETRY_WAITS = (
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=15),
    dt.timedelta(hours=1),
    dt.timedelta(hours=3),
    dt.timedelta(hours=6),
    dt.timedelta(hours=12),
    dt.timedelta(hours=24),
)
MAX_ATTEMPTS = len(RETRY_WAITS) + 1


def next_attempt(attempts: int, now: dt.datetime) -> dt.datetime | None:
    """When to try again after `attempts` failed attempts; None: give up."""
    if attempts < 1:
        raise ValueError("next_attempt is asked after at least one failed attempt")
    if attempts >= MAX_ATTEMPTS:
        return None
    return now + RETRY_WAITS[attempts - 1]


# The statuses whose sign-off may be reaching or past its expiry (a suspended or revoked one is
# not: it is not in use, whatever its date).
_REMINDABLE = (Status.COMPETENT, Status.DUE_FOR_REASSESSMENT, Status.EXPIRED)


def reminder_for(
    status: StatusOnDate, on: dt.date, sent: Mapping[int, Collection[Threshold]]
) -> tuple[int, Threshold] | None:
    """The reminder a competency's status calls for today, as (decision id, threshold).

    About the sign-off the status rests on (the one in force, or the latest one once expired),
    so a renewal's new sign-off silences the old one's reminders. None while a renewal request
    is waiting for its assessor: the worker has already acted (if it comes back not yet
    competent, the next day's run catches up with the current stage).
    """
    if status.status not in _REMINDABLE or status.renewal_awaiting:
        return None
    decision = status.decision
    if decision is None or decision.expires_on is None:
        return None
    threshold = reminder_due(decision.expires_on, on, sent.get(decision.id, ()))
    return None if threshold is None else (decision.id, threshold)

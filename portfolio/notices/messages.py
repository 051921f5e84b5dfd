"""What a notice says, in the app and by email: pure functions of plain values.

An email carries only what is waiting, for whom (first names) and a link: never a
competency's name, evidence text, feedback or anything about a patient. `EmailFacts` holds
nothing else, so nothing else can reach an email. The in-app notice, seen only after signing
in, also names the competency.
"""

from __future__ import annotations

from dataclasses import dataclass

from portfolio.notices.rules import NoticeKind, emailed


@dataclass(frozen=True)
class SummaryCounts:
    """An educator's weekly summary: counts within their reach."""

    requests_waiting: int = 0
    countersignatures_waiting: int = 0
    due_in_30_days: int = 0
    expired: int = 0

    def any(self) -> bool:
        return any(self.as_dict().values())

    def as_dict(self) -> dict[str, int]:
        return {
            "requests_waiting": self.requests_waiting,
            "countersignatures_waiting": self.countersignatures_waiting,
            "due_in_30_days": self.due_in_30_days,
            "expired": self.expired,
        }

    @classmethod
    def from_dict(cls, values: dict[str, int]) -> SummaryCounts:
        return cls(**{key: int(values.get(key, 0)) for key in cls().as_dict()})

    def lines(self) -> list[str]:
        return [
            _count(self.requests_waiting, "sign-off request", "waiting for a decision"),
            _count(self.countersignatures_waiting, "sign-off", "waiting for a countersignature"),
            _count(self.due_in_30_days, "sign-off", "due for reassessment within 30 days"),
            _count(self.expired, "sign-off", "expired"),
        ]


def _count(number: int, thing: str, state: str) -> str:
    return f"{number} {thing}{'' if number == 1 else 's'} {state}"


def first_name(name: str) -> str:
    parts = name.split()
    return parts[0] if parts else name


@dataclass(frozen=True)
class EmailFacts:
    kind: NoticeKind
    recipient: str  # the recipient's first name
    worker: str  # the first name of the support worker it is about
    about_self: bool  # the recipient is that worker
    link: str  # absolute
    preferences_link: str  # absolute
    counts: SummaryCounts | None = None
    # A request's own link (`signoff.links`) or a dispute's: how long it works, in words.
    link_valid_for: str | None = None
    # A sign-off on a shared device: what was signed off and when, for its assessor to
    # recognise (the one email that names a competency: it is about their own signature).
    what: str | None = None
    when: str | None = None


def _whose(facts: EmailFacts) -> str:
    return "One of your sign-offs" if facts.about_self else f"One of {facts.worker}'s sign-offs"


def compose(facts: EmailFacts) -> tuple[str, str]:
    """The subject and plain-text body."""
    kind = facts.kind
    if not emailed(kind):
        raise ValueError(f"a {kind.value} notice is shown in the app only, never emailed")
    if kind is NoticeKind.REQUEST_WAITING:
        subject = "A sign-off request is waiting for you"
        text = (
            f"{facts.worker} has asked you to sign off a competency. Open the request on your "
            "own phone or computer with this link; you will be asked for your password, once. "
            f"The link is for you alone and works once, for {facts.link_valid_for}; the "
            "request is also on your to-do list:"
            if facts.link_valid_for
            else f"{facts.worker} has asked you to sign off a competency. It is on your to-do list:"
        )
    elif kind is NoticeKind.SIGNED_ON_SHARED_DEVICE:
        subject = "You signed off a competency on a shared device"
        text = (
            f"You signed off {facts.what} for {facts.worker} at {facts.when}, on "
            f"{facts.worker}'s phone or computer. If that was you, there is nothing to do.\n\n"
            f"Not you? Dispute it within {facts.link_valid_for} with this link: the sign-off "
            "is suspended at once and your practice educators are told."
        )
    elif kind is NoticeKind.SIGN_OFF_DISPUTED:
        subject = "A sign-off was disputed by its assessor"
        text = (
            f"The assessor named on one of {facts.worker}'s sign-offs says it was not theirs. "
            "It is suspended until a practice educator looks into it. Details:"
        )
    elif kind is NoticeKind.REQUEST_RETURNED:
        subject = "Feedback on your sign-off request"
        text = (
            "Your assessor recorded 'not yet competent' on a competency you asked to be "
            "signed off, with feedback and an action plan. Read it here:"
        )
    elif kind is NoticeKind.PROCEDURE_AWAITING:
        subject = "A supervised procedure is waiting for your confirmation"
        text = (
            f"{facts.worker} logged a supervised procedure that names you as the witness. It "
            f"counts once you confirm it. Ask {facts.worker} for their phone or computer, "
            "where they are signed in: on their home page or on 'Your evidence', choose "
            "'Confirm procedures with your witness', tick the procedure and enter your own "
            "email address and password. Your notices:"
        )
    elif kind in (NoticeKind.DUE_60, NoticeKind.DUE_30):
        days = 60 if kind is NoticeKind.DUE_60 else 30
        subject = f"{_whose(facts)} is due for reassessment within {days} days"
        text = f"{_whose(facts)} expires within {days} days and needs reassessing. Details:"
    elif kind is NoticeKind.EXPIRED:
        subject = f"{_whose(facts)} has expired"
        text = f"{_whose(facts)} has expired: until it is reassessed it no longer counts. Details:"
    else:
        counts = facts.counts or SummaryCounts()
        subject = "Your weekly sign-off summary"
        text = "Within your reach this week:\n\n" + "\n".join(
            f"- {line}" for line in counts.lines()
        )
        text += "\n\nYour to-do list:"
    body = (
        f"Hello {facts.recipient},\n\n{text}\n\n{facts.link}\n\n"
        "--\nYou get this email because of the choices on your email page. "
        f"To change which emails you get:\n{facts.preferences_link}\n\n"
        "This email was sent automatically; replies are not read.\n"
    )
    return subject, body


def headline(
    kind: NoticeKind,
    *,
    worker: str,
    competency: str,
    about_self: bool,
    counts: SummaryCounts | None = None,
) -> str:
    """One line for the in-app notice list (names in full, and the competency)."""
    whose = (
        f"Your sign-off in {competency}" if about_self else f"{worker}'s sign-off in {competency}"
    )
    if kind is NoticeKind.TOKEN_MADE:
        return (
            "A personal access token was made for your account. If you did not make it, "
            "revoke it and change your password"
        )
    if kind is NoticeKind.TOKENS_REVOKED:
        return (
            "Your personal access tokens were revoked because your password changed or you "
            "signed out everywhere. Make a new one for any system that still needs it"
        )
    if kind is NoticeKind.REQUEST_WAITING:
        return f"{worker} asked you to sign off {competency}"
    if kind is NoticeKind.SIGNED_ON_SHARED_DEVICE:
        return (
            f"You signed off {competency} for {worker} on their device. Not you? The email "
            "about it has a link to dispute it"
        )
    if kind is NoticeKind.SIGN_OFF_DISPUTED:
        return f"{worker}'s sign-off in {competency} was disputed by its assessor and is suspended"
    if kind is NoticeKind.REQUEST_RETURNED:
        return f"Not yet competent in {competency}: read the feedback and action plan"
    if kind is NoticeKind.PROCEDURE_AWAITING:
        return (
            f"{worker} logged a supervised procedure in {competency} naming you as the "
            f"witness. To confirm it, ask {first_name(worker)} for the device they are signed "
            "in on, choose 'Confirm procedures with your witness' on their home page or 'Your "
            "evidence', and enter your own email address and password"
        )
    if kind is NoticeKind.DUE_60:
        return f"{whose} expires within 60 days"
    if kind is NoticeKind.DUE_30:
        return f"{whose} expires within 30 days"
    if kind is NoticeKind.EXPIRED:
        return f"{whose} has expired"
    return "Weekly summary: " + "; ".join((counts or SummaryCounts()).lines())

"""Who gets which reminder on which day, who wants which email, retries, and what an email
may say: the pure rules."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portfolio.core.roles import AccountRole
from portfolio.notices.messages import EmailFacts, SummaryCounts, compose, first_name, headline
from portfolio.notices.rules import (
    MAX_ATTEMPTS,
    NoticeKind,
    Threshold,
    Topic,
    emailed,
    next_attempt,
    reminder_due,
    reminder_for,
    threshold_on,
    topics_for,
    wants_email,
    week_key,
)
from portfolio.standing.status import (
    CompetencyHistory,
    Decision,
    Request,
    SupervisionLevel,
    Suspension,
    status_on,
)
from tests.factories import histories

EXPIRY = dt.date(2026, 6, 30)


@pytest.mark.parametrize(
    ("days_left", "expected"),
    [
        (61, None),
        (60, Threshold.DUE_60),
        (31, Threshold.DUE_60),
        (30, Threshold.DUE_30),
        (1, Threshold.DUE_30),
        (0, Threshold.DUE_30),  # the expiry day itself: still valid
        (-1, Threshold.EXPIRED),  # the day after: expired
        (-30, Threshold.EXPIRED),
        (-31, None),  # old news is never announced
    ],
)
def test_the_stage_on_each_side_of_each_boundary(
    days_left: int, expected: Threshold | None
) -> None:
    assert threshold_on(EXPIRY, EXPIRY - dt.timedelta(days=days_left)) is expected


def test_a_reminder_is_sent_once_and_never_after_a_later_one() -> None:
    on = EXPIRY - dt.timedelta(days=45)
    assert reminder_due(EXPIRY, on, set()) is Threshold.DUE_60
    assert reminder_due(EXPIRY, on, {Threshold.DUE_60}) is None
    # A run that missed the 60-day stage catches up with the current one only.
    late = EXPIRY - dt.timedelta(days=20)
    assert reminder_due(EXPIRY, late, set()) is Threshold.DUE_30
    assert reminder_due(EXPIRY, late, {Threshold.DUE_60}) is Threshold.DUE_30
    assert reminder_due(EXPIRY, late, {Threshold.EXPIRED}) is None


dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31))


@given(expires_on=dates, on=dates, already=st.sets(st.sampled_from(Threshold)))
def test_running_twice_on_the_same_day_sends_nothing_the_second_time(
    expires_on: dt.date, on: dt.date, already: set[Threshold]
) -> None:
    first = reminder_due(expires_on, on, already)
    if first is not None:
        assert first not in already
        already = already | {first}
    assert reminder_due(expires_on, on, already) is None


@given(
    expires_on=dates,
    start=st.integers(min_value=-40, max_value=100),
    length=st.integers(min_value=0, max_value=200),
    skipped=st.sets(st.integers(min_value=0, max_value=200)),
)
def test_daily_runs_send_each_threshold_at_most_once_and_in_order(
    expires_on: dt.date, start: int, length: int, skipped: set[int]
) -> None:
    """Whatever days the task missed: each threshold at most once, 60 before 30 before
    expired, and nothing earlier than its day."""
    sent: list[tuple[Threshold, int]] = []
    for day in range(length):
        if day in skipped:
            continue
        on = expires_on - dt.timedelta(days=start - day)
        due = reminder_due(expires_on, on, {threshold for threshold, _ in sent})
        if due is not None:
            sent.append((due, (expires_on - on).days))
    thresholds = [threshold for threshold, _ in sent]
    assert len(thresholds) == len(set(thresholds))
    order = list(Threshold)
    assert thresholds == sorted(thresholds, key=order.index)
    for threshold, left in sent:
        limit = {Threshold.DUE_60: 60, Threshold.DUE_30: 30, Threshold.EXPIRED: -1}[threshold]
        assert left <= limit


@given(expires_on=dates)
def test_a_task_that_runs_every_day_sends_all_three_on_their_days(expires_on: dt.date) -> None:
    sent: dict[Threshold, int] = {}
    for left in range(90, -40, -1):
        on = expires_on - dt.timedelta(days=left)
        due = reminder_due(expires_on, on, set(sent))
        if due is not None:
            sent[due] = left
    assert sent == {Threshold.DUE_60: 60, Threshold.DUE_30: 30, Threshold.EXPIRED: -1}


def _sign_off(decision_id: int, observed: dt.date, expires: dt.date) -> Decision:
    return histories.decision(
        decision_id, observed=observed, expires=expires, supervision=SupervisionLevel.INDIRECT
    )


def test_the_reminder_is_about_the_sign_off_in_use() -> None:
    old = _sign_off(1, dt.date(2025, 7, 1), EXPIRY)
    on = EXPIRY - dt.timedelta(days=30)
    history = CompetencyHistory(decisions=(old,))
    assert reminder_for(status_on(history, on, due_window_days=60), on, {}) == (
        1,
        Threshold.DUE_30,
    )
    assert (
        reminder_for(status_on(history, on, due_window_days=60), on, {1: {Threshold.DUE_30}})
        is None
    )
    # Renewed: the new sign-off is in force and far from expiry, so nothing is due.
    renewed = CompetencyHistory(
        decisions=(old, _sign_off(2, on - dt.timedelta(days=5), dt.date(2027, 6, 1)))
    )
    assert reminder_for(status_on(renewed, on, due_window_days=60), on, {}) is None
    # Suspended: not in use, so no reminder whatever its date.
    suspended = CompetencyHistory(
        decisions=(old,), suspensions=(Suspension(decision_id=1, starts_on=dt.date(2026, 1, 1)),)
    )
    assert reminder_for(status_on(suspended, on, due_window_days=60), on, {}) is None
    # Expired: the latest sign-off, once.
    after = EXPIRY + dt.timedelta(days=1)
    assert reminder_for(status_on(history, after, due_window_days=60), after, {}) == (
        1,
        Threshold.EXPIRED,
    )


def test_no_reminder_while_a_renewal_waits_for_its_assessor() -> None:
    on = EXPIRY - dt.timedelta(days=30)
    waiting = CompetencyHistory(
        decisions=(_sign_off(1, dt.date(2025, 7, 1), EXPIRY),),
        requests=(Request(requested_on=on - dt.timedelta(days=3)),),
    )
    assert reminder_for(status_on(waiting, on, due_window_days=60), on, {}) is None
    returned = CompetencyHistory(
        decisions=waiting.decisions,
        requests=(Request(requested_on=on - dt.timedelta(days=3), decided_on=on),),
    )
    assert reminder_for(status_on(returned, on, due_window_days=60), on, {}) == (
        1,
        Threshold.DUE_30,
    )


@given(
    kind=st.sampled_from(NoticeKind),
    choices=st.dictionaries(st.sampled_from(Topic), st.booleans()),
)
def test_an_email_is_wanted_unless_its_topic_was_switched_off(
    kind: NoticeKind, choices: dict[Topic, bool]
) -> None:
    if kind in (NoticeKind.TOKEN_MADE, NoticeKind.TOKENS_REVOKED):
        assert not emailed(kind)  # about the account itself: in the app only
        assert wants_email(kind, choices) is False
        return
    if kind in (NoticeKind.SIGNED_ON_SHARED_DEVICE, NoticeKind.SIGN_OFF_DISPUTED):
        assert emailed(kind)  # the guard against a forged sign-off: never switched off
        assert wants_email(kind, dict.fromkeys(Topic, False)) is True
        return
    expiry = {NoticeKind.DUE_60, NoticeKind.DUE_30, NoticeKind.EXPIRED}
    topic = Topic.EXPIRY if kind in expiry else Topic(kind.value)
    assert emailed(kind)
    assert wants_email(kind, choices) is choices.get(topic, True)


def test_each_account_role_is_offered_its_own_emails() -> None:
    assert topics_for({AccountRole.SUPPORT_WORKER}) == (Topic.REQUEST_RETURNED, Topic.EXPIRY)
    assert topics_for({AccountRole.SUPERVISOR}) == (
        Topic.REQUEST_WAITING,
        Topic.PROCEDURE_AWAITING,
        Topic.EXPIRY,
    )
    assert topics_for({AccountRole.EDUCATOR}) == (Topic.REQUEST_WAITING, Topic.WEEKLY_SUMMARY)
    assert topics_for({AccountRole.ADMIN}) == ()
    assert topics_for(set(AccountRole)) == tuple(Topic)


def test_retries_wait_longer_each_time_then_stop() -> None:
    now = dt.datetime(2026, 3, 1, 9, tzinfo=dt.UTC)
    waits = [next_attempt(attempt, now) for attempt in range(1, MAX_ATTEMPTS + 1)]
    assert waits[-1] is None
    times = [when for when in waits if when is not None]
    assert len(times) == MAX_ATTEMPTS - 1
    assert times == sorted(times)
    assert times[0] - now == dt.timedelta(minutes=5)
    with pytest.raises(ValueError, match="at least one"):
        next_attempt(0, now)


def test_week_keys_follow_the_iso_calendar() -> None:
    assert week_key(dt.date(2026, 11, 30)) == "2026-W49"
    assert week_key(dt.date(2027, 1, 1)) == "2026-W53"


names = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


def _email(kind: NoticeKind, recipient: str, worker: str, about_self: bool) -> tuple[str, str]:
    return compose(
        EmailFacts(
            kind=kind,
            recipient=recipient,
            worker=worker,
            about_self=about_self,
            link="https://portfolio.trust.example/to-do",
            preferences_link="https://portfolio.trust.example/notices/emails",
            counts=SummaryCounts(requests_waiting=2, expired=1),
        )
    )


@given(
    kind=st.sampled_from([kind for kind in NoticeKind if emailed(kind)]),
    recipient=names,
    worker=names,
    about_self=st.booleans(),
)
def test_an_email_says_what_waits_for_whom_with_a_link_and_nothing_else(
    kind: NoticeKind, recipient: str, worker: str, about_self: bool
) -> None:
    """Names go in as given and change nothing else: every other word is the fixed wording of
    the kind, with the link and the counts. (No competency, evidence or feedback can reach an
    email: EmailFacts has no place for them.)"""
    subject, text = _email(kind, first_name(recipient), first_name(worker), about_self)
    marked_subject, marked_text = _email(kind, "\x00R", "\x00W", about_self)
    assert subject == marked_subject.replace("\x00R", first_name(recipient)).replace(
        "\x00W", first_name(worker)
    )
    assert text == marked_text.replace("\x00R", first_name(recipient)).replace(
        "\x00W", first_name(worker)
    )
    assert "https://portfolio.trust.example/to-do" in text
    assert "https://portfolio.trust.example/notices/emails" in text
    if kind is NoticeKind.WEEKLY_SUMMARY:
        assert "2 sign-off requests waiting for a decision" in text
        assert "1 sign-off expired" in text


@given(name=names)
def test_only_the_first_word_of_a_name_reaches_an_email(name: str) -> None:
    assert first_name("Jordan Lee 943 476 5919") == "Jordan"
    assert " " not in first_name(name).strip() or not name.split()


def test_the_in_app_notice_names_the_competency_and_the_person() -> None:
    assert (
        headline(
            NoticeKind.REQUEST_WAITING,
            worker="Morgan Davies",
            competency="Cannulation (CANN)",
            about_self=False,
        )
        == "Morgan Davies asked you to sign off Cannulation (CANN)"
    )
    assert headline(
        NoticeKind.DUE_30, worker="Morgan Davies", competency="Cannulation", about_self=True
    ) == ("Your sign-off in Cannulation expires within 30 days")
    assert (
        headline(
            NoticeKind.EXPIRED, worker="Morgan Davies", competency="Cannulation", about_self=False
        )
        == "Morgan Davies's sign-off in Cannulation has expired"
    )

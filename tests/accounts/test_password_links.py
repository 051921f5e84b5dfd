"""Invitations and password resets by email: what arrives at a real SMTP server on 127.0.0.1,
following its link in the test client, and every way a link stops working."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from portfolio.accounts.models import LinkPurpose, PasswordLink
from portfolio.accounts.tokens import LinkState, describe_duration, link_state
from portfolio.audit.models import AuditEntry
from portfolio.core import clock
from portfolio.core.roles import AccountRole
from portfolio.core.settings import get_settings
from portfolio.people.models import User
from portfolio.ratelimit.models import RateLimitHit
from tests import factories
from tests.support.mail import BASE_URL, Inbox, body

LINK = re.compile(re.escape(BASE_URL) + r"(/password/set/[A-Za-z0-9_-]+)")
NEW_PASSWORD = "harbour lantern meadow"
SENT = "If an account exists for"

# Pure: whether a link works.

NOW = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
moments = st.one_of(
    st.none(),
    st.datetimes(
        min_value=dt.datetime(2026, 1, 1),  # noqa: DTZ001 - Hypothesis wants naive bounds
        max_value=dt.datetime(2026, 6, 1),  # noqa: DTZ001 - and adds the zone below
        timezones=st.just(dt.UTC),
    ),
)


@given(used=moments, superseded=moments, active=st.booleans(), minutes=st.integers(-600, 600))
def test_a_link_works_only_unused_unsuperseded_unexpired_and_for_an_open_account(
    used: dt.datetime | None, superseded: dt.datetime | None, active: bool, minutes: int
) -> None:
    expires = NOW + dt.timedelta(minutes=minutes)
    state = link_state(
        now=NOW, expires_at=expires, used_at=used, superseded_at=superseded, account_active=active
    )
    usable = used is None and superseded is None and active and expires > NOW
    assert (state is LinkState.USABLE) == usable
    if used is not None:
        assert state is LinkState.USED  # the person is told theirs was used, before anything


def test_a_link_expires_at_its_exact_instant() -> None:
    def state(now: dt.datetime) -> LinkState:
        return link_state(
            now=now, expires_at=NOW, used_at=None, superseded_at=None, account_active=True
        )

    assert state(NOW - dt.timedelta(microseconds=1)) is LinkState.USABLE
    assert state(NOW) is LinkState.EXPIRED


@pytest.mark.parametrize(
    ("delta", "words"),
    [
        (dt.timedelta(minutes=60), "60 minutes"),
        (dt.timedelta(minutes=1), "1 minute"),
        (dt.timedelta(hours=2), "2 hours"),
        (dt.timedelta(days=14), "14 days"),
        (dt.timedelta(days=1), "1 day"),
    ],
)
def test_how_long_a_link_works_reads_naturally(delta: dt.timedelta, words: str) -> None:
    assert describe_duration(delta) == words


# Through the pages.


def _admin(session: Session, client: FlaskClient) -> tuple[User, str]:
    org = factories.organisation(session)
    admin = factories.person(session, org, AccountRole.ADMIN)
    factories.sign_in(client, admin)
    return admin, factories.csrf_token(client, "/people/new")


def _add(client: FlaskClient, token: str, email: str, name: str = "Jordan Lee") -> str:
    response = client.post(
        "/people/new",
        data={
            "csrf_token": token,
            "name": name,
            "email": email,
            "roles": ["support_worker"],
            "register": "none",
        },
    )
    assert response.status_code == 200
    return factories.page_text(response)


def _link_in(mail: Inbox, address: str, index: int = -1) -> str:
    message = mail.to(address)[index]
    match = LINK.search(body(message))
    assert match, body(message)
    return match.group(1)


def _set(client: FlaskClient, path: str, password: str, confirm: str | None = None) -> int:
    token = factories.csrf_token(client, path)
    response = client.post(
        path,
        data={
            "csrf_token": token,
            "new_password": password,
            "confirm_password": confirm if confirm is not None else password,
        },
    )
    return response.status_code


def _forget(client: FlaskClient, address: str, ip: str = "127.0.0.1") -> TestResponse:
    """ "Forgotten your password?" for an address, from a network address."""
    return client.post(
        "/password/forgotten",
        data={"csrf_token": factories.csrf_token(client, "/password/forgotten"), "email": address},
        environ_base={"REMOTE_ADDR": ip},
    )


def _ask(client: FlaskClient, address: str, ip: str) -> str:
    response = _forget(client, address, ip)
    assert response.status_code == 200
    return factories.page_text(response)


def _actions(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)))


def test_a_person_added_is_invited_by_email_and_chooses_their_own_password(
    session: Session, client: FlaskClient, new_client: Callable[[], FlaskClient], mail: Inbox
) -> None:
    admin, token = _admin(session, client)
    page = _add(client, token, "Jordan.Lee@Trust.example")
    assert "An email is on its way to jordan.lee@trust.example" in page
    assert "temporary password" not in page.lower()

    [message] = mail.to("jordan.lee@trust.example")
    assert message["Subject"] == "Set your password for the imaging support portfolio"
    text = body(message)
    assert text.startswith("Hello Jordan,")
    assert "works once, for 14 days" in text
    assert f"{BASE_URL}/password/forgotten" in text
    path = _link_in(mail, "jordan.lee@trust.example")
    person = session.scalars(select(User).where(User.email == "jordan.lee@trust.example")).one()
    # Nobody can sign in as them until they choose a password.
    for guess in ("!invited", "anything-at-all", factories.PASSWORD):
        assert factories.sign_in(new_client(), person, guess).status_code == 200
    assert not person.must_change_password

    # Only the token's hash is stored, nowhere the token itself.
    token_in_link = path.rsplit("/", 1)[1]
    [link] = session.scalars(select(PasswordLink).where(PasswordLink.user_id == person.id))
    assert link.token_hash == hashlib.sha256(token_in_link.encode()).hexdigest()
    assert link.purpose is LinkPurpose.INVITATION
    assert link.requested_by_id == admin.id
    assert link.emailed_at is not None
    assert all(token_in_link not in str(value) for value in vars(link).values())

    theirs = new_client()
    page = factories.page_text(theirs.get(path))
    assert "Choose your password" in page
    assert "Welcome, Jordan Lee" in page
    assert _set(theirs, path, "short") == 200  # the usual rules: nothing is used up
    assert _set(theirs, path, "jordan lee") == 200
    assert _set(theirs, path, NEW_PASSWORD, NEW_PASSWORD + "x") == 200
    assert _set(theirs, path, NEW_PASSWORD) == 302
    assert "Your password has been set" in factories.page_text(theirs.get("/sign-in"))
    assert factories.sign_in(theirs, person, NEW_PASSWORD).headers["Location"] == "/home"

    # Used up: a second visit says so, with a way to ask for another.
    again = new_client().get(path)
    assert again.status_code == 410
    assert "already been used" in factories.page_text(again)
    assert 'href="/password/forgotten"' in again.get_data(as_text=True)
    session.expire_all()
    assert {"person.created", "password_link.issued", "password.set_from_link"} <= set(
        _actions(session)
    )
    issued = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "password_link.issued")
    ).one()
    assert issued.actor_id == admin.id
    assert "jordan" not in issued.changes.lower()


def test_resending_an_invitation_stops_the_earlier_link_at_once(
    session: Session, client: FlaskClient, new_client: Callable[[], FlaskClient], mail: Inbox
) -> None:
    _, token = _admin(session, client)
    _add(client, token, "sasha@trust.example", "Sasha Brennan")
    first = _link_in(mail, "sasha@trust.example")
    person = session.scalars(select(User).where(User.email == "sasha@trust.example")).one()
    page = client.get(f"/people/{person.id}")
    assert "works until" in factories.page_text(page)
    response = client.post(f"/people/{person.id}/invitation", data={"csrf_token": token})
    assert response.status_code == 302
    assert "An invitation is on its way" in factories.page_text(client.get(response.location))
    second = _link_in(mail, "sasha@trust.example")
    assert second != first
    old = new_client().get(first)
    assert old.status_code == 410
    assert "replaced by a newer one" in factories.page_text(old)
    assert "administrator to send your invitation again" in factories.page_text(old)
    assert _set(new_client(), second, NEW_PASSWORD) == 302
    assert "Invitation link sent" in factories.page_text(client.get(f"/people/{person.id}"))


def test_an_expired_link_says_so_and_offers_a_new_one(
    session: Session,
    client: FlaskClient,
    new_client: Callable[[], FlaskClient],
    mail: Inbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, token = _admin(session, client)
    _add(client, token, "late@trust.example", "Robin Late")
    path = _link_in(mail, "late@trust.example")
    real = clock.utcnow
    monkeypatch.setattr(clock, "utcnow", lambda: real() + dt.timedelta(days=14, minutes=1))
    response = new_client().get(path)
    assert response.status_code == 410
    assert "This link has expired" in factories.page_text(response)
    late = new_client()
    posted = late.post(
        path,
        data={
            "csrf_token": factories.csrf_token(late),
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert posted.status_code == 410


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: token[:20],
        lambda token: token + "x" * 200,
        lambda token: "'; DROP TABLE users; --",
    ],
    ids=["one-character", "cut-short", "too-long", "nonsense"],
)
def test_a_tampered_link_is_refused_with_a_clear_page(
    session: Session,
    client: FlaskClient,
    new_client: Callable[[], FlaskClient],
    mail: Inbox,
    tamper: Callable[[str], str],
) -> None:
    _, token = _admin(session, client)
    _add(client, token, "tamper@trust.example")
    path = _link_in(mail, "tamper@trust.example")
    bad = "/password/set/" + tamper(path.rsplit("/", 1)[1]).replace("/", "")
    response = new_client().get(bad)
    assert response.status_code == 404
    assert "This link is not valid" in factories.page_text(response)
    assert new_client().post(bad, data={"new_password": NEW_PASSWORD}).status_code in {400, 404}


def test_forgotten_password_answers_the_same_whoever_asks(
    app: Flask, session: Session, new_client: Callable[[], FlaskClient], mail: Inbox
) -> None:
    org = factories.organisation(session)
    known = factories.person(session, org, email="known@trust.example")
    gone = factories.person(session, org, email="gone@trust.example")
    gone.active = False
    session.flush()

    answers = []
    for address in ("known@trust.example", "nobody@trust.example", "gone@trust.example"):
        browser = new_client()
        page = browser.get("/sign-in").get_data(as_text=True)
        assert 'href="/password/forgotten"' in page
        response = _forget(browser, address)
        answers.append((response.status_code, factories.page_text(response).replace(address, "X")))
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] == 200
    assert f"{SENT} X, we have sent a link" in answers[0][1]

    # Every request is counted alike; only the active account gets an email.
    counted = select(func.count()).where(RateLimitHit.key.startswith("reset-email/"))
    assert session.scalar(counted) == 3
    assert mail.recipients == [["known@trust.example"]]
    [message] = mail.to("known@trust.example")
    assert message["Subject"] == "Reset your password for the imaging support portfolio"
    assert "works once, for 60 minutes" in body(message)
    assert "your password has not changed" in body(message)
    assert known.password_hash == session.get_one(User, known.id).password_hash


def test_a_reset_link_signs_out_other_sessions_and_ends_a_forced_change(
    session: Session, new_client: Callable[[], FlaskClient], mail: Inbox
) -> None:
    org = factories.organisation(session)
    worker = factories.person(session, org, email="worker@trust.example")
    worker.must_change_password = True
    session.flush()
    elsewhere = new_client()
    factories.sign_in(elsewhere, worker)
    version = worker.session_version
    browser = new_client()
    _forget(browser, "WORKER@trust.example ")
    path = _link_in(mail, "worker@trust.example")
    assert "Choose a new password for worker@trust.example" in factories.page_text(
        browser.get(path)
    )
    assert _set(browser, path, NEW_PASSWORD) == 302
    session.expire_all()
    assert worker.session_version == version + 1
    assert not worker.must_change_password
    assert elsewhere.get("/home").status_code == 302  # that session has ended
    assert factories.sign_in(new_client(), worker, NEW_PASSWORD).headers["Location"] == "/home"
    assert new_client().get(path).status_code == 410


def test_a_reset_link_lasts_an_hour(
    session: Session,
    new_client: Callable[[], FlaskClient],
    mail: Inbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    org = factories.organisation(session)
    factories.person(session, org, email="hour@trust.example")
    browser = new_client()
    _forget(browser, "hour@trust.example")
    path = _link_in(mail, "hour@trust.example")
    real = clock.utcnow
    monkeypatch.setattr(clock, "utcnow", lambda: real() + dt.timedelta(minutes=59))
    assert new_client().get(path).status_code == 200
    monkeypatch.setattr(clock, "utcnow", lambda: real() + dt.timedelta(minutes=61))
    assert new_client().get(path).status_code == 410


def test_reset_requests_are_limited_per_address_and_per_network_address_silently(
    app: Flask, session: Session, client: FlaskClient, mail: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = factories.organisation(session)
    factories.person(session, org, email="often@trust.example")
    factories.person(session, org, email="other@trust.example")
    limit = get_settings(app).password_reset_email_limit
    for number in range(limit + 1):
        assert SENT in _ask(client, "often@trust.example", f"10.0.0.{number}")
    assert len(mail.to("often@trust.example")) == limit  # the last one answered, not sent

    monkeypatch.setitem(
        app.extensions, "settings", get_settings(app).changed(password_reset_address_limit=2)
    )
    _ask(client, "nobody1@trust.example", "10.9.9.9")
    _ask(client, "nobody2@trust.example", "10.9.9.9")
    assert SENT in _ask(client, "other@trust.example", "10.9.9.9")
    assert mail.to("other@trust.example") == []
    assert SENT in _ask(client, "other@trust.example", "10.9.9.10")  # another address is fine
    assert len(mail.to("other@trust.example")) == 1


def test_the_reset_request_limits_lift_after_their_window(
    app: Flask, session: Session, client: FlaskClient, mail: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = factories.organisation(session)
    factories.person(session, org, email="again@trust.example")
    monkeypatch.setitem(
        app.extensions, "settings", get_settings(app).changed(password_reset_address_limit=2)
    )
    window = dt.timedelta(minutes=get_settings(app).password_reset_window_minutes)
    _ask(client, "again@trust.example", "10.8.8.8")
    _ask(client, "nobody@trust.example", "10.8.8.8")
    assert SENT in _ask(client, "again@trust.example", "10.8.8.8")  # answered, not sent
    assert len(mail.to("again@trust.example")) == 1
    real = clock.utcnow
    monkeypatch.setattr(clock, "utcnow", lambda: real() + window - dt.timedelta(minutes=1))
    _ask(client, "again@trust.example", "10.8.8.8")
    assert len(mail.to("again@trust.example")) == 1  # still within the window
    monkeypatch.setattr(clock, "utcnow", lambda: real() + window + dt.timedelta(seconds=1))
    assert SENT in _ask(client, "again@trust.example", "10.8.8.8")
    assert len(mail.to("again@trust.example")) == 2


def test_changing_a_password_or_deactivating_stops_an_open_link(
    session: Session, client: FlaskClient, new_client: Callable[[], FlaskClient], mail: Inbox
) -> None:
    org = factories.organisation(session)
    worker = factories.person(session, org, email="changer@trust.example")
    leaver = factories.person(session, org, email="leaver@trust.example")
    for address in ("changer@trust.example", "leaver@trust.example"):
        _forget(new_client(), address)
    factories.sign_in(client, worker)
    client.post(
        "/account/password",
        data={
            "csrf_token": factories.csrf_token(client, "/account/password"),
            "current_password": factories.PASSWORD,
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
    )
    assert new_client().get(_link_in(mail, "changer@trust.example")).status_code == 410
    leaver.active = False
    session.flush()
    response = new_client().get(_link_in(mail, "leaver@trust.example"))
    assert response.status_code == 410
    assert "can no longer be used" in factories.page_text(response)


def test_a_refusing_mail_server_leaves_the_page_working_and_tells_the_administrator(
    session: Session, client: FlaskClient, mail: Inbox
) -> None:
    mail.refuse = "550 No such mailbox"
    _, token = _admin(session, client)
    page = _add(client, token, "bounce@trust.example", "Bo Unce")
    assert "Bo Unce has been added" in page
    person = session.scalars(select(User).where(User.email == "bounce@trust.example")).one()
    profile = factories.page_text(client.get(f"/people/{person.id}"))
    assert "the email could not be sent (550 No such mailbox)" in profile
    assert "They have not chosen a password yet" in profile
    assert mail.messages == []


def test_without_email_set_up_an_administrator_is_told_and_hands_over_a_password(
    session: Session, client: FlaskClient, new_client: Callable[[], FlaskClient]
) -> None:
    _, token = _admin(session, client)
    page = _add(client, token, "paper@trust.example", "Pat Paper")
    assert "Their temporary password" in page
    assert "cannot send emails yet" in page
    person = session.scalars(select(User).where(User.email == "paper@trust.example")).one()
    response = client.post(f"/people/{person.id}/invitation", data={"csrf_token": token})
    assert "No invitation was sent" in factories.page_text(client.get(response.location))
    assert session.scalar(select(func.count()).select_from(PasswordLink)) == 0
    assert "Ask your administrator to reset it" in factories.page_text(new_client().get("/sign-in"))

"""Signing in and out, limits on guessing, sessions that end when they should."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portfolio.accounts.models import SignInAttempt
from portfolio.core import clock
from portfolio.core.roles import AccountRole
from portfolio.core.settings import get_settings
from tests import factories

WRONG = "Enter a correct email address and password"
LOCKED = "too many failed attempts"


def _worker(session: Session, **kwargs):  # type: ignore[no-untyped-def]
    return factories.person(session, factories.organisation(session), **kwargs)


def test_the_right_password_signs_in_and_lands_on_home(
    session: Session, client: FlaskClient
) -> None:
    worker = _worker(session)
    response = factories.sign_in(client, worker)
    assert response.status_code == 302
    assert response.headers["Location"] == "/home"
    assert "Hello, " + worker.name in client.get("/home").get_data(as_text=True)


def test_email_is_not_case_sensitive(session: Session, client: FlaskClient) -> None:
    worker = _worker(session)
    assert factories.sign_in(client, worker.email.upper()).status_code == 302


def test_wrong_password_and_unknown_address_get_the_same_message(
    session: Session, client: FlaskClient
) -> None:
    worker = _worker(session)
    wrong_password = factories.sign_in(client, worker, "not-the-password")
    unknown = factories.sign_in(client, "nobody@trust.example", "not-the-password")
    for response in (wrong_password, unknown):
        page = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "There is a problem" in page
        assert WRONG in page
    assert client.get("/home").status_code == 302  # still signed out


def test_an_inactive_account_is_refused(session: Session, client: FlaskClient) -> None:
    worker = _worker(session)
    worker.active = False
    session.flush()
    page = factories.sign_in(client, worker).get_data(as_text=True)
    assert "This account is not active" in page
    assert client.get("/home").status_code == 302


def test_a_form_without_its_csrf_token_is_refused(session: Session, client: FlaskClient) -> None:
    worker = _worker(session)
    response = client.post("/sign-in", data={"email": worker.email, "password": factories.PASSWORD})
    assert response.status_code == 400
    assert client.get("/home").status_code == 302


def test_the_account_limit_stops_guessing_but_not_a_colleague_on_the_same_address(
    app: Flask, session: Session, new_client
) -> None:  # type: ignore[no-untyped-def]
    org = factories.organisation(session)
    target = factories.person(session, org)
    colleague = factories.person(session, org)
    guesser = new_client()
    for _ in range(get_settings(app).sign_in_account_limit):
        assert WRONG in factories.sign_in(guesser, target, "a-wrong-guess").get_data(as_text=True)
    # Now even the right password is refused for this account, for the window.
    refused = factories.sign_in(new_client(), target)
    assert LOCKED in refused.get_data(as_text=True)
    # A colleague behind the same proxy address signs in normally.
    assert factories.sign_in(new_client(), colleague).status_code == 302


def test_the_address_limit_counts_failures_across_accounts(
    app: Flask, session: Session, new_client
) -> None:  # type: ignore[no-untyped-def]
    org = factories.organisation(session)
    worker = factories.person(session, org)
    client = new_client()
    for number in range(get_settings(app).sign_in_address_limit):
        factories.sign_in(client, f"stuffing{number}@trust.example", "a-wrong-guess")
    assert LOCKED in factories.sign_in(client, worker).get_data(as_text=True)


def test_the_address_limit_lifts_after_its_window(
    app: Flask, session: Session, new_client, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    worker = _worker(session)
    client = new_client()
    for number in range(get_settings(app).sign_in_address_limit):
        factories.sign_in(client, f"stuffing{number}@trust.example", "a-wrong-guess")
    assert LOCKED in factories.sign_in(client, worker).get_data(as_text=True)
    window = dt.timedelta(minutes=get_settings(app).sign_in_window_minutes)
    real = clock.utcnow
    monkeypatch.setattr(clock, "utcnow", lambda: real() + window - dt.timedelta(minutes=1))
    assert LOCKED in factories.sign_in(client, worker).get_data(as_text=True)
    monkeypatch.setattr(clock, "utcnow", lambda: real() + window + dt.timedelta(seconds=1))
    assert factories.sign_in(client, worker).status_code == 302


def test_a_success_resets_the_account_count(app: Flask, session: Session, new_client) -> None:  # type: ignore[no-untyped-def]
    worker = _worker(session)
    for _ in range(get_settings(app).sign_in_account_limit - 1):
        factories.sign_in(new_client(), worker, "a-wrong-guess")
    assert factories.sign_in(new_client(), worker).status_code == 302
    factories.sign_in(new_client(), worker, "a-wrong-guess")
    assert factories.sign_in(new_client(), worker).status_code == 302


def test_attempts_are_counted_in_the_database(session: Session, client: FlaskClient) -> None:
    worker = _worker(session)
    factories.sign_in(client, worker, "a-wrong-guess")
    count = session.scalar(
        select(func.count()).where(
            SignInAttempt.email == worker.email, SignInAttempt.succeeded.is_(False)
        )
    )
    assert count == 1


def test_sign_out_ends_the_session(session: Session, client: FlaskClient) -> None:
    worker = _worker(session)
    factories.sign_in(client, worker)
    token = factories.csrf_token(client, "/account")
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 302
    assert client.get("/home").status_code == 302


def test_sign_out_everywhere_ends_every_session(session: Session, new_client) -> None:  # type: ignore[no-untyped-def]
    worker = _worker(session)
    phone, ward_pc = new_client(), new_client()
    factories.sign_in(phone, worker)
    factories.sign_in(ward_pc, worker)
    token = factories.csrf_token(phone, "/account")
    phone.post("/account/sign-out-everywhere", data={"csrf_token": token})
    assert ward_pc.get("/home").status_code == 302
    assert phone.get("/home").status_code == 302
    # A fresh sign-in works again.
    assert factories.sign_in(ward_pc, worker).status_code == 302
    assert ward_pc.get("/home").status_code == 200


def test_an_idle_session_is_signed_out(app: Flask, session: Session, client: FlaskClient) -> None:
    worker = _worker(session)
    factories.sign_in(client, worker)
    assert client.get("/home").status_code == 200
    with client.session_transaction() as cookie:
        cookie["last_seen"] = int(time.time()) - get_settings(app).idle_timeout_minutes * 60 - 5
    response = client.get("/home")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "without activity" in page
    assert client.get("/home").status_code == 302


def test_an_active_session_is_kept(app: Flask, session: Session, client: FlaskClient) -> None:
    worker = _worker(session)
    factories.sign_in(client, worker)
    with client.session_transaction() as cookie:
        cookie["last_seen"] = int(time.time()) - get_settings(app).idle_timeout_minutes * 60 + 30
    assert client.get("/home").status_code == 200


def test_changing_the_password_ends_other_sessions_and_keeps_this_one(
    session: Session, new_client
) -> None:  # type: ignore[no-untyped-def]
    worker = _worker(session)
    here, elsewhere = new_client(), new_client()
    factories.sign_in(here, worker)
    factories.sign_in(elsewhere, worker)
    token = factories.csrf_token(here, "/account/password")
    response = here.post(
        "/account/password",
        data={
            "csrf_token": token,
            "current_password": factories.PASSWORD,
            "new_password": "a-brand-new-passphrase",
            "confirm_password": "a-brand-new-passphrase",
        },
    )
    assert response.status_code == 302
    assert here.get("/home").status_code == 200
    assert elsewhere.get("/home").status_code == 302
    assert factories.sign_in(new_client(), worker, "a-brand-new-passphrase").status_code == 302


def test_a_weak_or_mismatched_new_password_changes_nothing(
    session: Session, client: FlaskClient
) -> None:
    worker = _worker(session)
    before = worker.password_hash
    factories.sign_in(client, worker)
    token = factories.csrf_token(client, "/account/password")
    for new, confirm, message in [
        ("short", "short", "12 characters or more"),
        ("a-long-new-password", "another-long-password", "do not match"),
    ]:
        page = client.post(
            "/account/password",
            data={
                "csrf_token": token,
                "current_password": factories.PASSWORD,
                "new_password": new,
                "confirm_password": confirm,
            },
        ).get_data(as_text=True)
        assert "There is a problem" in page
        assert message in page
    session.refresh(worker)
    assert worker.password_hash == before


def test_an_admin_reset_forces_a_change_at_next_sign_in(session: Session, new_client) -> None:  # type: ignore[no-untyped-def]
    org = factories.organisation(session)
    admin = factories.person(session, org, AccountRole.ADMIN)
    worker = factories.person(session, org)
    worker_client, admin_client = new_client(), new_client()
    factories.sign_in(worker_client, worker)
    factories.sign_in(admin_client, admin)
    token = factories.csrf_token(admin_client, f"/people/{worker.id}")
    page = admin_client.post(
        f"/people/{worker.id}/reset-password", data={"csrf_token": token}
    ).get_data(as_text=True)
    temporary = page.split('id="temporary-password">')[1].split("<")[0]
    assert worker_client.get("/home").status_code == 302  # their open session has ended
    assert factories.sign_in(new_client(), worker).status_code == 200  # old password refused
    fresh = new_client()
    response = factories.sign_in(fresh, worker, temporary)
    assert response.headers["Location"] == "/account/password"
    assert fresh.get("/home").headers["Location"] == "/account/password"  # nowhere else first


def test_guessing_from_elsewhere_does_not_lock_someone_out_of_their_usual_computer(
    app: Flask, session: Session, new_client
) -> None:  # type: ignore[no-untyped-def]
    worker = _worker(session)
    usual = new_client()
    assert factories.sign_in(usual, worker).status_code == 302
    token = factories.csrf_token(usual, "/account")
    usual.post("/sign-out", data={"csrf_token": token})
    guesser = new_client()
    for _ in range(get_settings(app).sign_in_account_limit):
        factories.sign_in(guesser, worker, "a-wrong-guess")
    assert LOCKED in factories.sign_in(new_client(), worker).get_data(as_text=True)
    assert factories.sign_in(usual, worker).status_code == 302  # their own browser still works


def test_a_busy_shared_address_never_locks_out_staff_known_to_their_browsers(
    app: Flask, session: Session, new_client
) -> None:  # type: ignore[no-untyped-def]
    worker = _worker(session)
    ward_pc = new_client()
    assert factories.sign_in(ward_pc, worker).status_code == 302
    ward_pc.post("/sign-out", data={"csrf_token": factories.csrf_token(ward_pc, "/account")})
    stranger = new_client()
    for number in range(get_settings(app).sign_in_address_limit):
        factories.sign_in(stranger, f"nobody{number}@trust.example", "a-wrong-guess")
    assert LOCKED in factories.sign_in(stranger, worker).get_data(as_text=True)
    assert factories.sign_in(ward_pc, worker).status_code == 302


def test_a_forged_device_cookie_counts_for_nothing(
    app: Flask, session: Session, new_client
) -> None:  # type: ignore[no-untyped-def]
    worker = _worker(session)
    guesser = new_client()
    guesser.set_cookie("portfolio_device", "forged.value.here")
    for _ in range(get_settings(app).sign_in_account_limit):
        factories.sign_in(guesser, worker, "a-wrong-guess")
    assert LOCKED in factories.sign_in(guesser, worker).get_data(as_text=True)

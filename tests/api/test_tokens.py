"""Personal access tokens: what makes one work (pure), how they are stored, and the API
refusing every token that should not work, and the browser's session cookie."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from portfolio.accounts.links import issue_link
from portfolio.accounts.models import LinkPurpose, SignInAttempt
from portfolio.api import services, tokens
from portfolio.api.models import ApiToken, TokenScope
from portfolio.audit.models import AuditEntry
from portfolio.core import clock
from portfolio.core.clock import today, utcnow
from portfolio.core.settings import get_settings
from portfolio.demo import PASSWORD
from portfolio.notices.models import EmailStatus, Notice
from portfolio.notices.rules import NoticeKind
from portfolio.people.models import User
from tests import factories
from tests.api.demo_trust import MakeToken, Trust, bearer

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)


@given(st.text(max_size=80))
def test_only_the_shape_of_a_token_is_plausible(text: str) -> None:
    assert tokens.plausible(text) == (
        len(text) == 47
        and text.startswith("isp_")
        and all(char.isascii() and (char.isalnum() or char in "-_") for char in text[4:])
    )


def test_a_new_token_is_plausible_and_never_repeats() -> None:
    made = {tokens.new_token() for _ in range(100)}
    assert len(made) == 100
    assert all(tokens.plausible(item) for item in made)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("Basic abc", None),
        ("Bearer isp_x", "isp_x"),
        ("bearer  isp_x ", "isp_x"),
        ("Bearer", ""),
    ],
)
def test_the_bearer_token_is_read_from_the_header(header: str | None, expected: str | None) -> None:
    assert tokens.bearer_token(header) == expected


@pytest.mark.parametrize(
    ("expires", "revoked", "active", "state"),
    [
        (NOW + dt.timedelta(seconds=1), None, True, tokens.TokenState.USABLE),
        (NOW, None, True, tokens.TokenState.EXPIRED),  # at its exact instant
        (NOW + dt.timedelta(days=1), NOW, True, tokens.TokenState.REVOKED),
        (NOW - dt.timedelta(days=1), NOW, True, tokens.TokenState.REVOKED),
        (NOW + dt.timedelta(days=1), None, False, tokens.TokenState.CLOSED),
    ],
)
def test_when_a_token_works(
    expires: dt.datetime, revoked: dt.datetime | None, active: bool, state: tokens.TokenState
) -> None:
    assert (
        tokens.token_state(now=NOW, expires_at=expires, revoked_at=revoked, active=active) is state
    )


def test_only_the_hash_is_stored_and_the_audit_trail_never_holds_the_token(
    session: Session, trust: Trust, make_token: MakeToken
) -> None:
    secret = make_token(trust["scsw"])
    stored = session.scalars(select(ApiToken)).one()
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in repr(stored.__dict__)
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action.like("api_token.%"))).all()
    assert [entry.action for entry in entries] == ["api_token.created"]
    assert all(secret[4:] not in str(entry.changes) for entry in entries)


@pytest.mark.parametrize(("days", "field"), [(0, "expires_on"), (366, "expires_on"), (365, None)])
def test_every_token_expires_within_the_longest_allowed(
    session: Session, trust: Trust, days: int, field: str | None
) -> None:
    def make() -> None:
        services.create_token(
            factories.auditor(session),
            trust["scsw"],
            name="Phone",
            scope=TokenScope.READ,
            expires_on=today() + dt.timedelta(days=days),
            today=today(),
            max_days=365,
            created_by=None,
        )

    if field is None:
        make()
    else:
        with pytest.raises(services.TokenError) as refused:
            make()
        assert refused.value.field == field


def test_no_token_no_access_and_no_cookie(client: FlaskClient, trust: Trust) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Set-Cookie" not in response.headers


def test_a_token_answers_without_setting_a_cookie(
    client: FlaskClient, trust: Trust, make_token: MakeToken
) -> None:
    response = client.get("/api/v1/me", headers=bearer(make_token(trust["scsw"])))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_a_signed_in_browser_cannot_use_the_api(
    client: FlaskClient, trust: Trust, make_token: MakeToken
) -> None:
    """The API never reads the session cookie: a page cannot be tricked into writing through
    it (which is why it asks for no CSRF token)."""
    factories.sign_in(client, trust["scsw"], PASSWORD)
    assert client.get("/home").status_code == 200
    assert client.get("/api/v1/me").status_code == 401
    created = client.post(
        "/api/v1/procedures",
        json={
            "competency_code": "CANN",
            "performed_on": today().isoformat(),
            "setting": "CT",
            "outcome": "successful",
            "witness_id": trust["radiographer"].id,
        },
    )
    assert created.status_code == 401


def _revoke(session: Session, person_id: int) -> None:
    record = session.scalars(select(ApiToken).where(ApiToken.user_id == person_id)).one()
    services.revoke_token(factories.auditor(session), record, utcnow())
    session.flush()


def _expire(session: Session, person_id: int) -> None:
    record = session.scalars(select(ApiToken).where(ApiToken.user_id == person_id)).one()
    record.expires_at = utcnow() - dt.timedelta(seconds=1)
    session.flush()


def _deactivate(session: Session, person_id: int) -> None:
    from portfolio.people.models import User

    session.get_one(User, person_id).active = False
    session.flush()


@pytest.mark.parametrize(
    ("spoil", "detail"),
    [(_revoke, "revoked"), (_expire, "expired"), (_deactivate, "not active")],
)
def test_revoked_expired_and_closed_tokens_are_refused(
    client: FlaskClient,
    session: Session,
    trust: Trust,
    make_token: MakeToken,
    spoil,
    detail,  # type: ignore[no-untyped-def]
) -> None:
    headers = bearer(make_token(trust["scsw"]))
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    spoil(session, trust["scsw"].id)
    refused = client.get("/api/v1/me", headers=headers)
    assert refused.status_code == 401
    assert detail in refused.json["detail"]


def test_a_read_only_token_reads_but_writes_nothing(
    client: FlaskClient, session: Session, trust: Trust, make_token: MakeToken
) -> None:
    headers = bearer(make_token(trust["scsw"], TokenScope.READ))
    assert (
        client.get(f"/api/v1/workers/{trust['scsw'].id}/evidence", headers=headers).status_code
        == 200
    )
    refused = client.post(
        "/api/v1/evidence",
        headers=headers,
        data={
            "kind": "reflective_account",
            "title": "T",
            "activity_on": today().isoformat(),
            "body": "B",
            "competency_codes": "CANN",
            "file": (io.BytesIO(b"%PDF-1.4"), "a.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert refused.status_code == 403
    assert "read only" in refused.json["detail"]


def test_guessing_tokens_is_limited_per_address(
    app: Flask, client: FlaskClient, trust: Trust, make_token: MakeToken
) -> None:
    good = bearer(make_token(trust["scsw"]))
    wrong = bearer(tokens.new_token())
    for _ in range(get_settings(app).sign_in_address_limit):
        assert client.get("/api/v1/me", headers=wrong).status_code == 401
    stopped = client.get("/api/v1/me", headers=good)
    assert stopped.status_code == 429
    assert stopped.mimetype == "application/problem+json"
    assert stopped.json["status"] == 429
    assert "Too many failed sign-ins or unknown tokens" in stopped.json["detail"]
    window = dt.timedelta(minutes=get_settings(app).sign_in_window_minutes)
    assert 0 < int(stopped.headers["Retry-After"]) <= window.total_seconds()
    elsewhere = {"REMOTE_ADDR": "192.0.2.200"}  # another address has its own count
    assert client.get("/api/v1/me", headers=good, environ_base=elsewhere).status_code == 200


def test_the_address_limit_on_tokens_lifts_after_its_window(
    app: Flask,
    client: FlaskClient,
    trust: Trust,
    make_token: MakeToken,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    good = bearer(make_token(trust["scsw"]))
    wrong = bearer(tokens.new_token())
    for _ in range(get_settings(app).sign_in_address_limit):
        assert client.get("/api/v1/me", headers=wrong).status_code == 401
    assert client.get("/api/v1/me", headers=good).status_code == 429
    window = dt.timedelta(minutes=get_settings(app).sign_in_window_minutes)
    real = clock.utcnow
    monkeypatch.setattr(clock, "utcnow", lambda: real() + window - dt.timedelta(minutes=1))
    assert client.get("/api/v1/me", headers=good).status_code == 429
    monkeypatch.setattr(clock, "utcnow", lambda: real() + window + dt.timedelta(seconds=1))
    assert client.get("/api/v1/me", headers=good).status_code == 200


def test_failed_sign_ins_and_unknown_tokens_share_one_count_per_address(
    app: Flask, client: FlaskClient, trust: Trust, make_token: MakeToken
) -> None:
    good = bearer(make_token(trust["scsw"]))
    wrong = bearer(tokens.new_token())
    limit = get_settings(app).sign_in_address_limit
    for number in range(limit // 2):
        factories.sign_in(client, f"stuffing{number}@trust.example", "a-wrong-guess")
    for _ in range(limit - limit // 2):
        assert client.get("/api/v1/me", headers=wrong).status_code == 401
    assert client.get("/api/v1/me", headers=good).status_code == 429
    assert "too many failed attempts" in factories.page_text(
        factories.sign_in(client, trust["scsw"])
    )


def test_the_last_use_is_recorded(
    client: FlaskClient, session: Session, trust: Trust, make_token: MakeToken
) -> None:
    headers = bearer(make_token(trust["scsw"]))
    client.get("/api/v1/me", headers=headers)
    record = session.scalars(select(ApiToken)).one()
    session.refresh(record)
    assert record.last_used_at is not None


def test_tokens_are_made_shown_once_and_revoked_on_the_account_page(
    client: FlaskClient, session: Session, trust: Trust
) -> None:
    factories.sign_in(client, trust["scsw"], PASSWORD)
    csrf = factories.csrf_token(client, "/account/tokens")
    made = client.post(
        "/account/tokens",
        data={
            "csrf_token": csrf,
            "name": "My phone",
            "scope": "read",
            "expires_on": (today() + dt.timedelta(days=30)).isoformat(),
            "password": PASSWORD,
        },
    )
    assert made.status_code == 200
    text = factories.page_text(made)
    secret = next(word for word in text.split() if word.startswith("isp_") and len(word) == 47)
    assert "only time it is shown" in text
    assert client.get("/account/tokens").get_data(as_text=True).count(secret) == 0
    api = client.application.test_client()
    assert api.get("/api/v1/me", headers=bearer(secret)).status_code == 200
    record = session.scalars(select(ApiToken)).one()
    revoked = client.post(f"/account/tokens/{record.id}/revoke", data={"csrf_token": csrf})
    assert revoked.status_code == 302
    assert api.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_nobody_revokes_anyone_elses_token(
    client: FlaskClient, session: Session, trust: Trust, make_token: MakeToken
) -> None:
    make_token(trust["scsw"])
    record = session.scalars(select(ApiToken)).one()
    factories.sign_in(client, trust["csw"], PASSWORD)
    csrf = factories.csrf_token(client, "/account/tokens")
    assert (
        client.post(f"/account/tokens/{record.id}/revoke", data={"csrf_token": csrf}).status_code
        == 404
    )
    session.refresh(record)
    assert record.revoked_at is None


def test_the_command_line_makes_lists_and_revokes_tokens(
    app: Flask, session: Session, trust: Trust
) -> None:
    runner = app.test_cli_runner()
    made = runner.invoke(
        args=[
            "tokens",
            "create",
            "--email",
            trust["scsw"].email,
            "--name",
            "Feed",
            "--scope",
            "read-write",
        ]
    )
    assert made.exit_code == 0, made.output
    secret = made.stdout.strip().splitlines()[0]
    assert tokens.plausible(secret)
    listed = runner.invoke(args=["tokens", "list", "--email", trust["scsw"].email])
    assert "Feed" in listed.output
    assert "read-write" in listed.output
    assert secret not in listed.output
    record = session.scalars(select(ApiToken)).one()
    assert runner.invoke(args=["tokens", "revoke", "--id", str(record.id)]).exit_code == 0
    again = runner.invoke(args=["tokens", "revoke", "--id", str(record.id)])
    assert again.exit_code != 0
    too_long = runner.invoke(
        args=["tokens", "create", "--email", trust["scsw"].email, "--name", "X", "--days", "400"]
    )
    assert too_long.exit_code != 0
    assert "--days" in too_long.output
    nobody = runner.invoke(args=["tokens", "create", "--email", "no@one.example", "--name", "X"])
    assert nobody.exit_code != 0
    assert "--email" in nobody.output


# Making a token takes the password again, and recovering an account ends every token.


def _make_on_the_page(client: FlaskClient, password: str) -> TestResponse:
    return client.post(
        "/account/tokens",
        data={
            "csrf_token": factories.csrf_token(client, "/account/tokens"),
            "name": "Read-write for a year",
            "scope": "read-write",
            "expires_on": (today() + dt.timedelta(days=365)).isoformat(),
            "password": password,
        },
    )


def test_a_signed_in_session_alone_cannot_make_a_token(
    app: Flask, client: FlaskClient, session: Session, trust: Trust
) -> None:
    factories.sign_in(client, trust["scsw"], PASSWORD)
    missing = _make_on_the_page(client, "")
    assert missing.status_code == 200
    assert "Enter your password" in factories.page_text(missing)
    wrong = _make_on_the_page(client, "not my password")
    text = factories.page_text(wrong)
    assert "There is a problem" in text
    assert "Your password is not correct" in text
    assert "isp_" not in wrong.get_data(as_text=True)
    assert session.scalars(select(ApiToken)).all() == []
    failed = session.scalar(
        select(func.count()).where(
            SignInAttempt.email == trust["scsw"].email, SignInAttempt.succeeded.is_(False)
        )
    )
    assert failed == 1  # counted like a wrong password at sign-in (the empty one was not sent)
    for _ in range(get_settings(app).sign_in_account_limit):
        _make_on_the_page(client, "still guessing")
    stopped = _make_on_the_page(client, PASSWORD)  # right, but too late: limited like sign-in
    assert "too many failed attempts" in factories.page_text(stopped)
    assert session.scalars(select(ApiToken)).all() == []


def test_making_a_token_tells_its_owner(
    client: FlaskClient, session: Session, trust: Trust, make_token: MakeToken
) -> None:
    factories.sign_in(client, trust["scsw"], PASSWORD)
    assert _make_on_the_page(client, PASSWORD).status_code == 200
    assert len(session.scalars(select(ApiToken)).all()) == 1
    page = factories.page_text(client.get("/notices"))
    assert "A personal access token was made for your account" in page
    assert "revoke it and change your password" in page
    notice = session.scalars(select(Notice).where(Notice.recipient_id == trust["scsw"].id)).one()
    assert notice.kind is NoticeKind.TOKEN_MADE
    assert notice.email_status is EmailStatus.SKIPPED  # no email is about the account itself


def _works(client: FlaskClient, secret: str) -> bool:
    answer = client.application.test_client().get("/api/v1/me", headers=bearer(secret))
    assert answer.status_code in (200, 401)
    return answer.status_code == 200


def _change_password(client: FlaskClient, person: User) -> None:
    client.post(
        "/account/password",
        data={
            "csrf_token": factories.csrf_token(client, "/account/password"),
            "current_password": PASSWORD,
            "new_password": "harbour lantern meadow",
            "confirm_password": "harbour lantern meadow",
        },
    )


def _sign_out_everywhere(client: FlaskClient, person: User) -> None:
    client.post(
        "/account/sign-out-everywhere",
        data={"csrf_token": factories.csrf_token(client, "/account")},
    )


def _reset_by_an_administrator(client: FlaskClient, person: User) -> None:
    admin = client.application.test_client()
    factories.sign_in(admin, "admin@northfield.example", PASSWORD)
    admin.post(
        f"/people/{person.id}/reset-password",
        data={"csrf_token": factories.csrf_token(admin, f"/people/{person.id}")},
    )


@pytest.mark.parametrize(
    "recover", [_change_password, _sign_out_everywhere, _reset_by_an_administrator]
)
def test_recovering_an_account_revokes_every_token(
    client: FlaskClient,
    session: Session,
    trust: Trust,
    make_token: MakeToken,
    recover,  # type: ignore[no-untyped-def]
) -> None:
    person, other = trust["scsw"], trust["csw"]
    secrets_ = [make_token(person), make_token(person, TokenScope.READ)]
    someone_elses = make_token(other)
    assert all(_works(client, secret) for secret in secrets_)
    factories.sign_in(client, person, PASSWORD)
    recover(client, person)
    assert not any(_works(client, secret) for secret in secrets_)
    assert _works(client, someone_elses)  # only the person's own tokens
    mine = session.scalars(select(ApiToken).where(ApiToken.user_id == person.id)).all()
    for record in mine:
        session.refresh(record)
    assert all(record.revoked_at is not None for record in mine)
    revoked = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "api_token.revoked")
    ).all()
    assert sorted(entry.subject_id for entry in revoked) == sorted(str(r.id) for r in mine)
    told = session.scalars(
        select(Notice).where(
            Notice.recipient_id == person.id, Notice.kind == NoticeKind.TOKENS_REVOKED
        )
    ).all()
    assert len(told) == 1  # one notice for both tokens


def test_setting_a_password_by_an_emailed_link_revokes_every_token(
    app: Flask, client: FlaskClient, session: Session, trust: Trust, make_token: MakeToken
) -> None:
    person = trust["scsw"]
    secret = make_token(person)
    assert _works(client, secret)
    _, link = issue_link(
        factories.auditor(session),
        person,
        LinkPurpose.RESET,
        now=utcnow(),
        valid_for=dt.timedelta(hours=1),
        requested_by_id=None,
    )
    session.flush()
    path = f"/password/set/{link}"
    done = client.post(
        path,
        data={
            "csrf_token": factories.csrf_token(client, path),
            "new_password": "harbour lantern meadow",
            "confirm_password": "harbour lantern meadow",
        },
    )
    assert done.status_code == 302
    assert not _works(client, secret)
    factories.sign_in(client, person, "harbour lantern meadow")
    page = factories.page_text(client.get("/notices"))
    assert "Your personal access tokens were revoked" in page


def test_a_password_change_with_no_working_token_says_nothing_about_tokens(
    client: FlaskClient, session: Session, trust: Trust, make_token: MakeToken
) -> None:
    person = trust["scsw"]
    make_token(person)
    record = session.scalars(select(ApiToken)).one()
    services.revoke_token(factories.auditor(session, person), record, utcnow())
    session.flush()
    factories.sign_in(client, person, PASSWORD)
    _change_password(client, person)
    kinds = session.scalars(select(Notice.kind).where(Notice.recipient_id == person.id)).all()
    assert NoticeKind.TOKENS_REVOKED not in kinds

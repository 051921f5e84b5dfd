"""Headers, redirects and the policy guard that protect every page."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio import create_app
from portfolio.access import public
from portfolio.core.roles import AccountRole
from portfolio.core.settings import get_settings
from tests import factories


def test_every_page_sends_the_security_headers(client: FlaskClient) -> None:
    response = client.get("/sign-in")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    nonce = re.search(r"'nonce-([^']+)'", csp)
    assert nonce
    assert f'nonce="{nonce.group(1)}"' in response.get_data(as_text=True)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cache-Control"] == "no-store"


def test_each_response_gets_a_fresh_nonce(client: FlaskClient) -> None:
    first = client.get("/sign-in").headers["Content-Security-Policy"]
    second = client.get("/sign-in").headers["Content-Security-Policy"]
    assert first != second


def test_the_session_cookie_is_http_only_and_same_site(
    session: Session, client: FlaskClient
) -> None:
    worker = factories.person(session, factories.organisation(session))
    cookie = factories.sign_in(client, worker).headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example"])
def test_sign_in_never_redirects_off_site(
    session: Session, client: FlaskClient, target: str
) -> None:
    worker = factories.person(session, factories.organisation(session))
    token = factories.csrf_token(client)
    response = client.post(
        f"/sign-in?next={target}",
        data={"email": worker.email, "password": factories.PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/home"


def test_sign_in_returns_to_the_page_asked_for(session: Session, client: FlaskClient) -> None:
    worker = factories.person(session, factories.organisation(session))
    assert client.get("/account").headers["Location"] == "/sign-in?next=/account"
    token = factories.csrf_token(client)
    response = client.post(
        "/sign-in?next=/account",
        data={"email": worker.email, "password": factories.PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/account"


def test_a_route_that_forgets_the_policy_fails_instead_of_answering(
    app: Flask, session: Session
) -> None:
    # A throwaway app, so the shared one keeps exactly the routes in the access table.
    from portfolio import create_app

    worker = factories.person(session, factories.organisation(session))
    other = create_app("testing", database_url=get_settings(app).database_url)
    other.add_url_rule("/forgot-to-ask", "forgot", lambda: "secret")

    def forgot_and_saves() -> str:
        from portfolio.db import get_session
        from portfolio.people.models import Department

        get_session().add(Department(organisation_id=worker.organisation_id, name="Sneaky"))
        get_session().commit()
        return "saved"

    other.add_url_rule("/forgot-and-saves", "forgot_and_saves", forgot_and_saves, methods=["POST"])
    other.add_url_rule("/open", "open", public(lambda: "fine"))
    other.extensions["sessionmaker"] = app.extensions["sessionmaker"]
    client = other.test_client()
    factories.sign_in(client, worker)
    with pytest.raises(RuntimeError, match="did not consult the policy"):
        client.get("/forgot-to-ask")
    token = factories.csrf_token(client, "/account")
    with pytest.raises(RuntimeError, match="tried to save without asking the policy"):
        client.post("/forgot-and-saves", data={"csrf_token": token})
    from portfolio.people.models import Department

    assert session.scalar(select(Department.id).where(Department.name == "Sneaky")) is None
    assert client.get("/open").get_data(as_text=True) == "fine"
    other.extensions["engine"].dispose()


def test_unknown_pages_are_a_friendly_404(client: FlaskClient) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_names_are_escaped_everywhere_they_are_shown(session: Session, client: FlaskClient) -> None:
    org = factories.organisation(session)
    admin = factories.person(session, org, AccountRole.ADMIN, name="<b>Admin</b>")
    ward = factories.department(session, org, "<i>Ward</i>")
    worker = factories.person(session, org, name="<script>x</script>", department=ward)
    factories.sign_in(client, admin)
    for path in ("/home", "/people", f"/people/{worker.id}", "/organisation", "/account"):
        page = client.get(path).get_data(as_text=True)
        assert "<b>Admin</b>" not in page, path
        assert "<script>x</script>" not in page, path
        assert "<i>Ward</i>" not in page, path
    assert "&lt;b&gt;Admin&lt;/b&gt;" in client.get("/home").get_data(as_text=True)


@pytest.mark.parametrize(("method", "path"), [("GET", "/no-such-page"), ("PUT", "/home")])
def test_error_pages_render_for_people_signed_in(
    session: Session, client: FlaskClient, method: str, path: str
) -> None:
    worker = factories.person(session, factories.organisation(session))
    factories.sign_in(client, worker)
    response = client.open(path, method=method)
    assert response.status_code in {404, 405}
    assert "Content-Security-Policy" in response.headers
    assert "Go to your home page" in response.get_data(as_text=True)


def test_by_default_pages_load_fonts_from_nowhere_but_here(client: FlaskClient) -> None:
    """Issue 21: the outside font host is an opt-in; the policy and the page say so."""
    response = client.get("/sign-in")
    assert "font-src 'self';" in response.headers["Content-Security-Policy"]
    assert "assets.nhs.uk" not in response.headers["Content-Security-Policy"]
    assert "nhsuk-fonts.css" not in response.text
    stylesheet = client.get("/assets/nhsuk-frontend.min.css")
    assert stylesheet.status_code == 200
    assert b"@font-face" not in stylesheet.data
    assert b"https://" not in stylesheet.data
    assert b"http://" not in stylesheet.data
    stylesheet.close()


def test_the_nhs_font_host_is_used_and_allowed_only_when_switched_on(
    database_url: str, tmp_path: Path
) -> None:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PORTFOLIO_INSTANCE_PATH", str(tmp_path))
        app = create_app("testing", database_url=database_url, nhs_fonts_from_nhs_host=True)
    try:
        response = app.test_client().get("/sign-in")
        assert (
            "font-src 'self' https://assets.nhs.uk;" in response.headers["Content-Security-Policy"]
        )
        assert "/assets/nhsuk-fonts.css" in response.text
    finally:
        app.extensions["engine"].dispose()


def test_the_font_faces_are_moved_out_of_the_design_systems_stylesheet(tmp_path: Path) -> None:
    """`make assets` runs scripts/font_faces.py on the stylesheet it copies."""
    stylesheet, fonts = tmp_path / "nhsuk.css", tmp_path / "fonts.css"
    stylesheet.write_text(
        "a{color:red}@font-face{font-family:F;src:url(https://assets.nhs.uk/f.woff2)}"
        "b{font-family:F,arial,sans-serif}@font-face {font-family:F;font-weight:600}"
    )
    script = Path(__file__).resolve().parent.parent / "scripts" / "font_faces.py"
    subprocess.run([sys.executable, str(script), str(stylesheet), str(fonts)], check=True)
    assert stylesheet.read_text() == "a{color:red}b{font-family:F,arial,sans-serif}"
    rules = fonts.read_text()
    assert rules.count("@font-face") == 2
    assert "assets.nhs.uk" in rules

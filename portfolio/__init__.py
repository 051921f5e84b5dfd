"""Imaging support workforce portfolio: competency tracking and e-portfolio.

`create_app()` builds everything (settings, database, extensions, blueprints, command line);
nothing binds an app, an engine or a session at import time.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portfolio import access, db, jobs, methods, security, unit_of_work, wiring
from portfolio.api import auth as api_auth
from portfolio.core import templating
from portfolio.core.settings import EXTENSION as SETTINGS
from portfolio.core.settings_loading import flask_config, load_settings
from portfolio.extensions import csrf, login_manager
from portfolio.ratelimit import limiter as ratelimit

PACKAGE_ROOT = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_ROOT.parent


def create_app(environment: str | None = None, **overrides: Any) -> Flask:
    """The app for the environment named (else `PORTFOLIO_ENVIRONMENT`, else development),
    with `overrides` (by setting name, e.g. `database_url=…`) above the environment's values."""
    settings = load_settings(environment, **overrides)
    app = Flask(
        __name__,
        instance_path=str(settings.instance_path),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PACKAGE_ROOT / "static"),
        static_url_path="/assets",
    )
    app.extensions[SETTINGS] = settings
    app.config.from_mapping(flask_config(settings))
    if settings.database_is_sqlite:
        settings.instance_path.mkdir(parents=True, exist_ok=True)
    if settings.attachment_dir is None:
        # The default store is ours to make; a configured PORTFOLIO_ATTACHMENT_DIR (a mounted
        # volume, say) is the operator's to create, and /health says when it is missing.
        with contextlib.suppress(OSError):
            settings.attachment_folder.mkdir(parents=True, exist_ok=True)
    if proxies := settings.trusted_proxies:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )

    templating.init_app(app)  # first: it sets the Jinja options before anything uses Jinja
    methods.init_app(app)  # its OPTIONS answer comes before every sign-in check
    db.init_app(app)
    ratelimit.init_app(app)
    unit_of_work.init_app(app)  # next: its commit comes after every other check of an answer
    csrf.init_app(app)
    login_manager.init_app(app)
    security.init_app(app)
    api_auth.init_app(app)  # before access: the API's caller comes from their token
    access.init_app(app)
    jobs.init_app(app)
    wiring.connect_reactions()  # how one feature reacts to another: see portfolio.wiring

    from portfolio import errors

    # Routes that join another module's blueprint: the account page's access tokens, the
    # procedure log's and the drafts' beside the evidence pages.
    from portfolio.accounts import (
        access_tokens,  # noqa: F401
        sessions,
    )
    from portfolio.accounts.views import blueprint as accounts_blueprint
    from portfolio.api.routes import blueprint as api_blueprint
    from portfolio.assessors.views import blueprint as assessors_blueprint
    from portfolio.careers.views import blueprint as careers_blueprint
    from portfolio.cohorts.views import blueprint as cohorts_blueprint
    from portfolio.evidence import autosave, procedures  # noqa: F401
    from portfolio.evidence.views import blueprint as evidence_blueprint
    from portfolio.frameworks.views import blueprint as frameworks_blueprint
    from portfolio.home.views import blueprint as home_blueprint
    from portfolio.leavers.views import blueprint as leavers_blueprint
    from portfolio.notices.views import blueprint as notices_blueprint
    from portfolio.onboarding.views import blueprint as onboarding_blueprint
    from portfolio.oversight.views import blueprint as oversight_blueprint
    from portfolio.pdf import views as pdf_views
    from portfolio.people.views import blueprint as people_blueprint
    from portfolio.practice.views import blueprint as practice_blueprint
    from portfolio.progress.views import blueprint as progress_blueprint
    from portfolio.reckoner.views import blueprint as reckoner_blueprint
    from portfolio.redaction.views import blueprint as redaction_blueprint
    from portfolio.signoff.remote import blueprint as remote_blueprint
    from portfolio.signoff.transcription import blueprint as transcription_blueprint
    from portfolio.signoff.views import blueprint as signoff_blueprint

    sessions.init_app(app)
    errors.init_app(app)
    app.register_blueprint(accounts_blueprint)
    app.register_blueprint(home_blueprint)
    app.register_blueprint(onboarding_blueprint)
    app.register_blueprint(people_blueprint)
    app.register_blueprint(frameworks_blueprint)
    app.register_blueprint(careers_blueprint)
    app.register_blueprint(practice_blueprint)
    app.register_blueprint(assessors_blueprint)
    app.register_blueprint(evidence_blueprint)
    app.register_blueprint(signoff_blueprint)
    app.register_blueprint(transcription_blueprint)
    app.register_blueprint(remote_blueprint)
    app.register_blueprint(redaction_blueprint)
    app.register_blueprint(progress_blueprint)
    app.register_blueprint(reckoner_blueprint)
    app.register_blueprint(oversight_blueprint)
    app.register_blueprint(cohorts_blueprint)
    app.register_blueprint(notices_blueprint)
    app.register_blueprint(leavers_blueprint)
    app.register_blueprint(api_blueprint)
    # The API takes bearer tokens only, never the session cookie, so a browser cannot be
    # made to send it a request on someone's behalf: no CSRF token is asked for there.
    csrf.exempt(api_blueprint)
    app.register_blueprint(pdf_views.blueprint)
    pdf_views.init_app(app)

    from portfolio.cli import register_commands

    register_commands(app)
    return app

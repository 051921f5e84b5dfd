"""Imaging support workforce portfolio: competency tracking and e-portfolio.

`create_app()` builds everything (config, database, extensions, blueprints, command line);
nothing binds an app, an engine or a session at import time.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import config_class
from portfolio import access, db, jobs, security, templating, unit_of_work
from portfolio.api import auth as api_auth
from portfolio.extensions import csrf, login_manager

PACKAGE_ROOT = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_ROOT.parent


def create_app(config_name: str | None = None, **overrides: Any) -> Flask:
    app = Flask(
        __name__,
        instance_path=os.environ.get("INSTANCE_PATH") or str(PROJECT_ROOT / "instance"),
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PACKAGE_ROOT / "static"),
        static_url_path="/assets",
    )
    config = config_class(config_name)
    settings = config.settings()
    settings.update(overrides)
    config.finalise(settings, Path(app.instance_path))
    app.config.from_mapping(settings)
    app.config["CONFIG_NAME"] = config.NAME
    app.config["SQLALCHEMY_URL"] = app.config["DATABASE_URL"] or db.sqlite_url_for(
        app.instance_path
    )
    if app.config["SQLALCHEMY_URL"].startswith("sqlite"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config["ATTACHMENT_DIR"]:
        # The default store is ours to make; a configured ATTACHMENT_DIR (a mounted volume,
        # say) is the operator's to create, and /health says when it is missing.
        with contextlib.suppress(OSError):
            (Path(app.instance_path) / "attachments").mkdir(parents=True, exist_ok=True)
    if app.config["TRUSTED_PROXIES"]:
        proxies = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )

    templating.init_app(app)  # first: it sets the Jinja options before anything uses Jinja
    db.init_app(app)
    unit_of_work.init_app(app)  # next: its commit comes after every other check of an answer
    csrf.init_app(app)
    login_manager.init_app(app)
    security.init_app(app)
    api_auth.init_app(app)  # before access: the API's caller comes from their token
    access.init_app(app)
    jobs.init_app(app)

    from portfolio import errors
    from portfolio.accounts import sessions
    from portfolio.accounts.views import blueprint as accounts_blueprint
    from portfolio.api.routes import blueprint as api_blueprint
    from portfolio.careers.views import blueprint as careers_blueprint
    from portfolio.cohorts.views import blueprint as cohorts_blueprint
    from portfolio.evidence.views import blueprint as evidence_blueprint
    from portfolio.frameworks.views import blueprint as frameworks_blueprint
    from portfolio.home.views import blueprint as home_blueprint
    from portfolio.leavers.views import blueprint as leavers_blueprint
    from portfolio.notices.views import blueprint as notices_blueprint
    from portfolio.onboarding.views import blueprint as onboarding_blueprint
    from portfolio.oversight.views import blueprint as oversight_blueprint
    from portfolio.pdf import views as pdf_views
    from portfolio.people.views import blueprint as people_blueprint
    from portfolio.progress.views import blueprint as progress_blueprint
    from portfolio.reckoner.views import blueprint as reckoner_blueprint
    from portfolio.redaction.views import blueprint as redaction_blueprint
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
    app.register_blueprint(evidence_blueprint)
    app.register_blueprint(signoff_blueprint)
    app.register_blueprint(transcription_blueprint)
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

"""The app with the demo trust in a SQLite file of its own, served on a free local port in a
thread, as the browser tests' live server."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from tests.serving import serving

__all__ = ["demo_trust_app", "serving"]


def demo_trust_app(folder: Path) -> Flask:
    """The app with the demo trust in a SQLite file of its own, its instance in `folder`."""
    from portfolio import create_app, demo, migrations
    from portfolio.commands import cli_auditor
    from portfolio.core.settings import get_settings
    from portfolio.db import get_session

    with pytest.MonkeyPatch.context() as env:
        # Nothing lands in the checkout's instance/.
        env.setenv("PORTFOLIO_INSTANCE_PATH", str(folder))
        app = create_app("testing", database_url=f"sqlite:///{folder}/portfolio.db")
    migrations.upgrade(get_settings(app).database_url)
    with app.app_context():
        demo.load(cli_auditor())
        get_session().commit()
    return app

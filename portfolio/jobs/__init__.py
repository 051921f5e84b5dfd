"""Background jobs on Huey: SQLite storage in instance/ by default (no extra server), Redis
when PORTFOLIO_REDIS_URL is set. The consumer runs beside the web server (`make run` starts both);
tasks run inside an app context so they use the same services and audit trail as the pages.
"""

from __future__ import annotations

from flask import Flask
from huey import Huey, RedisHuey, SqliteHuey

from portfolio.core.settings import get_settings
from portfolio.jobs import cohorts, housekeeping, links, reminders


def make_queue(app: Flask) -> Huey:
    settings = get_settings(app)
    immediate = settings.testing
    name = settings.queue_name
    if settings.redis_url:
        return RedisHuey(name, url=settings.redis_url, immediate=immediate)
    path = settings.instance_path / "tasks.db"
    return SqliteHuey(name, filename=str(path), immediate=immediate)


def init_app(app: Flask) -> None:
    queue = make_queue(app)
    app.extensions["huey"] = queue
    housekeeping.register(queue, app)
    reminders.register(queue, app)
    links.register(queue, app)
    cohorts.register(queue, app)

"""Entry point for `huey_consumer portfolio.jobs.consumer.queue` (see scripts/serve).

Importing it is the consumer starting: before its workers fork, every cohort export
portfolio still waiting in the database is queued again, so work lost with a consumer that
was killed carries on. The database connections used for that are closed first: forked
workers must open their own.
"""

from __future__ import annotations

from huey import Huey

from portfolio import create_app
from portfolio.jobs.cohorts import requeue_unfinished

app = create_app()
queue: Huey = app.extensions["huey"]
requeue_unfinished(app)
app.extensions["engine"].dispose()

"""Entry point for `huey_consumer portfolio.jobs.consumer.queue` (see the Makefile)."""

from __future__ import annotations

from huey import Huey

from portfolio import create_app

app = create_app()
queue: Huey = app.extensions["huey"]

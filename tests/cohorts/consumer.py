"""The real job consumer in processes of its own, for the tests and `make bench`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from flask import Flask

from portfolio.core.settings import get_settings
from portfolio.core.settings_loading import TESTING_VALUES

CONSUMER = Path(sys.executable).parent / "huey_consumer"
AUDIT_KEY = TESTING_VALUES["audit_key"]  # the testing environment's, for the chain


class Consumer:
    """`huey_consumer portfolio.jobs.consumer.queue -w 2 -k process` in a session of its own,
    so that a kill reaches its workers too."""

    def __init__(self, app: Flask, log: Path) -> None:
        settings = get_settings(app)
        self.environment = {
            **os.environ,
            "PORTFOLIO_ENVIRONMENT": "development",
            "PORTFOLIO_DATABASE_URL": settings.database_url,
            "PORTFOLIO_INSTANCE_PATH": app.instance_path,
            "PORTFOLIO_AUDIT_KEY": AUDIT_KEY,
            "PORTFOLIO_SECRET_KEY": "consumer-under-test",
            "PORTFOLIO_REDIS_URL": settings.redis_url,
            "PORTFOLIO_QUEUE_NAME": settings.queue_name,
        }
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with open(self.log, "ab") as output:
            self.process = subprocess.Popen(
                [str(CONSUMER), "portfolio.jobs.consumer.queue", "-w", "2", "-k", "process"],
                env=self.environment,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.process = None

    def stop(self) -> None:
        if self.process is None:
            return
        os.killpg(self.process.pid, signal.SIGINT)  # Huey's graceful stop
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self.process = None

    def output(self) -> str:
        return self.log.read_text(errors="replace")

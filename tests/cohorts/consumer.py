"""The real job consumer in processes of its own, for the tests and `make bench`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from flask import Flask

CONSUMER = Path(sys.executable).parent / "huey_consumer"
AUDIT_KEY = "testing-audit-key-not-for-production"  # config.TestingConfig's, for the chain


class Consumer:
    """`huey_consumer portfolio.jobs.consumer.queue -w 2 -k process` in a session of its own,
    so that a kill reaches its workers too."""

    def __init__(self, app: Flask, log: Path) -> None:
        config = app.config
        self.environment = {
            **os.environ,
            "APP_CONFIG": "development",
            "DATABASE_URL": config["SQLALCHEMY_URL"],
            "INSTANCE_PATH": app.instance_path,
            "AUDIT_KEY": AUDIT_KEY,
            "SECRET_KEY": "consumer-under-test",
            "REDIS_URL": config["REDIS_URL"],
            "QUEUE_NAME": config["QUEUE_NAME"],
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

"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what arrives, and the app pointed at
it (the `smtp_server` and `mail` fixtures of tests/conftest.py); reading what it received."""

from __future__ import annotations

import email
import socket
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

import pytest
from flask import Flask
from huey import Huey

from portfolio.core.settings import get_settings


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@dataclass
class Inbox:
    """What the server received. `refuse` answers every message with that SMTP reply."""

    port: int = 0
    messages: list[Message] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    refuse: str | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's hook name
        if self.refuse:
            return self.refuse
        self.recipients.append(list(envelope.rcpt_tos))
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Message]:
        return [
            message
            for message, rcpt in zip(self.messages, self.recipients, strict=True)
            if address in rcpt
        ]


BASE_URL = "https://portfolio.trust.example"


def point_mail_at(app: Flask, monkeypatch: pytest.MonkeyPatch, port: int) -> None:
    changed = get_settings(app).changed(
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_starttls=False,
        mail_from="portfolio@trust.example",
        base_url=BASE_URL,
    )
    monkeypatch.setitem(app.extensions, "settings", changed)


def run_task(app: Flask, name: str) -> Any:
    """Run one of the notices' periodic tasks as the consumer would."""
    queue: Huey = app.extensions["huey"]
    task = queue._registry.string_to_task(f"portfolio.jobs.reminders.{name}")
    return queue.execute(task())


def body(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode()

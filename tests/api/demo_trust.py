"""The demo trust's people by name, how a test presents a token, and more evidence for the
lists (the fixtures that load the trust and make tokens are in tests/api/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from portfolio.core.clock import today
from portfolio.evidence.models import EvidenceKind
from portfolio.people.models import User
from tests import factories

MakeToken = Callable[..., str]


@dataclass
class Trust:
    people: dict[str, User]  # by the part of the email address before the @

    def __getitem__(self, who: str) -> User:
        return self.people[who]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def more_evidence(session: Session, trust: Trust) -> None:
    """Ten more notes in the senior CSW's portfolio, all dated today."""
    for number in range(10):
        factories.evidence(
            session,
            trust["scsw"],
            kind=EvidenceKind.REFLECTIVE_ACCOUNT,
            title=f"Note {number}",
            activity_on=today(),
            body="Text.",
            codes={"CANN"},
            scope={"CANN"},
        )

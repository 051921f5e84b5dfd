"""Reading a person's notices as plain rows for the pages (a fixed number of statements)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from portfolio.frameworks import queries as frameworks
from portfolio.notices.links import Target, target
from portfolio.notices.messages import SummaryCounts, headline
from portfolio.notices.models import Notice, dealt_with, unread
from portfolio.notices.rules import NoticeKind
from portfolio.people.models import User

PER_PAGE = 25


def unread_count(session: Session, recipient_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Notice)
            .where(Notice.recipient_id == recipient_id, unread())
        )
        or 0
    )


@dataclass(frozen=True)
class NoticeRow:
    id: int
    kind: NoticeKind
    text: str
    created_at: dt.datetime
    read: bool
    # Already dealt with: the request was decided or withdrawn, the procedure confirmed.
    done: bool
    link: Target | None


@dataclass(frozen=True)
class NoticesPage:
    rows: list[NoticeRow]
    number: int
    total: int
    unread: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))


def notices_of(session: Session, recipient_id: int, page: int = 1) -> NoticesPage:
    """Newest first, one page of them."""
    worker = aliased(User)
    found = session.execute(
        select(Notice, worker.name, dealt_with())
        .outerjoin(worker, worker.id == Notice.worker_id)
        .where(Notice.recipient_id == recipient_id)
        .order_by(Notice.created_at.desc(), Notice.id.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    total = (
        session.scalar(
            select(func.count()).select_from(Notice).where(Notice.recipient_id == recipient_id)
        )
        or 0
    )
    titles = (
        {code: view.title for code, view in frameworks.current_competencies(session).items()}
        if found
        else {}
    )
    rows = []
    for notice, worker_name, done in found:
        done = bool(done)
        code = notice.competency_code or ""
        rows.append(
            NoticeRow(
                id=notice.id,
                kind=notice.kind,
                text=headline(
                    notice.kind,
                    worker=worker_name or "",
                    competency=f"{titles[code]} ({code})" if code in titles else code,
                    about_self=notice.worker_id == recipient_id,
                    counts=SummaryCounts.from_dict(json.loads(notice.counts))
                    if notice.counts
                    else None,
                ),
                created_at=notice.created_at,
                read=notice.read_at is not None,
                done=done,
                link=None if done else _in_app(notice),
            )
        )
    return NoticesPage(rows, page, total, unread_count(session, recipient_id))


def _in_app(notice: Notice) -> Target | None:
    """Where the notice leads from the list (the list itself is no destination)."""
    endpoint, values = target(
        notice.kind,
        worker_id=notice.worker_id,
        competency_code=notice.competency_code,
        request_id=notice.request_id,
    )
    return None if endpoint == "notices.index" else (endpoint, values)

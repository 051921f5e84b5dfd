"""Reading what the retention list needs: a fixed number of queries, whatever the size."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session
from sqlalchemy.sql.selectable import ScalarSelect

from portfolio.accounts.models import SignInAttempt
from portfolio.audit.models import AuditEntry
from portfolio.core.clock import LOCAL_ZONE, local
from portfolio.evidence.models import Evidence, ProcedureLine
from portfolio.people.models import Organisation, User
from portfolio.retention.rules import Leaver, OldRecords
from portfolio.signoff.models import SignOffDecision

NO_ORGANISATION = "not about one organisation"


def start_of(day: dt.date) -> dt.datetime:
    """Midnight at the start of a London day, as a UTC instant."""
    return dt.datetime.combine(day, dt.time(), tzinfo=LOCAL_ZONE).astimezone(dt.UTC)


def leavers(session: Session) -> list[Leaver]:
    """Everyone whose account is deactivated, with counts of what their portfolio holds."""

    def count_of(column: InstrumentedAttribute[int]) -> ScalarSelect[int]:
        return select(func.count()).where(column == User.id).correlate(User).scalar_subquery()

    rows = session.execute(
        select(
            User.name,
            User.email,
            Organisation.name.label("organisation"),
            User.deactivated_at,
            count_of(Evidence.worker_id).label("evidence"),
            count_of(SignOffDecision.worker_id).label("sign_offs"),
            count_of(ProcedureLine.worker_id).label("procedures"),
        )
        .join(Organisation, Organisation.id == User.organisation_id)
        .where(User.active.is_(False), User.deactivated_at.is_not(None))
        .order_by(User.deactivated_at, User.id)
    )
    return [
        Leaver(
            name=row.name,
            email=row.email,
            organisation=row.organisation,
            left_on=local(row.deactivated_at).date(),
            evidence=row.evidence,
            sign_offs=row.sign_offs,
            procedures=row.procedures,
        )
        for row in rows
    ]


def old_audit_entries(session: Session, latest: dt.date) -> list[OldRecords]:
    """Audit entries recorded on or before `latest` (London days), by organisation."""
    rows = session.execute(
        select(
            Organisation.name,
            func.count(AuditEntry.id).label("count"),
            func.min(AuditEntry.recorded_at).label("oldest"),
        )
        .select_from(AuditEntry)
        .outerjoin(Organisation, Organisation.id == AuditEntry.organisation_id)
        .where(AuditEntry.recorded_at < start_of(latest + dt.timedelta(days=1)))
        .group_by(Organisation.name)
    )
    return [
        OldRecords(
            organisation=row.name or NO_ORGANISATION,
            count=row[1],
            oldest=local(row.oldest).date(),
        )
        for row in rows
    ]


def old_sign_in_attempts(session: Session, latest: dt.date) -> list[OldRecords]:
    """Sign-in attempts made on or before `latest` (they belong to no organisation: the
    address typed may be nobody's)."""
    row = session.execute(
        select(func.count(SignInAttempt.id), func.min(SignInAttempt.attempted_at)).where(
            SignInAttempt.attempted_at < start_of(latest + dt.timedelta(days=1))
        )
    ).one()
    count, oldest = row
    if not count:
        return []
    return [OldRecords(organisation="", count=count, oldest=local(oldest).date())]

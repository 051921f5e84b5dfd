"""Revision 5b0e1c2d3a4f moves the kind of evidence onto its versions: upgrading copies each
evidence row's kind into all its versions; downgrading gives each evidence its latest
version's kind. Drafts go with the downgrade."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from portfolio import create_app, migrations
from portfolio.db import get_session, make_engine

pytestmark = pytest.mark.commits

BEFORE = "461a7df01dcf"
REVISION = "5b0e1c2d3a4f"


def _evidence_in_two_versions(url: str) -> tuple[int, int]:
    """Through the app at head: one piece of evidence corrected from a certificate to a
    training record, one left as a reflective account, and a draft."""
    from portfolio.evidence import drafts, services
    from portfolio.evidence.models import EvidenceKind
    from tests import factories

    app = create_app("testing", database_url=url)
    with app.app_context():
        session = get_session()
        worker = factories.person(session, factories.organisation(session))
        auditor = factories.auditor(session, worker)

        def details(kind: EvidenceKind) -> services.EvidenceDetails:
            return services.EvidenceDetails(
                kind, "Title", dt.date(2025, 1, 1), "Text.", frozenset({"A-1"})
            )

        def save(kind: EvidenceKind, evidence=None):  # type: ignore[no-untyped-def]
            return services.save_evidence(
                auditor,
                worker,
                details(kind),
                scope_codes={"A-1"},
                today=dt.date(2026, 1, 1),
                evidence=evidence,
            )

        corrected = save(EvidenceKind.CERTIFICATE)
        corrected.latest.frozen = True
        save(EvidenceKind.TRAINING_RECORD, corrected)
        plain = save(EvidenceKind.REFLECTIVE_ACCOUNT)
        drafts.save_draft(
            session,
            worker.id,
            None,
            drafts.DraftFields(title="Unsaved"),
            now=dt.datetime.now(dt.UTC),
        )
        session.commit()
        ids = corrected.id, plain.id
    app.extensions["engine"].dispose()
    return ids


def test_the_kind_moves_to_the_versions_and_back(fresh_database_url: str) -> None:
    url = fresh_database_url
    migrations.upgrade(url)
    corrected, plain = _evidence_in_two_versions(url)
    engine = make_engine(url)
    try:
        migrations.downgrade(url, BEFORE)
        with engine.begin() as connection:
            kinds = dict(connection.execute(text("SELECT id, kind FROM evidence")).all())
            assert kinds == {corrected: "training_record", plain: "reflective_account"}
            assert "evidence_drafts" not in inspect(connection).get_table_names()
            connection.execute(
                text("UPDATE evidence SET kind = 'witness_testimony' WHERE id = :id"),
                {"id": plain},
            )

        migrations.upgrade(url, REVISION)
        with engine.begin() as connection:
            rows = connection.execute(
                text("SELECT evidence_id, number, kind FROM evidence_versions ORDER BY 1, 2")
            ).all()
        assert [tuple(row) for row in rows] == [
            (corrected, 1, "training_record"),
            (corrected, 2, "training_record"),
            (plain, 1, "witness_testimony"),
        ]
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text("UPDATE evidence_versions SET kind = 'hearsay'"))
        migrations.upgrade(url)
        migrations.check(url)
    finally:
        engine.dispose()

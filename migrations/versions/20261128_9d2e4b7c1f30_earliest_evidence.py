"""Each worker's earliest evidence per competency, kept beside the evidence so that a trust's
matrix reads one row per worker and competency (see portfolio/evidence/earliest.py).

Revision ID: 9d2e4b7c1f30
Revises: 3e7d5c1a9b42
Created: 2026-11-28 03:40:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9d2e4b7c1f30"
down_revision: str | Sequence[str] | None = "3e7d5c1a9b42"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "earliest_evidence",
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("competency_code", sa.String(length=40), nullable=False),
        sa.Column("activity_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["users.id"], name=op.f("fk_earliest_evidence_worker_id_users")
        ),
        sa.PrimaryKeyConstraint("worker_id", "competency_code", name=op.f("pk_earliest_evidence")),
    )
    # Worked out from the evidence already there: the latest version of each piece only.
    op.execute(
        """
        INSERT INTO earliest_evidence (worker_id, competency_code, activity_on)
        SELECT evidence.worker_id, evidence_links.competency_code,
               min(evidence_versions.activity_on)
        FROM evidence
        JOIN evidence_versions ON evidence_versions.evidence_id = evidence.id
        JOIN evidence_links ON evidence_links.version_id = evidence_versions.id
        WHERE NOT EXISTS (
            SELECT 1 FROM evidence_versions AS later
            WHERE later.evidence_id = evidence_versions.evidence_id
              AND later.number > evidence_versions.number
        )
        GROUP BY evidence.worker_id, evidence_links.competency_code
        """
    )


def downgrade() -> None:
    op.drop_table("earliest_evidence")

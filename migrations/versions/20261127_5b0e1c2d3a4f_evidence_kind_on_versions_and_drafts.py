"""The kind of evidence moves to each version (a correction may change it; a frozen version
keeps the kind its decision saw); drafts of the evidence form saved automatically.

Revision ID: 5b0e1c2d3a4f
Revises: 461a7df01dcf
Created: 2026-11-27 23:50:00.000000+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "5b0e1c2d3a4f"
down_revision: str | Sequence[str] | None = "461a7df01dcf"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = (
    "reflective_account",
    "observed_practice",
    "training_record",
    "certificate",
    "witness_testimony",
)
ALLOWED = "kind IN (" + ", ".join(f"'{kind}'" for kind in KINDS) + ")"

# Lightweight tables for the data copies: revisions never import the app's models.
evidence = sa.table("evidence", sa.column("id", sa.Integer()), sa.column("kind", sa.String()))
versions = sa.table(
    "evidence_versions",
    sa.column("evidence_id", sa.Integer()),
    sa.column("number", sa.Integer()),
    sa.column("kind", sa.String()),
)


def _add_kind(table: str, constraint: str, copy: sa.Executable) -> None:
    """Add the kind column, fill it, then make it required and checked. The column starts
    as a plain string: batch mode adds an Enum's CHECK constraint on one engine but not the
    other, so the constraint is created by name once the rows hold values."""
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=32), nullable=True))
    op.execute(copy)
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.alter_column("kind", existing_type=sa.String(length=32), nullable=False)
        batch_op.create_check_constraint(op.f(constraint), ALLOWED)


def _drop_kind(table: str, constraint: str) -> None:
    # Batch mode does not read a CHECK constraint's SQL: drop it by name before its column.
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.drop_constraint(op.f(constraint), type_="check")
        batch_op.drop_column("kind")


def upgrade() -> None:
    # Every version takes the kind its evidence had.
    _add_kind(
        "evidence_versions",
        "ck_evidence_versions_evidence_version_kind",
        versions.update().values(
            kind=sa.select(evidence.c.kind)
            .where(evidence.c.id == versions.c.evidence_id)
            .scalar_subquery()
        ),
    )
    _drop_kind("evidence", "ck_evidence_evidence_kind")

    op.create_table(
        "evidence_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=True),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_id"], ["evidence.id"], name=op.f("fk_evidence_drafts_evidence_id_evidence")
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["users.id"], name=op.f("fk_evidence_drafts_worker_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_drafts")),
        sa.UniqueConstraint(
            "worker_id", "evidence_id", name=op.f("uq_evidence_drafts_worker_id_evidence_id")
        ),
    )
    with op.batch_alter_table("evidence_drafts", schema=None) as batch_op:
        # NULLs are distinct in the unique constraint: one draft of new evidence per worker.
        batch_op.create_index(
            "uq_evidence_drafts_worker_id_new",
            ["worker_id"],
            unique=True,
            sqlite_where=sa.text("evidence_id IS NULL"),
            postgresql_where=sa.text("evidence_id IS NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("evidence_drafts", schema=None) as batch_op:
        batch_op.drop_index("uq_evidence_drafts_worker_id_new")

    op.drop_table("evidence_drafts")

    # The evidence takes the kind of its latest version.
    _add_kind(
        "evidence",
        "ck_evidence_evidence_kind",
        evidence.update().values(
            kind=sa.select(versions.c.kind)
            .where(versions.c.evidence_id == evidence.c.id)
            .order_by(versions.c.number.desc())
            .limit(1)
            .scalar_subquery()
        ),
    )
    _drop_kind("evidence_versions", "ck_evidence_versions_evidence_version_kind")

"""Evidence with its versions, competency links and attachments; the procedure log.

Revision ID: 461a7df01dcf
Revises: 7aab61c3c744
Created: 2026-11-27 22:10:51.109292+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "461a7df01dcf"
down_revision: str | Sequence[str] | None = "7aab61c3c744"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "reflective_account",
                "observed_practice",
                "training_record",
                "certificate",
                "witness_testimony",
                name="evidence_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["users.id"], name=op.f("fk_evidence_worker_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
    )
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_worker_id"), ["worker_id"], unique=False)

    op.create_table(
        "procedure_lines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("competency_code", sa.String(length=40), nullable=False),
        sa.Column("performed_on", sa.Date(), nullable=False),
        sa.Column("setting", sa.String(length=200), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "successful",
                "unsuccessful",
                "abandoned",
                name="procedure_outcome",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("witness_id", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_by", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["witness_id"], ["users.id"], name=op.f("fk_procedure_lines_witness_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["users.id"], name=op.f("fk_procedure_lines_worker_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_procedure_lines")),
    )
    with op.batch_alter_table("procedure_lines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_procedure_lines_witness_id"), ["witness_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_procedure_lines_worker_id"), ["worker_id"], unique=False
        )

    op.create_table(
        "evidence_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("activity_on", sa.Date(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("frozen", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_id"], ["evidence.id"], name=op.f("fk_evidence_versions_evidence_id_evidence")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_versions")),
        sa.UniqueConstraint(
            "evidence_id", "number", name=op.f("uq_evidence_versions_evidence_id_number")
        ),
    )
    with op.batch_alter_table("evidence_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_evidence_versions_evidence_id"), ["evidence_id"], unique=False
        )

    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("media_type", sa.String(length=40), nullable=False),
        sa.Column("filename", sa.String(length=120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["evidence_versions.id"],
            name=op.f("fk_attachments_version_id_evidence_versions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachments_sha256"), ["sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_attachments_version_id"), ["version_id"], unique=False)

    op.create_table(
        "evidence_links",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("competency_code", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["evidence_versions.id"],
            name=op.f("fk_evidence_links_version_id_evidence_versions"),
        ),
        sa.PrimaryKeyConstraint("version_id", "competency_code", name=op.f("pk_evidence_links")),
    )


def downgrade() -> None:
    op.drop_table("evidence_links")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachments_version_id"))
        batch_op.drop_index(batch_op.f("ix_attachments_sha256"))

    op.drop_table("attachments")
    with op.batch_alter_table("evidence_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_versions_evidence_id"))

    op.drop_table("evidence_versions")
    with op.batch_alter_table("procedure_lines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_procedure_lines_worker_id"))
        batch_op.drop_index(batch_op.f("ix_procedure_lines_witness_id"))

    op.drop_table("procedure_lines")
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_worker_id"))

    op.drop_table("evidence")

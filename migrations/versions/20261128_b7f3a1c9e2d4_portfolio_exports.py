"""Portfolio PDF exports with their verification codes, the competencies each showed as
signed off, and the public upload check's count per address.

Revision ID: b7f3a1c9e2d4
Revises: a7c3e9d2b5f1
Created: 2026-11-28 12:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7f3a1c9e2d4"
down_revision: str | Sequence[str] | None = "a7c3e9d2b5f1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "portfolio_exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=43), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("exported_by_id", sa.Integer(), nullable=False),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("exported_on", sa.Date(), nullable=False),
        sa.Column("worker_name", sa.String(length=200), nullable=False),
        sa.Column("job_role", sa.String(length=100), nullable=True),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=False),
        sa.Column("appendices", sa.Integer(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["exported_by_id"],
            ["users.id"],
            name=op.f("fk_portfolio_exports_exported_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["users.id"], name=op.f("fk_portfolio_exports_worker_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portfolio_exports")),
        sa.UniqueConstraint("code", name=op.f("uq_portfolio_exports_code")),
    )
    with op.batch_alter_table("portfolio_exports") as batch:
        batch.create_index(batch.f("ix_portfolio_exports_sha256"), ["sha256"], unique=False)
        batch.create_index(batch.f("ix_portfolio_exports_worker_id"), ["worker_id"], unique=False)
    op.create_table(
        "exported_sign_offs",
        sa.Column("export_id", sa.Integer(), nullable=False),
        sa.Column("competency_code", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["export_id"],
            ["portfolio_exports.id"],
            name=op.f("fk_exported_sign_offs_export_id_portfolio_exports"),
        ),
        sa.PrimaryKeyConstraint("export_id", "competency_code", name=op.f("pk_exported_sign_offs")),
    )
    op.create_table(
        "verification_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verification_checks")),
    )
    with op.batch_alter_table("verification_checks") as batch:
        batch.create_index(
            "ix_verification_checks_address_at", ["address", "checked_at"], unique=False
        )


def downgrade() -> None:
    op.drop_table("verification_checks")
    op.drop_table("exported_sign_offs")
    with op.batch_alter_table("portfolio_exports") as batch:
        batch.drop_index(batch.f("ix_portfolio_exports_worker_id"))
        batch.drop_index(batch.f("ix_portfolio_exports_sha256"))
    op.drop_table("portfolio_exports")

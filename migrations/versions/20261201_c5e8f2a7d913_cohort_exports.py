"""Cohort exports (a ZIP of portfolio PDFs prepared by the job consumer) and each portfolio
in them, with at most one export being prepared per educator.

Revision ID: c5e8f2a7d913
Revises: b7f3a1c9e2d4
Created: 2026-12-01 12:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c5e8f2a7d913"
down_revision: str | Sequence[str] | None = "b7f3a1c9e2d4"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "cohort_exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("post_id", sa.Integer(), nullable=True),
        sa.Column(
            "job_role",
            sa.Enum(
                "csw",
                "scsw",
                "ma",
                "ap",
                name="cohort_job_role",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("with_appendices", sa.Boolean(), nullable=False),
        sa.Column("verify_base", sa.String(length=300), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "preparing",
                "ready",
                "expired",
                name="cohort_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("last_progress_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("zip_size", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_cohort_exports_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_cohort_exports_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_cohort_exports_post_id_posts")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_cohort_exports_requested_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohort_exports")),
    )
    with op.batch_alter_table("cohort_exports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cohort_exports_requested_by_id"), ["requested_by_id"], unique=False
        )
        batch_op.create_index(
            "uq_cohort_exports_one_preparing",
            ["requested_by_id"],
            unique=True,
            sqlite_where=sa.text("state = 'preparing'"),
            postgresql_where=sa.text("state = 'preparing'"),
        )

    op.create_table(
        "cohort_portfolios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cohort_export_id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("worker_name", sa.String(length=200), nullable=False),
        sa.Column("job_role", sa.String(length=100), nullable=False),
        sa.Column("department", sa.String(length=200), nullable=False),
        sa.Column("post", sa.String(length=200), nullable=True),
        sa.Column(
            "state",
            sa.Enum(
                "waiting",
                "done",
                "failed",
                name="cohort_portfolio_state",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("filename", sa.String(length=100), nullable=True),
        sa.Column("portfolio_export_id", sa.Integer(), nullable=True),
        sa.Column("failure", sa.String(length=300), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["cohort_export_id"],
            ["cohort_exports.id"],
            name=op.f("fk_cohort_portfolios_cohort_export_id_cohort_exports"),
        ),
        sa.ForeignKeyConstraint(
            ["portfolio_export_id"],
            ["portfolio_exports.id"],
            name=op.f("fk_cohort_portfolios_portfolio_export_id_portfolio_exports"),
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["users.id"], name=op.f("fk_cohort_portfolios_worker_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cohort_portfolios")),
        sa.UniqueConstraint(
            "cohort_export_id",
            "worker_id",
            name=op.f("uq_cohort_portfolios_cohort_export_id_worker_id"),
        ),
    )
    with op.batch_alter_table("cohort_portfolios", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_cohort_portfolios_cohort_export_id"), ["cohort_export_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("cohort_portfolios", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cohort_portfolios_cohort_export_id"))

    op.drop_table("cohort_portfolios")
    with op.batch_alter_table("cohort_exports", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_cohort_exports_one_preparing",
            sqlite_where=sa.text("state = 'preparing'"),
            postgresql_where=sa.text("state = 'preparing'"),
        )
        batch_op.drop_index(batch_op.f("ix_cohort_exports_requested_by_id"))

    op.drop_table("cohort_exports")

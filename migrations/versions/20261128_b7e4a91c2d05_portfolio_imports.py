"""Exports brought in from another organisation: the record of each import (one per export
and organisation), and procedure lines whose witness is named as the original record gave it.

Revision ID: b7e4a91c2d05
Revises: 9d4e2b7c1f60
Created: 2026-11-28 12:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7e4a91c2d05"
down_revision: str | Sequence[str] | None = "9d4e2b7c1f60"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "portfolio_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("export_id", sa.String(length=36), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("source_organisation", sa.String(length=200), nullable=False),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by_id", sa.Integer(), nullable=True),
        sa.Column("report", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["imported_by_id"], ["users.id"], name=op.f("fk_portfolio_imports_imported_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_portfolio_imports_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["users.id"], name=op.f("fk_portfolio_imports_person_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_portfolio_imports")),
        sa.UniqueConstraint(
            "organisation_id",
            "export_id",
            name=op.f("uq_portfolio_imports_organisation_id_export_id"),
        ),
    )
    with op.batch_alter_table("portfolio_imports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_portfolio_imports_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_portfolio_imports_person_id"), ["person_id"], unique=False
        )
    with op.batch_alter_table("procedure_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("witness_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("imported_from", sa.Text(), nullable=True))
        batch_op.alter_column("witness_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    # Lines brought in from an export have no witness here, and the older schema cannot hold
    # them: they go with this revision (the export they came from still holds them).
    imported = "SELECT id FROM procedure_lines WHERE witness_id IS NULL"
    op.execute(f"DELETE FROM sign_off_procedures WHERE procedure_line_id IN ({imported})")  # noqa: S608 - fixed text
    op.execute(f"DELETE FROM notices WHERE procedure_line_id IN ({imported})")  # noqa: S608 - fixed text
    op.execute("DELETE FROM procedure_lines WHERE witness_id IS NULL")
    with op.batch_alter_table("procedure_lines", schema=None) as batch_op:
        batch_op.alter_column("witness_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("imported_from")
        batch_op.drop_column("witness_name")
    with op.batch_alter_table("portfolio_imports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_portfolio_imports_person_id"))
        batch_op.drop_index(batch_op.f("ix_portfolio_imports_organisation_id"))
    op.drop_table("portfolio_imports")

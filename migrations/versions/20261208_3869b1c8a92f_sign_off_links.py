"""Sign-off links: the link emailed with a sign-off request, which opens it on the assessor's
own device (only its token's SHA-256 is kept). A new table only; downgrading drops it, and the
links in emails already sent stop working.

Revision ID: 3869b1c8a92f
Revises: a7d2e5c9f031
Created: 2026-12-08 00:52:07.497764+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3869b1c8a92f"
down_revision: str | Sequence[str] | None = "a7d2e5c9f031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_off_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("assessor_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["assessor_id"], ["users.id"], name=op.f("fk_sign_off_links_assessor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["sign_off_requests.id"],
            name=op.f("fk_sign_off_links_request_id_sign_off_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_off_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_sign_off_links_token_hash")),
    )
    with op.batch_alter_table("sign_off_links", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sign_off_links_assessor_id"), ["assessor_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sign_off_links_request_id"), ["request_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sign_off_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_off_links_request_id"))
        batch_op.drop_index(batch_op.f("ix_sign_off_links_assessor_id"))

    op.drop_table("sign_off_links")

"""One rate limiter: the per-address (and per-email) throttles count their hits in one table,
`rate_limit_hits`, instead of a table each.

Dropped: `password_reset_requests` (the "Forgotten your password?" limit) and
`verification_checks` (the public upload check's limit), and the rows the API's token check
wrote into `sign_in_attempts` under the made-up address "(api token)". Created:
`rate_limit_hits` (key, hit_at, expires_at).

The counts are not carried over in either direction. They are transient (each mattered for
one window, 15 or 60 minutes by default, and the tables were pruned after
RETENTION_SIGN_IN_ATTEMPT_DAYS), and the new keys name the limit in force, which a
migration cannot know. So, for at most one window after the upgrade (or a downgrade), an
address may make its allowance again. Failed sign-ins stay in `sign_in_attempts` (the
per-account lockout reads them; the per-address limit now counts in the new table).

Revision ID: 2a6a1f051c61
Revises: e4a8c1f7b2d6
Created: 2026-12-03 09:00:00+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "2a6a1f051c61"
down_revision: str | Sequence[str] | None = "e4a8c1f7b2d6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FAILED_TOKEN = "(api token)"  # noqa: S105 - the label the old token check wrote, not a secret


def upgrade() -> None:
    op.create_table(
        "rate_limit_hits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=400), nullable=False),
        sa.Column("hit_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rate_limit_hits")),
    )
    with op.batch_alter_table("rate_limit_hits") as batch:
        batch.create_index("ix_rate_limit_hits_key_hit_at", ["key", "hit_at"], unique=False)
        batch.create_index("ix_rate_limit_hits_expires_at", ["expires_at"], unique=False)

    attempts = sa.table("sign_in_attempts", sa.column("email", sa.String))
    op.execute(attempts.delete().where(attempts.c.email == FAILED_TOKEN))

    with op.batch_alter_table("password_reset_requests") as batch:
        batch.drop_index("ix_password_reset_requests_address_at")
        batch.drop_index("ix_password_reset_requests_email_at")
    op.drop_table("password_reset_requests")
    with op.batch_alter_table("verification_checks") as batch:
        batch.drop_index("ix_verification_checks_address_at")
    op.drop_table("verification_checks")


def downgrade() -> None:
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
    op.create_table(
        "password_reset_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_reset_requests")),
    )
    with op.batch_alter_table("password_reset_requests") as batch:
        batch.create_index(
            "ix_password_reset_requests_address_at", ["address", "requested_at"], unique=False
        )
        batch.create_index(
            "ix_password_reset_requests_email_at", ["email", "requested_at"], unique=False
        )

    with op.batch_alter_table("rate_limit_hits") as batch:
        batch.drop_index("ix_rate_limit_hits_expires_at")
        batch.drop_index("ix_rate_limit_hits_key_hit_at")
    op.drop_table("rate_limit_hits")

"""Notices in the app with the state of each one's email, email choices per person and topic,
and the expiry reminders sent per sign-off and threshold.

Revision ID: 3e7d5c1a9b42
Revises: 8c4f2a9e7b10
Created: 2026-11-28 00:18:40.226038+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "3e7d5c1a9b42"
down_revision: str | Sequence[str] | None = "8c4f2a9e7b10"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "email_preferences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "topic",
            sa.Enum(
                "request_waiting",
                "request_returned",
                "procedure_awaiting",
                "expiry",
                "weekly_summary",
                name="email_topic",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("wanted", sa.Boolean(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_email_preferences_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", "topic", name=op.f("pk_email_preferences")),
    )
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "request_waiting",
                "request_returned",
                "procedure_awaiting",
                "due_60",
                "due_30",
                "expired",
                "weekly_summary",
                name="notice_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("dedupe_key", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.Column("competency_code", sa.String(length=40), nullable=True),
        sa.Column("request_id", sa.Integer(), nullable=True),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("procedure_line_id", sa.Integer(), nullable=True),
        sa.Column("counts", sa.Text(), nullable=True),
        sa.Column(
            "email_status",
            sa.Enum(
                "not_wanted",
                "pending",
                "sending",
                "sent",
                "failed",
                "skipped",
                name="notice_email_status",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("email_attempts", sa.Integer(), nullable=False),
        sa.Column("email_next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("email_claimed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("email_sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("email_detail", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["sign_off_decisions.id"],
            name=op.f("fk_notices_decision_id_sign_off_decisions"),
        ),
        sa.ForeignKeyConstraint(
            ["procedure_line_id"],
            ["procedure_lines.id"],
            name=op.f("fk_notices_procedure_line_id_procedure_lines"),
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"], ["users.id"], name=op.f("fk_notices_recipient_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["sign_off_requests.id"],
            name=op.f("fk_notices_request_id_sign_off_requests"),
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["users.id"], name=op.f("fk_notices_worker_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
        sa.UniqueConstraint(
            "recipient_id", "dedupe_key", name=op.f("uq_notices_recipient_id_dedupe_key")
        ),
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notices_email_status"), ["email_status"], unique=False)
        batch_op.create_index(batch_op.f("ix_notices_recipient_id"), ["recipient_id"], unique=False)

    op.create_table(
        "sign_off_reminders",
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column(
            "threshold",
            sa.Enum(
                "due_60",
                "due_30",
                "expired",
                name="reminder_threshold",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("sent_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["sign_off_decisions.id"],
            name=op.f("fk_sign_off_reminders_decision_id_sign_off_decisions"),
        ),
        sa.PrimaryKeyConstraint("decision_id", "threshold", name=op.f("pk_sign_off_reminders")),
    )


def downgrade() -> None:
    op.drop_table("sign_off_reminders")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notices_recipient_id"))
        batch_op.drop_index(batch_op.f("ix_notices_email_status"))

    op.drop_table("notices")
    op.drop_table("email_preferences")

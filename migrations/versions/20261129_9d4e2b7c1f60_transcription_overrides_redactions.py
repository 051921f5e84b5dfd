"""Transcribed sign-offs record the previous employer, who saw the original and when, who
typed it in, and any local observation they were accepted on; educators' overrides of the
supervised procedure minimum; the record of each redaction (never the text removed).

Revision ID: 9d4e2b7c1f60
Revises: 9d2b7e4f1c60
Created: 2026-11-29 09:00:00.000000+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9d4e2b7c1f60"
down_revision: str | Sequence[str] | None = "9d2b7e4f1c60"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "minimum_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("competency_code", sa.String(length=40), nullable=False),
        sa.Column("procedures_required", sa.Integer(), nullable=False),
        sa.Column("procedures_confirmed", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("overridden_by_id", sa.Integer(), nullable=False),
        sa.Column("overridden_by_name", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["overridden_by_id"],
            ["users.id"],
            name=op.f("fk_minimum_overrides_overridden_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["users.id"], name=op.f("fk_minimum_overrides_worker_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_minimum_overrides")),
    )
    with op.batch_alter_table("minimum_overrides", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_minimum_overrides_worker_id"), ["worker_id"], unique=False
        )

    with op.batch_alter_table("sign_off_decisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("previous_employer", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("original_seen_by", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("original_seen_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("transcribed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("transcribed_by_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("local_observer_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("local_observer_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("local_observed_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("local_setting", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("minimum_override_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_sign_off_decisions_transcribed_by_id_users"),
            "users",
            ["transcribed_by_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_sign_off_decisions_local_observer_id_users"),
            "users",
            ["local_observer_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_sign_off_decisions_minimum_override_id_minimum_overrides"),
            "minimum_overrides",
            ["minimum_override_id"],
            ["id"],
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_sign_off_decisions_minimum_override_id"), ["minimum_override_id"]
        )

    op.create_table(
        "redactions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=True),
        sa.Column("decision_id", sa.Integer(), nullable=True),
        sa.Column("places", sa.Text(), nullable=False),
        sa.Column("occurrences", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("redacted_by_id", sa.Integer(), nullable=False),
        sa.Column("redacted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("redacted_on", sa.Date(), nullable=False),
        sa.CheckConstraint(
            "(evidence_id IS NULL) <> (decision_id IS NULL)",
            name=op.f("ck_redactions_one_record"),
        ),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["sign_off_decisions.id"],
            name=op.f("fk_redactions_decision_id_sign_off_decisions"),
        ),
        sa.ForeignKeyConstraint(
            ["evidence_id"], ["evidence.id"], name=op.f("fk_redactions_evidence_id_evidence")
        ),
        sa.ForeignKeyConstraint(
            ["redacted_by_id"], ["users.id"], name=op.f("fk_redactions_redacted_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["users.id"], name=op.f("fk_redactions_worker_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_redactions")),
    )
    with op.batch_alter_table("redactions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_redactions_decision_id"), ["decision_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_redactions_evidence_id"), ["evidence_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_redactions_worker_id"), ["worker_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("redactions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_redactions_worker_id"))
        batch_op.drop_index(batch_op.f("ix_redactions_evidence_id"))
        batch_op.drop_index(batch_op.f("ix_redactions_decision_id"))
    op.drop_table("redactions")

    with op.batch_alter_table("sign_off_decisions", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_sign_off_decisions_minimum_override_id"), type_="unique"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_sign_off_decisions_minimum_override_id_minimum_overrides"),
            type_="foreignkey",
        )
        batch_op.drop_constraint(
            batch_op.f("fk_sign_off_decisions_local_observer_id_users"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_sign_off_decisions_transcribed_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_column("minimum_override_id")
        batch_op.drop_column("local_setting")
        batch_op.drop_column("local_observed_on")
        batch_op.drop_column("local_observer_name")
        batch_op.drop_column("local_observer_id")
        batch_op.drop_column("transcribed_by_name")
        batch_op.drop_column("transcribed_by_id")
        batch_op.drop_column("original_seen_on")
        batch_op.drop_column("original_seen_by")
        batch_op.drop_column("previous_employer")

    with op.batch_alter_table("minimum_overrides", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_minimum_overrides_worker_id"))
    op.drop_table("minimum_overrides")

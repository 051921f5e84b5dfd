"""The practice records the standing engine reads: who holds the authority to grant IR(ME)R
entitlements or is the MR Responsible Person in a department; IR(ME)R operator entitlements and
MR designations, each with its versions (grant, review, withdrawal; nothing overwritten) and an
entitlement's named examinations; preceptorship periods on appointments; sites, their dated
two-mammography-associate model records, and the site of an appointment.

New tables only: the free-text `operator_entitlements` stay as they are until the wiring moves
the pages over. Downgrading drops the new tables and what they hold.

Revision ID: f1c7a3e9b2d4
Revises: 2a6a1f051c61
Created: 2026-12-07 14:18:15+00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f1c7a3e9b2d4"
down_revision: str | Sequence[str] | None = "2a6a1f051c61"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_sites_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sites")),
        sa.UniqueConstraint("organisation_id", "code", name=op.f("uq_sites_organisation_id_code")),
    )
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sites_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "irmer_entitlements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "patient_identification",
                "pregnancy_enquiry",
                "exposure",
                "equipment_qa",
                "image_processing",
                "radiopharmaceutical_administration",
                name="entitlement_kind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "modality",
            sa.Enum(
                "general_radiography",
                "fluoroscopy",
                "mammography",
                "ct",
                "nuclear_medicine",
                "dxa",
                "radiotherapy",
                name="modality",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_irmer_entitlements_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_irmer_entitlements_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_irmer_entitlements")),
    )
    with op.batch_alter_table("irmer_entitlements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_irmer_entitlements_department_id"), ["department_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_irmer_entitlements_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "practice_authorities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "authority",
            sa.Enum(
                "entitlement_granter",
                "mr_responsible_person",
                name="authority",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "ends_on IS NULL OR ends_on >= starts_on",
            name=op.f("ck_practice_authorities_ends_after_start"),
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_practice_authorities_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_practice_authorities_recorded_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_practice_authorities_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_authorities")),
    )
    with op.batch_alter_table("practice_authorities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_practice_authorities_department_id"), ["department_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_practice_authorities_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "practice_designations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "mr_authorised_person",
                "mr_safety_screening",
                name="designation_kind",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_practice_designations_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_practice_designations_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_designations")),
    )
    with op.batch_alter_table("practice_designations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_practice_designations_department_id"), ["department_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_practice_designations_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "site_two_ma_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("qualifies", sa.Boolean(), nullable=False),
        sa.Column("from_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_site_two_ma_records_recorded_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_site_two_ma_records_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_two_ma_records")),
    )
    with op.batch_alter_table("site_two_ma_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_site_two_ma_records_site_id"), ["site_id"], unique=False
        )

    op.create_table(
        "irmer_entitlement_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entitlement_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column(
            "change",
            sa.Enum(
                "granted",
                "reviewed",
                "withdrawn",
                name="grant_change",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("granted_on", sa.Date(), nullable=False),
        sa.Column("granted_by_id", sa.Integer(), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawal_reason", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(withdrawn_on IS NULL) = (withdrawal_reason IS NULL)",
            name=op.f("ck_irmer_entitlement_versions_withdrawal_has_reason"),
        ),
        sa.CheckConstraint(
            "review_on IS NULL OR review_on >= granted_on",
            name=op.f("ck_irmer_entitlement_versions_review_after_grant"),
        ),
        sa.CheckConstraint(
            "withdrawn_on IS NULL OR withdrawn_on >= granted_on",
            name=op.f("ck_irmer_entitlement_versions_withdrawn_after_grant"),
        ),
        sa.ForeignKeyConstraint(
            ["entitlement_id"],
            ["irmer_entitlements.id"],
            name=op.f("fk_irmer_entitlement_versions_entitlement_id_irmer_entitlements"),
        ),
        sa.ForeignKeyConstraint(
            ["granted_by_id"],
            ["users.id"],
            name=op.f("fk_irmer_entitlement_versions_granted_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_irmer_entitlement_versions_recorded_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by_id"],
            ["users.id"],
            name=op.f("fk_irmer_entitlement_versions_withdrawn_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_irmer_entitlement_versions")),
        sa.UniqueConstraint(
            "entitlement_id",
            "number",
            name=op.f("uq_irmer_entitlement_versions_entitlement_id_number"),
        ),
    )
    with op.batch_alter_table("irmer_entitlement_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_irmer_entitlement_versions_entitlement_id"),
            ["entitlement_id"],
            unique=False,
        )

    op.create_table(
        "practice_designation_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("designation_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column(
            "change",
            sa.Enum(
                "granted",
                "reviewed",
                "withdrawn",
                name="grant_change",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("granted_on", sa.Date(), nullable=False),
        sa.Column("granted_by_id", sa.Integer(), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("withdrawn_on", sa.Date(), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.Column("withdrawal_reason", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(withdrawn_on IS NULL) = (withdrawal_reason IS NULL)",
            name=op.f("ck_practice_designation_versions_withdrawal_has_reason"),
        ),
        sa.CheckConstraint(
            "review_on IS NULL OR review_on >= granted_on",
            name=op.f("ck_practice_designation_versions_review_after_grant"),
        ),
        sa.CheckConstraint(
            "withdrawn_on IS NULL OR withdrawn_on >= granted_on",
            name=op.f("ck_practice_designation_versions_withdrawn_after_grant"),
        ),
        sa.ForeignKeyConstraint(
            ["designation_id"],
            ["practice_designations.id"],
            name=op.f("fk_practice_designation_versions_designation_id_practice_designations"),
        ),
        sa.ForeignKeyConstraint(
            ["granted_by_id"],
            ["users.id"],
            name=op.f("fk_practice_designation_versions_granted_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_practice_designation_versions_recorded_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by_id"],
            ["users.id"],
            name=op.f("fk_practice_designation_versions_withdrawn_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_designation_versions")),
        sa.UniqueConstraint(
            "designation_id",
            "number",
            name=op.f("uq_practice_designation_versions_designation_id_number"),
        ),
    )
    with op.batch_alter_table("practice_designation_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_practice_designation_versions_designation_id"),
            ["designation_id"],
            unique=False,
        )

    op.create_table(
        "appointment_sites",
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointments.id"],
            name=op.f("fk_appointment_sites_appointment_id_appointments"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_appointment_sites_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_appointment_sites_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("appointment_id", name=op.f("pk_appointment_sites")),
    )
    with op.batch_alter_table("appointment_sites", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appointment_sites_site_id"), ["site_id"], unique=False)

    op.create_table(
        "irmer_entitlement_examinations",
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("examination", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["irmer_entitlement_versions.id"],
            name=op.f("fk_irmer_entitlement_examinations_version_id_irmer_entitlement_versions"),
        ),
        sa.PrimaryKeyConstraint(
            "version_id", "examination", name=op.f("pk_irmer_entitlement_examinations")
        ),
    )
    op.create_table(
        "preceptorships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appointment_id", sa.Integer(), nullable=False),
        sa.Column("preceptor_id", sa.Integer(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column(
            "ceiling",
            sa.Enum(
                "direct",
                "indirect",
                "remote",
                name="supervision_level",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(ended_on IS NULL) = (end_reason IS NULL)",
            name=op.f("ck_preceptorships_end_has_reason"),
        ),
        sa.CheckConstraint(
            "ended_on IS NULL OR (ended_on >= starts_on AND ended_on <= ends_on)",
            name=op.f("ck_preceptorships_ended_within_period"),
        ),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_preceptorships_ends_after_start")),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointments.id"],
            name=op.f("fk_preceptorships_appointment_id_appointments"),
        ),
        sa.ForeignKeyConstraint(
            ["preceptor_id"], ["users.id"], name=op.f("fk_preceptorships_preceptor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_preceptorships_recorded_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_preceptorships")),
    )
    with op.batch_alter_table("preceptorships", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_preceptorships_appointment_id"), ["appointment_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_preceptorships_preceptor_id"), ["preceptor_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("preceptorships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_preceptorships_preceptor_id"))
        batch_op.drop_index(batch_op.f("ix_preceptorships_appointment_id"))

    op.drop_table("preceptorships")
    op.drop_table("irmer_entitlement_examinations")
    with op.batch_alter_table("appointment_sites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appointment_sites_site_id"))

    op.drop_table("appointment_sites")
    with op.batch_alter_table("practice_designation_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_designation_versions_designation_id"))

    op.drop_table("practice_designation_versions")
    with op.batch_alter_table("irmer_entitlement_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_irmer_entitlement_versions_entitlement_id"))

    op.drop_table("irmer_entitlement_versions")
    with op.batch_alter_table("site_two_ma_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_site_two_ma_records_site_id"))

    op.drop_table("site_two_ma_records")
    with op.batch_alter_table("practice_designations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_designations_user_id"))
        batch_op.drop_index(batch_op.f("ix_practice_designations_department_id"))

    op.drop_table("practice_designations")
    with op.batch_alter_table("practice_authorities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_authorities_user_id"))
        batch_op.drop_index(batch_op.f("ix_practice_authorities_department_id"))

    op.drop_table("practice_authorities")
    with op.batch_alter_table("irmer_entitlements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_irmer_entitlements_user_id"))
        batch_op.drop_index(batch_op.f("ix_irmer_entitlements_department_id"))

    op.drop_table("irmer_entitlements")
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sites_organisation_id"))

    op.drop_table("sites")

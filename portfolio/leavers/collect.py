"""Everything the portfolio holds about one person, read into the export's document
(`leavers.document`): their own records, and other people only by the names their records
give them (never an email address or anything else of theirs). Notices about other people
(a supervisor's about their workers) are those people's, and stay out."""

from __future__ import annotations

import datetime as dt
import uuid
from importlib.metadata import PackageNotFoundError, version

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from portfolio.core.clock import utcnow
from portfolio.core.roles import job_role_title
from portfolio.core.settings import get_settings
from portfolio.evidence.models import Evidence, EvidenceVersion, ProcedureLine
from portfolio.frameworks import queries as frameworks
from portfolio.frameworks.models import OperatorEntitlement, PersonQualification, PlanItem
from portfolio.leavers import document as doc
from portfolio.leavers.models import PortfolioImport
from portfolio.notices.models import EmailPreference, Notice
from portfolio.people.models import (
    Appointment,
    Department,
    Organisation,
    SupervisorAssignment,
    User,
)
from portfolio.signoff.models import (
    Revocation,
    SignOffDecision,
    SignOffRequest,
    SignOffRequestEvidence,
    Suspension,
)


def _application_version() -> str | None:
    try:
        return version("imaging-support-portfolio")
    except PackageNotFoundError:  # pragma: no cover - run from a checkout without installing
        return None


def build_document(
    session: Session, person: User, *, by_themselves: bool, now: dt.datetime | None = None
) -> doc.Document:
    """Everything the portfolio holds about the person, as the versioned document."""
    now = now or utcnow()
    organisation = session.get_one(Organisation, person.organisation_id)
    evidence = _evidence(session, person.id)
    attachments = {
        ref.sha256: doc.AttachmentFile(sha256=ref.sha256, size=ref.size, media_type=ref.media_type)
        for item in evidence
        for version_ in item.versions
        for ref in version_.attachments
    }
    return doc.Document(
        format="imaging-support-portfolio-export",
        version=1,
        export_id=str(uuid.uuid4()),
        exported_at=now,
        exported_by="the person" if by_themselves else "an administrator",
        source=doc.Source(
            organisation=organisation.name,
            nation=organisation.nation.value,
            base_url=get_settings().base_url or None,
            application_version=_application_version(),
        ),
        person=doc.Person(
            name=person.name,
            email=person.email,
            employee_number=person.employee_number,
            account_roles=sorted(role.value for role in person.roles),
            profession=person.profession,
            register_type=person.register.value,
            register_number=person.register_number,
            register_checked_on=person.register_checked_on,
            register_check_result=person.register_check_result.value
            if person.register_check_result
            else None,
            active=person.active,
            created_at=person.created_at,
            deactivated_at=person.deactivated_at,
        ),
        job_roles=_job_roles(session, person.id),
        supervisors=_supervisors(session, person.id),
        evidence=evidence,
        procedures=_procedures(session, person.id),
        sign_off_requests=_requests(session, person.id),
        sign_offs=_sign_offs(session, person.id),
        qualifications=[
            doc.Qualification(
                title=row.title,
                code=row.qualification_code,
                framework=row.framework,
                level=row.level,
                status=row.status,
                achieved_on=row.achieved_on,
                planned_start_on=row.planned_start_on,
                recorded_at=row.recorded_at,
                self_reported=row.recorded_by_id == person.id,
            )
            for row in session.scalars(
                select(PersonQualification)
                .where(PersonQualification.user_id == person.id)
                .order_by(PersonQualification.id)
            )
        ],
        entitlements=[
            doc.Entitlement(
                scope=row.scope, granted_on=row.granted_on, withdrawn_on=row.withdrawn_on
            )
            for row in session.scalars(
                select(OperatorEntitlement)
                .where(OperatorEntitlement.user_id == person.id)
                .order_by(OperatorEntitlement.id)
            )
        ],
        plan=[
            doc.PlanItem(competency=row.competency_code, added_at=row.added_at)
            for row in session.scalars(
                select(PlanItem).where(PlanItem.worker_id == person.id).order_by(PlanItem.id)
            )
        ],
        notices=[
            doc.NoticeRow(
                kind=row.kind.value,
                created_at=row.created_at,
                read_at=row.read_at,
                competency=row.competency_code,
                email=row.email_status.value,
                email_sent_at=row.email_sent_at,
            )
            for row in session.scalars(
                select(Notice)
                # Notices about someone else (a supervisor's about their workers) are theirs.
                .where(
                    Notice.recipient_id == person.id,
                    or_(Notice.worker_id.is_(None), Notice.worker_id == person.id),
                )
                .order_by(Notice.id)
            )
        ],
        email_choices=[
            doc.EmailChoice(topic=row.topic.value, wanted=row.wanted)
            for row in session.scalars(
                select(EmailPreference)
                .where(EmailPreference.user_id == person.id)
                .order_by(EmailPreference.topic)
            )
        ],
        imported=[
            doc.ImportedRow(
                source_organisation=row.source_organisation,
                exported_at=row.exported_at,
                imported_at=row.imported_at,
            )
            for row in session.scalars(
                select(PortfolioImport)
                .where(PortfolioImport.person_id == person.id)
                .order_by(PortfolioImport.id)
            )
        ],
        attachments=sorted(attachments.values(), key=lambda item: item.sha256),
    )


def _job_roles(session: Session, user_id: int) -> list[doc.JobRoleRow]:
    return [
        doc.JobRoleRow(
            effective_from=row.effective_from,
            job_role=row.job_role.value,
            job_role_title=job_role_title(row.job_role, row.trainee),
            trainee=row.trainee,
            afc_band=row.afc_band,
            department=department,
            post=row.post.name if row.post else None,
            started_in_post_on=row.started_in_post_on,
        )
        for row, department in session.execute(
            select(Appointment, Department.name)
            .join(Department, Department.id == Appointment.department_id)
            .options(selectinload(Appointment.post))
            .where(Appointment.user_id == user_id)
            .order_by(Appointment.effective_from)
        )
    ]


def _supervisors(session: Session, user_id: int) -> list[doc.SupervisorRow]:
    return [
        doc.SupervisorRow(name=name, starts_on=row.starts_on, ends_on=row.ends_on)
        for row, name in session.execute(
            select(SupervisorAssignment, User.name)
            .join(User, User.id == SupervisorAssignment.supervisor_id)
            .where(SupervisorAssignment.worker_id == user_id)
            .order_by(SupervisorAssignment.starts_on, SupervisorAssignment.id)
        )
    ]


def _evidence(session: Session, user_id: int) -> list[doc.EvidenceItem]:
    items = session.scalars(
        select(Evidence)
        .options(
            selectinload(Evidence.versions).selectinload(EvidenceVersion.links),
            selectinload(Evidence.versions).selectinload(EvidenceVersion.attachments),
        )
        .where(Evidence.worker_id == user_id)
        .order_by(Evidence.id)
    )
    return [
        doc.EvidenceItem(
            id=item.id,
            created_at=item.created_at,
            versions=[
                doc.EvidenceVersion(
                    number=version_.number,
                    kind=version_.kind.value,
                    title=version_.title,
                    activity_on=version_.activity_on,
                    body=version_.body,
                    frozen=version_.frozen,
                    created_at=version_.created_at,
                    updated_at=version_.updated_at,
                    competencies=[link.competency_code for link in version_.links],
                    attachments=[
                        doc.AttachmentRef(
                            sha256=file.sha256,
                            filename=file.filename,
                            media_type=file.media_type,
                            size=file.size,
                            uploaded_at=file.uploaded_at,
                        )
                        for file in version_.attachments
                    ],
                )
                for version_ in item.versions
            ],
        )
        for item in items
    ]


def _procedures(session: Session, user_id: int) -> list[doc.Procedure]:
    witness = aliased(User)
    return [
        doc.Procedure(
            id=line.id,
            competency=line.competency_code,
            performed_on=line.performed_on,
            setting=line.setting,
            outcome=line.outcome.value,
            witness=name or line.witness_name or "",
            recorded_at=line.recorded_at,
            confirmed=line.confirmed_at is not None,
            confirmed_at=line.confirmed_at,
            confirmed_by=line.confirmed_by,
            imported_from=line.imported_from,
        )
        for line, name in session.execute(
            select(ProcedureLine, witness.name)
            .outerjoin(witness, witness.id == ProcedureLine.witness_id)
            .where(ProcedureLine.worker_id == user_id)
            .order_by(ProcedureLine.performed_on, ProcedureLine.id)
        )
    ]


def _requests(session: Session, user_id: int) -> list[doc.SignOffRequest]:
    assessor = aliased(User)
    chosen: dict[int, list[int]] = {}
    for request_id, evidence_id in session.execute(
        select(SignOffRequestEvidence.request_id, SignOffRequestEvidence.evidence_id)
        .join(SignOffRequest, SignOffRequest.id == SignOffRequestEvidence.request_id)
        .where(SignOffRequest.worker_id == user_id)
        .order_by(SignOffRequestEvidence.evidence_id)
    ):
        chosen.setdefault(request_id, []).append(evidence_id)
    return [
        doc.SignOffRequest(
            id=row.id,
            competency=row.competency_code,
            assessor=name,
            state=row.state.value,
            requested_at=row.requested_at,
            requested_on=row.requested_on,
            ended_on=row.ended_on,
            declared_at=row.declared_at,
            evidence_ids=chosen.get(row.id, []),
        )
        for row, name in session.execute(
            select(SignOffRequest, assessor.name)
            .join(assessor, assessor.id == SignOffRequest.assessor_id)
            .where(SignOffRequest.worker_id == user_id)
            .order_by(SignOffRequest.id)
        )
    ]


def _sign_offs(session: Session, user_id: int) -> list[doc.SignOff]:
    decisions = session.scalars(
        select(SignOffDecision)
        .options(
            selectinload(SignOffDecision.evidence),
            selectinload(SignOffDecision.procedures),
            selectinload(SignOffDecision.minimum_override),
        )
        .where(SignOffDecision.worker_id == user_id)
        .order_by(SignOffDecision.observed_on, SignOffDecision.id)
    ).all()
    ids = [decision.id for decision in decisions]
    suspensions: dict[int, list[doc.SuspensionRow]] = {}
    for row in session.scalars(
        select(Suspension).where(Suspension.decision_id.in_(ids)).order_by(Suspension.id)
    ):
        suspensions.setdefault(row.decision_id, []).append(
            doc.SuspensionRow(
                starts_on=row.starts_on,
                reason=row.reason,
                recorded_at=row.recorded_at,
                reinstated_on=row.reinstated_on,
                reinstatement_reason=row.reinstatement_reason,
                reinstated_at=row.reinstated_at,
            )
        )
    revocations = {
        row.decision_id: doc.RevocationRow(
            revoked_on=row.revoked_on, reason=row.reason, recorded_at=row.recorded_at
        )
        for row in session.scalars(select(Revocation).where(Revocation.decision_id.in_(ids)))
    }
    versions = {
        row.id: (row.evidence_id, row.number)
        for row in session.execute(
            select(EvidenceVersion.id, EvidenceVersion.evidence_id, EvidenceVersion.number)
            .join(Evidence, Evidence.id == EvidenceVersion.evidence_id)
            .where(Evidence.worker_id == user_id)
        )
    }
    titles = frameworks.current_competencies(session)
    return [
        doc.SignOff(
            id=item.id,
            competency=item.competency_code,
            competency_title=titles[item.competency_code].title
            if item.competency_code in titles
            else None,
            outcome=item.outcome.value,
            supervision=item.supervision.value if item.supervision else None,
            conditions=list(item.condition_labels),
            observed_on=item.observed_on,
            recorded_at=item.recorded_at,
            recorded_on=item.recorded_on,
            expires_on=item.expires_on,
            framework_code=item.framework_code,
            framework_version=item.framework_version,
            policy_version=item.policy_version,
            policy_title=item.policy_title,
            procedures_required=item.procedures_required,
            reassessment_months=item.reassessment_months,
            assessor=doc.Assessor(
                name=item.assessor_name,
                profession=item.assessor_profession,
                register_type=item.assessor_register.value,
                register_number=item.assessor_register_number,
                register_checked_on=item.assessor_register_checked_on,
                qualification=item.assessor_qualification,
            ),
            authentication=item.authentication.value,
            declared_at=item.declared_at,
            feedback=doc.Feedback(
                went_well=item.went_well, to_develop=item.to_develop, action_plan=item.action_plan
            ),
            countersignature=doc.Countersignature(
                required=item.countersignature_required,
                countersigned_on=item.countersigned_on,
                countersigned_at=item.countersigned_at,
                countersigner=item.countersigner_name,
            ),
            transcribed_source=item.transcribed_source,
            previous_employer=item.previous_employer,
            original_seen_by=item.original_seen_by,
            original_seen_on=item.original_seen_on,
            transcribed_by=item.transcribed_by_name,
            local_acceptance=doc.LocalAcceptanceRow(
                observer=item.local_observer_name or "",
                observed_on=item.local_observed_on,
                setting=item.local_setting,
                accepted_on=item.accepted_on,
                accepted_by=item.accepted_by_name,
            )
            if item.local_observed_on is not None
            else None,
            awaiting_acceptance=item.awaiting_acceptance,
            minimum_override=doc.MinimumOverrideRow(
                procedures_required=item.minimum_override.procedures_required,
                procedures_confirmed=item.minimum_override.procedures_confirmed,
                reason=item.minimum_override.reason,
                overridden_by=item.minimum_override.overridden_by_name,
                recorded_on=item.minimum_override.recorded_on,
            )
            if item.minimum_override is not None
            else None,
            evidence_versions=[
                doc.EvidenceVersionRef(
                    evidence_id=versions[link.version_id][0], number=versions[link.version_id][1]
                )
                for link in sorted(item.evidence, key=lambda link: link.version_id)
                if link.version_id in versions
            ],
            procedure_ids=sorted(link.procedure_line_id for link in item.procedures),
            suspensions=suspensions.get(item.id, []),
            revocation=revocations.get(item.id),
        )
        for item in decisions
    ]

"""A rich portfolio to back up: the demo trust plus whatever the demo leaves out, so that every
table holds rows (attachments shared by two pieces of evidence, a draft, a suspension and a
revocation, a reminder, email choices, a sign-in attempt, a departmental educator, a leaver,
an invitation link, a password reset request, an uploaded staff file, a portfolio export
and a check of one, a request's emailed link and a dispute link)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from flask import Flask
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio import demo
from portfolio.accounts import links
from portfolio.accounts.models import LinkPurpose, SignInAttempt
from portfolio.api.models import TokenScope
from portfolio.api.services import create_token
from portfolio.audit.services import Auditor
from portfolio.cohorts.models import CohortExport, CohortPortfolio, CohortState, PortfolioState
from portfolio.core.clock import today, utcnow
from portfolio.core.roles import AccountRole, JobRole, Nation
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.evidence import services as evidence
from portfolio.evidence.attachments import JPEG, PNG, AttachmentStore, check_upload
from portfolio.evidence.drafts import DraftFields, save_draft
from portfolio.evidence.models import Evidence
from portfolio.frameworks.practice_terms import (
    AssessorList,
    DesignationKind,
    EntitlementKind,
    Modality,
)
from portfolio.leavers import export, importing, settings
from portfolio.notices.models import SignOffReminder
from portfolio.notices.rules import Threshold, Topic
from portfolio.notices.services import save_email_choices
from portfolio.onboarding.services import store_upload
from portfolio.pdf.models import ExportedSignOff, PortfolioExport
from portfolio.people import reviews
from portfolio.people import services as people
from portfolio.people.models import Department, Organisation, User
from portfolio.people.registers import RegisterCheckResult
from portfolio.practice import assessor_lists, designations, entitlements
from portfolio.practice.authorities import appoint_authority
from portfolio.practice.models import Authority
from portfolio.practice.preceptorships import end_preceptorship, start_preceptorship
from portfolio.practice.sites import record_two_ma_model, save_site, set_appointment_site
from portfolio.ratelimit.models import RateLimitHit
from portfolio.redaction import services as redaction
from portfolio.signoff import disputes, overrides
from portfolio.signoff import links as sign_off_links
from portfolio.signoff import services as signoff
from portfolio.signoff.models import RequestState, SignOffDecision, SignOffRequest
from portfolio.signoff.queries import sign_off_context
from portfolio.standing.status import Outcome

TEN_MB = 10 * 1024 * 1024


def image(kind: str, colour: tuple[int, int, int]) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(output, kind)
    return output.getvalue()


def seed(app: Flask, attachment_dir: Path) -> None:
    """Load the demo and the extras, and commit."""
    with app.app_context():
        session = get_session()
        key = get_settings(app).audit_key_bytes
        demo.load(Auditor(session, key=key, actor_id=None))
        by_email = {user.email.split("@")[0]: user for user in session.scalars(select(User))}

        def acting(who: str) -> Auditor:
            return Auditor(session, key=key, actor_id=by_email[who].id)

        organisation = session.scalars(select(Organisation)).one()
        mri = session.scalars(select(Department).where(Department.name == "MRI")).one()
        people.create_person(
            acting("admin"),
            organisation,
            people.PersonDetails(
                name="Dana Reid",
                email="dana@northfield.example",
                roles=frozenset({AccountRole.EDUCATOR}),
                employee_number="E1234",
                reach_department_ids=frozenset({mri.id}),
            ),
            password="a-long-enough-password",
        )

        store = AttachmentStore(attachment_dir)
        certificate = check_upload(
            image("PNG", (0, 94, 184)), "certificate.png", allowed={PNG}, max_bytes=TEN_MB
        )
        photo = check_upload(
            image("JPEG", (0, 150, 57)), "whiteboard.jpg", allowed={JPEG}, max_bytes=TEN_MB
        )
        for who, files in (("scsw", (certificate, photo)), ("ap", (certificate,))):
            worker = by_email[who]
            piece = session.scalars(
                select(Evidence).where(Evidence.worker_id == worker.id).order_by(Evidence.id)
            ).first()
            assert piece is not None
            if piece.latest.frozen:  # the AP's study day was considered by a decision
                continue
            for checked in files:
                evidence.add_attachment(acting(who), worker, piece, checked, store)

        save_draft(
            session,
            by_email["csw"].id,
            None,
            DraftFields(kind="reflective_account", title="Half-written reflection", body="Siân"),
            now=utcnow(),
        )
        save_email_choices(
            acting("educator"), by_email["educator"], [Topic.WEEKLY_SUMMARY], chosen=[]
        )
        competent = session.scalars(
            select(SignOffDecision)
            .where(SignOffDecision.outcome == Outcome.COMPETENT)
            .order_by(SignOffDecision.id)
        ).all()
        signoff.suspend(
            acting("educator"),
            by_email["educator"],
            competent[-1],
            starts_on=today(),
            reason="Pending an investigation",
            open_suspension=None,
            revoked=False,
            on=today(),
        )
        signoff.revoke(
            acting("educator"),
            by_email["educator"],
            competent[0],
            reason="Recorded against the wrong person",
            already=False,
            on=today(),
        )
        session.add(
            SignOffReminder(
                decision_id=competent[1].id, threshold=Threshold.DUE_60, sent_on=today()
            )
        )
        session.add(
            SignInAttempt(
                email="csw@northfield.example",
                address="192.0.2.1",
                attempted_at=utcnow(),
                succeeded=False,
            )
        )
        # An invitation waiting to be used and a staff file
        # uploaded for import and not yet confirmed.
        links.issue_link(
            acting("admin"),
            session.scalars(select(User).where(User.email == "dana@northfield.example")).one(),
            LinkPurpose.INVITATION,
            now=utcnow(),
            valid_for=dt.timedelta(days=14),
            requested_by_id=by_email["admin"].id,
        )
        store_upload(
            session,
            organisation_id=organisation.id,
            uploaded_by_id=by_email["admin"].id,
            filename="staff.csv",
            content=b"name,email\r\nAlex Moss,alex@northfield.example\r\n",
            now=utcnow(),
        )
        # Morgan's cannulation minimum overridden, and a bed number redacted from evidence.
        morgan = by_email["scsw"]
        # A personal access token for the API, used once.
        token, _ = create_token(
            acting("scsw"),
            morgan,
            name="Learning platform",
            scope=TokenScope.READ,
            expires_on=today() + dt.timedelta(days=90),
            today=today(),
            max_days=365,
            created_by=morgan,
        )
        token.last_used_at = utcnow()
        context = sign_off_context(session, morgan, "CANN", today(), due_window_days=60)
        assert context is not None
        overrides.override_minimum(
            acting("educator"),
            by_email["educator"],
            context,
            reason="Insertions observed on the ward before moving to imaging",
            on=today(),
        )
        piece = session.scalars(
            select(Evidence).where(Evidence.worker_id == morgan.id).order_by(Evidence.id)
        ).first()
        assert piece is not None
        evidence.save_evidence(
            acting("scsw"),
            morgan,
            evidence.EvidenceDetails(
                kind=piece.latest.kind,
                title=piece.latest.title,
                activity_on=piece.latest.activity_on,
                body=piece.latest.body + " Patient in bed fourteen.",
                competency_codes=frozenset(link.competency_code for link in piece.latest.links),
            ),
            scope_codes=[link.competency_code for link in piece.latest.links],
            today=today(),
            evidence=piece,
        )
        redaction.redact(
            acting("educator"),
            by_email["educator"],
            piece,
            redaction.evidence_places(session, piece),
            text="bed fourteen",
            reason="A bed number could identify the patient",
            on=today(),
        )
        printed = PortfolioExport(
            code="backup-test-export-code",
            worker_id=by_email["ap"].id,
            exported_by_id=by_email["educator"].id,
            exported_on=today(),
            worker_name="Chris Taylor",
            job_role="Assistant practitioner",
            sha256="0" * 64,
            pages=19,
            appendices=1,
            size=85_000,
            sign_offs=[ExportedSignOff(competency_code="CANN", title="Cannulation", position=0)],
        )
        session.add(printed)
        session.flush()
        now = utcnow()
        session.add(
            CohortExport(
                organisation_id=by_email["educator"].organisation_id,
                requested_by_id=by_email["educator"].id,
                requested_at=now,
                description="Assistant practitioners",
                job_role=JobRole.AP,
                verify_base="https://portfolio.example/",
                state=CohortState.READY,
                total=1,
                last_progress_at=now,
                finished_at=now,
                expires_at=now + dt.timedelta(hours=24),
                zip_size=85_500,
                portfolios=[
                    CohortPortfolio(
                        worker_id=by_email["ap"].id,
                        position=1,
                        worker_name="Chris Taylor",
                        job_role="Assistant practitioner",
                        department="General radiography",
                        state=PortfolioState.DONE,
                        filename="backup-test-export-code.pdf",
                        portfolio_export_id=printed.id,
                        finished_at=now,
                    )
                ],
            )
        )
        # A hit the rate limiter counted (a use of the public upload check).
        session.add(
            RateLimitHit(
                key="verify-check/192.0.2.2/20/15/minute",
                hit_at=utcnow(),
                expires_at=utcnow() + dt.timedelta(minutes=15),
            )
        )
        _practice_records(acting("educator"), by_email)
        _who_may_assess(acting("educator"), by_email)
        people.deactivate(acting("admin"), by_email["trainee"])
        _a_mover(session, key, store, by_email["ap"])
        # The links emailed to an assessor: one opening a waiting request on their own device,
        # one disputing a sign-off made at the point of care (`signoff.links`, `.disputes`).
        waiting = session.scalars(
            select(SignOffRequest).where(SignOffRequest.state == RequestState.WAITING)
        ).first()
        assert waiting is not None
        sign_off_links.issue(session, waiting, now=utcnow(), valid_for=dt.timedelta(days=3))
        signed = next(decision for decision in competent if decision.assessor_id is not None)
        disputes.issue(session, signed, days=7, now=utcnow())
        session.commit()


def _practice_records(auditor: Auditor, by_email: dict[str, User]) -> None:
    """Authorities, an entitlement reviewed and withdrawn, designations, a preceptorship ended
    early, and a site with its two-associate model record."""
    # Not the demo's own holders and records (Sam Okafor holds both authorities there, and
    # Chris Taylor an exposure entitlement and a preceptorship): others beside them.
    ap, granter, mr_lead = by_email["ap"], by_email["mammographer"], by_email["nurse"]
    appointment = ap.appointments[-1]
    ward = appointment.department
    start, now = today() - dt.timedelta(days=90), today()
    appoint_authority(auditor, ward, granter, Authority.ENTITLEMENT_GRANTER, starts_on=start)
    appoint_authority(auditor, ward, mr_lead, Authority.MR_RESPONSIBLE_PERSON, starts_on=start)
    chest = entitlements.grant_entitlement(
        auditor,
        ap,
        ward,
        kind=EntitlementKind.EQUIPMENT_QA,
        modality=Modality.GENERAL_RADIOGRAPHY,
        granted_by=granter,
        granted_on=start,
        review_on=now,
        today=now,
    )
    entitlements.review_entitlement(
        auditor,
        chest,
        reviewed_by=granter,
        reviewed_on=now,
        review_on=now + dt.timedelta(365),
        today=now,
    )
    entitlements.withdraw_entitlement(
        auditor, chest, withdrawn_by=granter, withdrawn_on=now, reason="Retraining", today=now
    )
    authorised = designations.designate(
        auditor,
        ap,
        ward,
        kind=DesignationKind.MR_AUTHORISED_PERSON,
        granted_by=mr_lead,
        granted_on=start,
        review_on=now + dt.timedelta(30),
        today=now,
    )
    designations.withdraw_designation(
        auditor, authorised, withdrawn_by=mr_lead, withdrawn_on=now, reason="Left MR", today=now
    )
    trainee = by_email["trainee"].appointments[-1]
    period = start_preceptorship(
        auditor,
        trainee,
        preceptor=granter,
        starts_on=max(start, trainee.effective_from),
        ends_on=now,
    )
    end_preceptorship(auditor, period, last_day=now - dt.timedelta(days=1), reason="Done")
    site = save_site(auditor, ap.organisation, code="BSU", name="Breast screening unit")
    record_two_ma_model(auditor, site, qualifies=True, from_on=start)
    set_appointment_site(auditor, appointment, site)


def _who_may_assess(auditor: Auditor, by_email: dict[str, User]) -> None:
    """Conditions of practice reviewed by the educator, and a list entry taken off again."""
    nurse, educator, now = by_email["nurse"], by_email["educator"], today()
    nurse.register_check_result = RegisterCheckResult.CONDITIONS_OF_PRACTICE
    reviews.record_review(
        auditor, nurse, reviewer=educator, reviewed_on=now, note="Prescribing only", today=now
    )
    entry = assessor_lists.approve(
        auditor,
        AssessorList.MR_SAFETY_TRAINER,
        by_email["mammographer"].id,
        approved_by=educator,
        approved_on=now,
        today=now,
    )
    assessor_lists.remove(auditor, entry, removed_by=educator, today=now)


def _a_mover(session: Session, key: bytes, store: AttachmentStore, mover: User) -> None:
    """The assistant practitioner's export brought into a second trust (an import record,
    and procedure lines whose witness is named as the export gave it)."""
    south = people.create_organisation(
        Auditor(session, key=key, actor_id=None), "Southfield NHS Trust", Nation.ENGLAND
    )
    admin, _ = people.create_person(
        Auditor(session, key=key, actor_id=None),
        south,
        people.PersonDetails(
            name="Sol Admin", email="admin@southfield.example", roles=frozenset({AccountRole.ADMIN})
        ),
        password="a-long-enough-password",
    )
    exported = export.write_export(session, mover, store, by_themselves=True, max_bytes=TEN_MB * 50)
    with exported.file:
        importing.import_portfolio(
            Auditor(session, key=key, actor_id=admin.id),
            exported.file,
            organisation=south,
            by=admin,
            email="chris.taylor@southfield.example",
            name=None,
            store=store,
            limits=settings.limits(),
            today=today(),
        )

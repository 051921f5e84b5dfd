"""The demo's practice records and the sign-offs that show each answer of the standing engine.

Made through the real services, dated back from today like the rest of the demo:

- Chris Taylor (assistant practitioner, general radiography) holds an IR(ME)R exposure
  entitlement for chest examinations only, in a preceptorship in the new post: chest imaging
  "may", capped at direct supervision while a preceptee; appendicular imaging, signed off too,
  "may not" without an entitlement for it.
- Sophie Turner (trainee assistant practitioner) is signed off in chest imaging but, as a
  trainee with no entitlement, is not an operator; her cannulation sign-off is in force but
  basic life support has lapsed: "Competent, prerequisite lapsed".
- Morgan Davies (senior clinical support worker, MRI) is signed off in MRI coil handling and
  screened for MR safety, but is not an MR Authorised Person: "may not".

Sam Okafor holds the entitlement granter and MR Responsible Person authorities.
"""

from __future__ import annotations

import datetime as dt

from portfolio.audit.services import Auditor
from portfolio.core.clock import today
from portfolio.core.settings import get_settings
from portfolio.frameworks.practice_terms import DesignationKind, EntitlementKind, Modality
from portfolio.people.models import Department, User
from portfolio.people.queries import appointment_on
from portfolio.practice import authorities, designations, entitlements, preceptorships
from portfolio.practice.models import Authority
from portfolio.signoff import queries as signoff_queries
from portfolio.signoff import services as signoff
from portfolio.standing.status import SupervisionLevel

PAPER = "Department paper competency record, seen by Priya Patel"
RESUSCITATION = "Trust resuscitation training record, seen by Priya Patel"


def load(auditor: Auditor, people: dict[str, User], departments: dict[str, Department]) -> None:
    now = today()
    general, mri = departments["General radiography"], departments["MRI"]
    sam = people["radiographer"]
    authorities.appoint_authority(
        auditor, general, sam, Authority.ENTITLEMENT_GRANTER, starts_on=now - _days(800)
    )
    authorities.appoint_authority(
        auditor, mri, sam, Authority.MR_RESPONSIBLE_PERSON, starts_on=now - _days(800)
    )
    _chris(auditor, people, general)
    _sophie(auditor, people)
    _morgan(auditor, people, mri)


def _chris(auditor: Auditor, people: dict[str, User], general: Department) -> None:
    now, chris, sam = today(), people["ap"], people["radiographer"]
    for code in ("AP-CHEST", "AP-APPEND"):
        _transcribe(auditor, people, "ap", code, 200, SupervisionLevel.INDIRECT, PAPER)
    entitlements.grant_entitlement(
        auditor,
        chris,
        general,
        kind=EntitlementKind.EXPOSURE,
        modality=Modality.GENERAL_RADIOGRAPHY,
        examinations=["chest"],
        granted_by=sam,
        granted_on=now - _days(190),
        review_on=now + _days(175),
        today=now,
    )
    appointment = appointment_on(auditor.session, chris.id, now)
    assert appointment is not None
    preceptorships.start_preceptorship(
        auditor,
        appointment,
        preceptor=sam,
        starts_on=max(appointment.effective_from, now - _days(90)),
        ends_on=now + _days(90),
    )


def _sophie(auditor: Auditor, people: dict[str, User]) -> None:
    _transcribe(auditor, people, "trainee", "AP-CHEST", 60, SupervisionLevel.DIRECT, PAPER)
    _transcribe(auditor, people, "trainee", "ANTT", 300, SupervisionLevel.INDIRECT, PAPER)
    _transcribe(auditor, people, "trainee", "CORE-BLS", 420, SupervisionLevel.REMOTE, RESUSCITATION)
    _transcribe(auditor, people, "trainee", "CANN", 250, SupervisionLevel.INDIRECT, PAPER)


def _morgan(auditor: Auditor, people: dict[str, User], mri: Department) -> None:
    now = today()
    _transcribe(auditor, people, "scsw", "MR-COILS", 120, SupervisionLevel.INDIRECT, PAPER)
    designations.designate(
        auditor,
        people["scsw"],
        mri,
        kind=DesignationKind.MR_SAFETY_SCREENING,
        granted_by=people["radiographer"],
        granted_on=now - _days(100),
        review_on=now + _days(265),
        today=now,
    )


def _transcribe(
    auditor: Auditor,
    people: dict[str, User],
    who: str,
    code: str,
    observed: int,
    supervision: SupervisionLevel,
    source: str,
) -> None:
    """A paper sign-off typed in by the educator ten days after it was observed."""
    session, typed = auditor.session, today() - _days(observed - 10)
    context = signoff_queries.sign_off_context(
        session,
        people[who],
        code,
        typed,
        due_window_days=get_settings().reassessment_due_days,
    )
    assert context is not None, f"{code} is not in the shipped frameworks"
    mandatory = {
        item.code
        for item in context.competency.definition.conditions
        if context.job_role in item.mandatory_for
    }
    educator = Auditor(session, key=auditor.key, actor_id=people["educator"].id)
    signoff.transcribe(
        educator,
        people["educator"],
        context,
        signoff.TranscribedDetails(
            observed_on=today() - _days(observed),
            supervision=supervision,
            condition_codes=frozenset(mandatory),
            assessor_name="Sam Okafor",
            assessor_profession="radiographer",
            source=source,
        ),
        on=typed,
    )


def _days(count: int) -> dt.timedelta:
    return dt.timedelta(days=count)

"""Each practice page's one use case, called with its form's answers: the form's values turned
into the services' arguments (`entitlements`, `designations`, `preceptorships`,
`authorities`, `sites`). Flush only: the request's unit of work commits."""

from __future__ import annotations

import datetime as dt

from portfolio.audit.services import Auditor
from portfolio.frameworks.practice_terms import DesignationKind, EntitlementKind, Modality
from portfolio.people.models import Department, Organisation, User
from portfolio.people.queries import appointment_on
from portfolio.practice import authorities, designations, entitlements, preceptorships, sites
from portfolio.practice.authorities import PracticeRecordError
from portfolio.practice.forms import (
    AuthorityForm,
    DesignationForm,
    EndAuthorityForm,
    EndPreceptorshipForm,
    EntitlementForm,
    PreceptorshipForm,
    ReviewForm,
    SiteForm,
    TwoMaForm,
    WithdrawForm,
    examination_names,
)
from portfolio.practice.models import (
    Authority,
    Designation,
    IrmerEntitlement,
    PracticeAuthority,
    Preceptorship,
    Site,
)
from portfolio.standing.status import SupervisionLevel


def _user(auditor: Auditor, value: str | None) -> User:
    return auditor.session.get_one(User, int(value or 0))


def _department(auditor: Auditor, department_id: int | None) -> Department:
    """The department whose procedures a grant is under: the person's current one."""
    if department_id is None:
        raise PracticeRecordError(
            "granted_by_id", "They have no department recorded: record their job role first"
        )
    return auditor.session.get_one(Department, department_id)


def grant_entitlement(
    auditor: Auditor, form: EntitlementForm, person: User, department_id: int | None, today: dt.date
) -> IrmerEntitlement:
    return entitlements.grant_entitlement(
        auditor,
        person,
        _department(auditor, department_id),
        kind=EntitlementKind(form.kind.data),
        modality=Modality(form.modality.data) if form.modality.data else None,
        examinations=examination_names(form.examinations.data),
        granted_by=_user(auditor, form.granted_by_id.data),
        granted_on=form.granted_on.data,
        review_on=form.review_on.data,
        today=today,
    )


def designate(
    auditor: Auditor, form: DesignationForm, person: User, department_id: int | None, today: dt.date
) -> Designation:
    return designations.designate(
        auditor,
        person,
        _department(auditor, department_id),
        kind=DesignationKind(form.kind.data),
        granted_by=_user(auditor, form.granted_by_id.data),
        granted_on=form.granted_on.data,
        review_on=form.review_on.data,
        today=today,
    )


def review(
    auditor: Auditor, form: ReviewForm, record: IrmerEntitlement | Designation, today: dt.date
) -> object:
    """Renew at review; an exposure's examinations are as the form now lists them."""
    reviewed_by = _user(auditor, form.reviewed_by_id.data)
    if isinstance(record, Designation):
        return designations.review_designation(
            auditor,
            record,
            reviewed_by=reviewed_by,
            reviewed_on=form.reviewed_on.data,
            review_on=form.review_on.data,
            today=today,
        )
    exposure = record.kind is EntitlementKind.EXPOSURE
    return entitlements.review_entitlement(
        auditor,
        record,
        reviewed_by=reviewed_by,
        reviewed_on=form.reviewed_on.data,
        review_on=form.review_on.data,
        examinations=examination_names(form.examinations.data) if exposure else None,
        today=today,
    )


def withdraw(
    auditor: Auditor, form: WithdrawForm, record: IrmerEntitlement | Designation, today: dt.date
) -> object:
    """From the date withdrawn, with why (kept on the record, never in the audit log)."""
    service = (
        designations.withdraw_designation
        if isinstance(record, Designation)
        else entitlements.withdraw_entitlement
    )
    return service(
        auditor,
        record,  # type: ignore[arg-type]  # the service for its kind
        withdrawn_by=_user(auditor, form.withdrawn_by_id.data),
        withdrawn_on=form.withdrawn_on.data,
        reason=form.reason.data or "",
        today=today,
        confirmed=form.confirmed.data or [],
    )


def start_preceptorship(auditor: Auditor, form: PreceptorshipForm, person: User) -> Preceptorship:
    """On the appointment the person holds on the period's first day."""
    appointment = appointment_on(auditor.session, person.id, form.starts_on.data)
    if appointment is None:
        raise PracticeRecordError("starts_on", "They have no job role recorded on that day")
    return preceptorships.start_preceptorship(
        auditor,
        appointment,
        preceptor=_user(auditor, form.preceptor_id.data),
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        ceiling=SupervisionLevel(form.ceiling.data),
    )


def end_preceptorship(auditor: Auditor, form: EndPreceptorshipForm, period: Preceptorship) -> None:
    preceptorships.end_preceptorship(
        auditor,
        period,
        last_day=form.ended_on.data,
        reason=form.reason.data or "",
        confirmed=form.confirmed.data or [],
    )


def appoint(auditor: Auditor, form: AuthorityForm, department: Department) -> PracticeAuthority:
    return authorities.appoint_authority(
        auditor,
        department,
        _user(auditor, form.user_id.data),
        Authority(form.authority.data),
        starts_on=form.starts_on.data,
    )


def end_authority(auditor: Auditor, form: EndAuthorityForm, record: PracticeAuthority) -> None:
    authorities.end_authority(auditor, record, last_day=form.ends_on.data)


def add_site(auditor: Auditor, form: SiteForm, organisation: Organisation) -> Site:
    return sites.save_site(
        auditor, organisation, code=form.code.data or "", name=form.name.data or ""
    )


def record_two_ma(auditor: Auditor, form: TwoMaForm, site: Site) -> object:
    return sites.record_two_ma_model(
        auditor, site, qualifies=form.qualifies.data == "yes", from_on=form.from_on.data
    )

"""Sites, whether each meets the two-mammography-associate model from a date (E12; NBIA: a
screening site hard-wired to the base site or with phone access to a qualified mammographer),
and the site an appointment works at. One audit entry each, flush only.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import select

from portfolio.audit.services import Auditor
from portfolio.core.identifiers import guard
from portfolio.people.models import Appointment, Organisation
from portfolio.practice.authorities import PracticeRecordError
from portfolio.practice.models import AppointmentSite, Site, SiteModelRecord

CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,39}$")


def save_site(
    auditor: Auditor, organisation: Organisation, *, code: str, name: str, site: Site | None = None
) -> Site:
    """Add a site (`site` None) or rename one; its code is fixed once made."""
    name = name.strip()
    if not name:
        raise PracticeRecordError("name", "Enter the site's name")
    guard({"name": name})
    if site is None:
        code = code.strip().upper()
        if not CODE.match(code):
            raise PracticeRecordError("code", "Use capital letters, digits and hyphens (MAIN-1)")
        taken = auditor.session.scalar(
            select(Site.id).where(Site.organisation_id == organisation.id, Site.code == code)
        )
        if taken is not None:
            raise PracticeRecordError("code", f"{code} is already a site")
        site = Site(organisation_id=organisation.id, code=code, name=name)
        auditor.session.add(site)
        action = "site.added"
    elif site.name != name:
        site.name = name
        action = "site.renamed"
    else:
        return site
    auditor.session.flush()
    auditor.record(
        action,
        subject_type="site",
        subject_id=site.id,
        organisation_id=organisation.id,
        changes={"code": site.code, "name": "(changed)"},
    )
    return site


def record_two_ma_model(
    auditor: Auditor, site: Site, *, qualifies: bool, from_on: dt.date
) -> SiteModelRecord:
    """Record, from a date, whether the site meets the two-associate model (until a later
    record: earlier answers as at a date keep what was recorded for them)."""
    record = SiteModelRecord(
        site_id=site.id, qualifies=qualifies, from_on=from_on, recorded_by_id=auditor.actor_id
    )
    auditor.session.add(record)
    auditor.session.flush()
    auditor.record(
        "site.two_ma_model_recorded",
        subject_type="site",
        subject_id=site.id,
        organisation_id=site.organisation_id,
        changes={"qualifies": qualifies, "from_on": from_on.isoformat()},
    )
    return record


def set_appointment_site(auditor: Auditor, appointment: Appointment, site: Site) -> None:
    """The site an appointment works at (replacing the one recorded, with an audit entry)."""
    worker = appointment.user
    if site.organisation_id != worker.organisation_id:
        raise PracticeRecordError("site_id", f"{site.name} is not one of this organisation's")
    current = auditor.session.get(AppointmentSite, appointment.id)
    before = current.site_id if current else None
    if before == site.id:
        return
    if current is None:
        auditor.session.add(
            AppointmentSite(
                appointment_id=appointment.id, site_id=site.id, recorded_by_id=auditor.actor_id
            )
        )
    else:
        current.site_id = site.id
        current.recorded_by_id = auditor.actor_id
    auditor.session.flush()
    auditor.record(
        "appointment.site_set",
        subject_type="user",
        subject_id=worker.id,
        organisation_id=worker.organisation_id,
        changes={"appointment_id": appointment.id, "site_id": [before, site.id]},
    )

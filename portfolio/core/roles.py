"""The words for who people are: account roles, job roles, AfC bands, nations, professions.

"Role" alone is ambiguous here: an *account role* is what someone may do in this product
(support worker, supervisor, educator, admin); a *job role* is the post a support worker
holds (CSW, SCSW, MA, AP).
"""

from __future__ import annotations

import enum


class AccountRole(enum.StrEnum):
    SUPPORT_WORKER = "support_worker"
    SUPERVISOR = "supervisor"
    EDUCATOR = "educator"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {
            "support_worker": "Support worker",
            "supervisor": "Supervisor or assessor",
            "educator": "Practice educator or manager",
            "admin": "Administrator",
        }[self.value]


class JobRole(enum.StrEnum):
    CSW = "csw"
    SCSW = "scsw"
    MA = "ma"
    AP = "ap"

    @property
    def label(self) -> str:
        return JOB_ROLE_LABELS[self]


JOB_ROLE_LABELS = {
    JobRole.CSW: "Clinical support worker",
    JobRole.SCSW: "Senior clinical support worker",
    JobRole.MA: "Mammography associate",
    JobRole.AP: "Assistant practitioner",
}


def job_role_title(job_role: JobRole, trainee: bool) -> str:
    """How a job role reads on a page: 'Trainee assistant practitioner'."""
    label = job_role.label
    return f"Trainee {label[0].lower()}{label[1:]}" if trainee else label


# Agenda for Change pay bands.
AFC_BANDS = ("1", "2", "3", "4", "5", "6", "7", "8a", "8b", "8c", "8d", "9")


class Nation(enum.StrEnum):
    ENGLAND = "england"
    SCOTLAND = "scotland"
    WALES = "wales"
    NORTHERN_IRELAND = "northern_ireland"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").title()


# Professions of the people who supervise and assess support workers (DOMAIN.md, "People").
PROFESSIONS: dict[str, str] = {
    "radiographer": "Radiographer",
    "sonographer": "Sonographer",
    "nuclear_medicine_technologist": "Nuclear medicine technologist",
    "nurse": "Nurse",
    "midwife": "Midwife",
    "nursing_associate": "Nursing associate",
    "operating_department_practitioner": "Operating department practitioner",
    "paramedic": "Paramedic",
    "resuscitation_officer": "Resuscitation officer",
    "clinical_scientist": "Clinical scientist",
    "assistant_practitioner": "Assistant practitioner",
    "support_worker": "Support worker",
    "other": "Other",
}

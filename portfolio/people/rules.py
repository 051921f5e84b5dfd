"""The rules a person's details, job role and supervisor must meet (pure).

Shared by the forms and services that change one person and by the bulk import of a staff
record extract (`portfolio.onboarding`), so a value refused on one page is refused the same
way, in the same words, everywhere. Each returns the message to show, or None.
"""

from __future__ import annotations

import datetime as dt

from email_validator import EmailNotValidError, validate_email

from portfolio.core.roles import AFC_BANDS, JOB_ROLE_LABELS, AccountRole, JobRole

NAME_MAX = 200
EMAIL_MAX = 254
EMPLOYEE_NUMBER_MAX = 40

EMAIL_FORMAT = "Enter an email address in the correct format, like name@nhs.net"
EMAIL_TAKEN = "Someone already has this email address"
SELF_SUPERVISION = "A support worker cannot supervise themselves"


def name_problem(name: str) -> str | None:
    if not name.strip():
        return "Enter the person's full name"
    if len(name.strip()) > NAME_MAX:
        return f"The name must be {NAME_MAX} characters or fewer"
    return None


def email_problem(email: str) -> str | None:
    """The same check as the person form (email-validator's syntax rules, no DNS lookup)."""
    if not email.strip():
        return "Enter an email address"
    if len(email.strip()) > EMAIL_MAX:
        return f"The email address must be {EMAIL_MAX} characters or fewer"
    try:
        validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError:
        return EMAIL_FORMAT
    return None


def employee_number_problem(number: str) -> str | None:
    if len(number.strip()) > EMPLOYEE_NUMBER_MAX:
        return f"The employee number must be {EMPLOYEE_NUMBER_MAX} characters or fewer"
    return None


def band_problem(band: str) -> str | None:
    # Any band is accepted for any job role: the framework's "typically Band 2" for a CSW is
    # a description, not a rule, and trusts band the same job differently.
    if band not in AFC_BANDS:
        return "Enter an Agenda for Change band: 1 to 7, 8a to 8d, or 9"
    return None


def post_problem(
    *,
    post_name: str,
    post_department_id: int,
    post_job_role: JobRole,
    department_id: int,
    job_role: JobRole,
) -> str | None:
    """A post belongs to one department and is for one job role."""
    if post_department_id != department_id:
        return "Choose a post in the chosen department, or no post"
    if post_job_role is not job_role:
        return f"{post_name} is a post for a {post_job_role.label.lower()}"
    return None


def started_in_post_problem(started_in_post_on: dt.date, effective_from: dt.date) -> str | None:
    if started_in_post_on > effective_from:
        return "The start date in post must be on or before the change"
    return None


def supervisor_problem(
    *,
    worker_id: int | None,
    supervisor_id: int,
    same_organisation: bool,
    supervisor_roles: frozenset[AccountRole],
    supervisor_active: bool = True,
) -> str | None:
    if supervisor_id == worker_id:
        return SELF_SUPERVISION
    if not (same_organisation and supervisor_active and AccountRole.SUPERVISOR in supervisor_roles):
        return "Choose a supervisor in your organisation"
    return None


# Job roles as a staff record may spell them: the code, the label, or "Trainee" and the label.
_JOB_ROLE_WORDS: dict[str, JobRole] = {
    **{role.value: role for role in JobRole},
    **{label.lower(): role for role, label in JOB_ROLE_LABELS.items()},
    "clinical support worker (csw)": JobRole.CSW,
    "senior clinical support worker (scsw)": JobRole.SCSW,
    "senior csw": JobRole.SCSW,
    "mammography associate (ma)": JobRole.MA,
    "assistant practitioner (ap)": JobRole.AP,
}


def job_role_from_text(text: str) -> tuple[JobRole, bool] | None:
    """("Trainee assistant practitioner") -> (AP, trainee). None when it is not a job role."""
    words = " ".join(text.lower().split())
    trainee = words.startswith("trainee ")
    if trainee:
        words = words.removeprefix("trainee ")
    role = _JOB_ROLE_WORDS.get(words)
    return (role, trainee) if role is not None else None


def job_role_problem(text: str) -> str | None:
    if not text.strip():
        return "Enter the job role"
    if job_role_from_text(text) is None:
        names = ", ".join(label.lower() for label in JOB_ROLE_LABELS.values())
        return f"Enter a job role: {names}, each with Trainee before it if in training"
    return None


def band_from_text(text: str) -> str:
    """'Band 8A' -> '8a'; whatever else was typed, tidied, for `band_problem` to judge."""
    words = " ".join(text.lower().split())
    return words.removeprefix("afc ").removeprefix("band ").strip()


# Why someone's account is deactivated: recorded (as the key) in the audit trail with the
# last working day. Long absence or an investigation is a suspension of sign-offs, not this.
LEAVING_REASONS = {
    "left_the_trust": "Left the trust",
    "moved_trust": "Moved to another NHS trust or employer",
    "retired": "Retired",
    "contract_ended": "End of a fixed-term contract, placement or secondment",
    "duplicate_account": "A duplicate or mistaken account",
    "other": "Another reason",
}


def last_day_problem(last_day: dt.date | None, today: dt.date) -> str | None:
    """The last working day of someone deactivated: given, and not after today (an account
    is deactivated now, never ahead of time)."""
    if last_day is None:
        return "Enter their last working day"
    if last_day > today:
        return "Their last working day must be today or earlier: deactivate them on that day"
    return None

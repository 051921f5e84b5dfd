"""Forms for adding and editing people, their job roles and supervisors."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from portfolio.core.clock import today
from portfolio.core.forms import optional_int, options
from portfolio.core.roles import AFC_BANDS, PROFESSIONS, AccountRole, JobRole, Nation
from portfolio.people.registers import Radiography, RegisterCheckResult, RegisterType
from portfolio.people.rules import (
    EMAIL_MAX,
    LEAVING_REASONS,
    NAME_MAX,
    email_problem,
    last_day_problem,
)


def email_format(form: FlaskForm, field: StringField) -> None:
    """The shared rule (`people.rules.email_problem`), so the import refuses the same."""
    problem = email_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


class PersonForm(FlaskForm):
    name = StringField(
        "Full name",
        validators=[DataRequired("Enter the person's full name"), Length(max=NAME_MAX)],
    )
    email = StringField(
        "Email address",
        description="Used to sign in",
        validators=[
            DataRequired("Enter an email address"),
            email_format,
            Length(max=EMAIL_MAX),
        ],
    )
    employee_number = StringField(
        "Employee number (optional)",
        description="As on the staff record (ESR)",
        validators=[Optional(), Length(max=40)],
    )
    roles = SelectMultipleField(
        "Account roles",
        description="What this person may do in the portfolio. Select all that apply.",
        choices=options([(role.value, role.label) for role in AccountRole]),
        validators=[DataRequired("Select at least one account role")],
    )
    profession = SelectField(
        "Profession (supervisors and assessors)",
        choices=options([("", "Not applicable"), *PROFESSIONS.items()]),
        validators=[Optional()],
    )
    register = RadioField(
        "Professional register",
        choices=options([(item.value, item.label) for item in RegisterType]),
        default=RegisterType.NONE.value,
        validators=[InputRequired("Select a professional register, or not registered")],
    )
    register_number = StringField(
        "Registration number",
        description=(
            "HCPC: profession code and up to 6 digits, like RA123456. NMC PIN: like 12A3456E. "
            "GMC: 7 digits. RCT: as on the register's certificate."
        ),
        validators=[Optional(), Length(max=16)],
    )
    radiography = RadioField(
        "HCPC radiographers: part of the register",
        description="The HCPC register shows diagnostic or therapeutic",
        choices=options(
            [("", "Not applicable"), *((item.value, item.label) for item in Radiography)]
        ),
        default="",
        validators=[Optional()],
    )
    register_checked_on = DateField(
        "Date the public register was last checked",
        description="A valid-looking number is not proof of registration",
        validators=[Optional()],
    )
    register_check_result = SelectField(
        "What the register said",
        choices=options(
            [("", "Not checked"), *((item.value, item.label) for item in RegisterCheckResult)]
        ),
        validators=[Optional()],
    )
    reach_whole_organisation = BooleanField("Educator: sees the whole organisation")
    reach_department_ids = SelectMultipleField(
        "Educator: departments within reach",
        coerce=int,
        validators=[Optional()],
    )


class AppointmentForm(FlaskForm):
    job_role = SelectField(
        "Job role",
        choices=options(
            [("", "Choose a job role"), *((item.value, item.label) for item in JobRole)]
        ),
        validators=[DataRequired("Choose a job role")],
    )
    trainee = BooleanField("In training towards this job role (for example an apprentice)")
    afc_band = SelectField(
        "Agenda for Change band",
        choices=options([("", "Choose a band"), *((band, f"Band {band}") for band in AFC_BANDS)]),
        validators=[DataRequired("Choose an Agenda for Change band")],
    )
    department_id = SelectField(
        "Department",
        coerce=optional_int,
        validators=[DataRequired("Choose a department")],
    )
    post_id = SelectField(
        "Post (optional)",
        description="The department's post decides which optional competencies are core",
        coerce=optional_int,
        validators=[Optional()],
    )
    started_in_post_on = DateField(
        "Date started in this post",
        validators=[DataRequired("Enter the date they started in this post")],
    )
    effective_from = DateField(
        "Date this takes effect",
        description="Job role, band or department from this date; earlier history is kept",
        validators=[DataRequired("Enter the date this takes effect")],
    )


class SupervisorForm(FlaskForm):
    supervisor_id = SelectField(
        "Supervisor", coerce=optional_int, validators=[DataRequired("Choose a supervisor")]
    )
    starts_on = DateField("Supervising from", validators=[DataRequired("Enter the start date")])


class EndSupervisionForm(FlaskForm):
    ends_on = DateField("Last day of supervision", validators=[DataRequired("Enter the end date")])


class DeactivateForm(FlaskForm):
    last_day = DateField(
        "Their last working day",
        description="Today or earlier. They cannot sign in from the moment you confirm.",
        validators=[DataRequired("Enter their last working day")],
    )
    reason = RadioField(
        "Why is the account being deactivated?",
        choices=options(LEAVING_REASONS.items()),
        validators=[InputRequired("Select why the account is being deactivated")],
    )

    def validate_last_day(self, field: DateField) -> None:
        problem = last_day_problem(field.data, today())
        if problem:
            raise ValidationError(problem)


class OrganisationForm(FlaskForm):
    name = StringField(
        "Organisation name",
        validators=[DataRequired("Enter the organisation's name"), Length(max=200)],
    )
    nation = RadioField(
        "Nation",
        description="Which nation's rules apply (the Care Certificate is England only)",
        choices=options([(item.value, item.label) for item in Nation]),
        validators=[InputRequired("Select the nation")],
    )


class DepartmentForm(FlaskForm):
    name = StringField(
        "Department name",
        validators=[DataRequired("Enter the department's name"), Length(max=200)],
    )

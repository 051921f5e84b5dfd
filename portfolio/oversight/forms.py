"""Filters for the educator's matrix and lists (GET forms: no CSRF token), and the same
filters posted with a CSRF token to download a CSV file (an export is recorded)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField
from wtforms.validators import NumberRange, Optional, ValidationError

from portfolio.core.forms import options
from portfolio.core.roles import JobRole
from portfolio.oversight.matrix import DOMAIN_PREFIX, FilterOptions, Filters, Learners, Sort
from portfolio.standing.status import Status

DEFAULT_DAYS = 60
MAX_DAYS = 730


class ChoiceField(SelectField):
    """A select whose wrong value (an edited address) gets a message in the users' words."""

    def __init__(self, *args: Any, invalid: str, **kwargs: Any) -> None:
        super().__init__(*args, validators=[Optional()], **kwargs)
        self.invalid = invalid

    def pre_validate(self, form: Any) -> None:
        if self.data and self.data not in {choice[0] for choice in self.iter_choices()}:
            raise ValidationError(self.invalid)


class WorkerFilters(FlaskForm):
    """Which support workers: by department, post and job role, offered within reach."""

    department = ChoiceField("Department", invalid="Choose a department from the list")
    post = ChoiceField("Post", invalid="Choose a post from the list")
    job_role = ChoiceField(
        "Job role",
        invalid="Choose a job role from the list",
        choices=options([("", "All job roles"), *((role.value, role.label) for role in JobRole)]),
    )

    def __init__(self, *args: Any, choices: FilterOptions, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.department.choices = options(
            [("", "All departments"), *((str(key), name) for key, name in choices.departments)]
        )
        self.post.choices = options(
            [("", "All posts"), *((str(key), name) for key, name in choices.posts)]
        )

    def filters(self) -> Filters:
        """The filters asked for; any that did not validate are left out."""
        return Filters(
            department_id=_number(self.department),
            post_id=_number(self.post),
            job_role=JobRole(self.job_role.data) if _valid(self.job_role) else None,
        )


class _Filters(WorkerFilters):
    on = DateField("Status on", validators=[Optional()])

    def validate(self, extra_validators: Any = None) -> bool:
        valid: bool = super().validate(extra_validators)
        if self.on.errors:
            self.on.errors = ["Enter a real date, or leave it empty for today"]
        return valid

    def as_at(self, today: dt.date) -> dt.date:
        return self.on.data if self.on.data and not self.on.errors else today

    def arguments(self) -> dict[str, str]:
        """The valid filters as query arguments (for page links and the CSV form)."""
        return {
            field.name: field.data.isoformat()
            if isinstance(field.data, dt.date)
            else str(field.data)
            for field in self
            if field.name != "csrf_token" and field.data not in (None, "") and not field.errors
        }


def _valid(field: Any) -> bool:
    return bool(field.data) and not field.errors


def _number(field: Any) -> int | None:
    return int(field.data) if _valid(field) else None


class ListFilterForm(_Filters):
    class Meta:
        csrf = False


class RenewalFilterForm(ListFilterForm):
    days = IntegerField(
        "Within this many days",
        description=f"Due in the next, or expired in the last, this many days (up to {MAX_DAYS})",
        validators=[
            Optional(),
            NumberRange(0, MAX_DAYS, f"Enter a number of days from 0 to {MAX_DAYS}"),
        ],
    )

    def window(self) -> int:
        return (
            self.days.data if self.days.data is not None and not self.days.errors else DEFAULT_DAYS
        )


class MatrixFilterForm(ListFilterForm):
    status = ChoiceField(
        "Status",
        description="Workers with at least one competency in this status",
        invalid="Choose a status from the list",
        choices=options([("", "Any status"), *((item.value, item.label) for item in Status)]),
    )
    learners = ChoiceField(
        "Trainees and apprentices",
        invalid="Choose trainees, apprentices or everyone from the list",
        choices=options([("", "Everyone"), *((item.value, item.label) for item in Learners)]),
    )
    competencies = ChoiceField("Competencies", invalid="Choose competencies from the list")
    sort = ChoiceField(
        "Sort by",
        invalid="Choose an order from the list",
        choices=options((item.value, item.label) for item in Sort),
    )

    def __init__(self, *args: Any, choices: FilterOptions, **kwargs: Any) -> None:
        super().__init__(*args, choices=choices, **kwargs)
        domains = dict.fromkeys(item.domain for item in choices.competencies)
        self.competencies.choices = options(
            [
                ("", "All in anyone's scope"),
                *((DOMAIN_PREFIX + domain, f"Domain: {domain}") for domain in domains),
                *((item.code, f"{item.code}: {item.title}") for item in choices.competencies),
            ]
        )

    def filters(self) -> Filters:
        base = super().filters()
        return Filters(
            department_id=base.department_id,
            post_id=base.post_id,
            job_role=base.job_role,
            status=Status(self.status.data) if _valid(self.status) else None,
            competencies=self.competencies.data if _valid(self.competencies) else "",
            sort=Sort(self.sort.data) if _valid(self.sort) else Sort.NAME,
            learners=Learners(self.learners.data) if _valid(self.learners) else None,
        )


class MatrixExportForm(MatrixFilterForm):
    """The matrix's filters, posted to download the CSV file."""

    class Meta:
        csrf = True


class ListExportForm(ListFilterForm):
    class Meta:
        csrf = True


class RenewalExportForm(RenewalFilterForm):
    class Meta:
        csrf = True

"""The forms of the assessor-list and conditions-review pages. Every mistake in a form is
found at once, so the page shows them all together."""

from __future__ import annotations

import datetime as dt

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from portfolio.core.clock import today
from portfolio.core.forms import ConfirmsNumbers, optional_int, options
from portfolio.people.reviews import BEFORE_CHECK, LONG_NOTE, NO_DATE, NO_NOTE, NOTE_LENGTH


def _not_after_today(form: FlaskForm, field: DateField) -> None:
    if field.data and field.data > today():
        raise ValidationError("The date must be today or in the past")


class ApprovalForm(FlaskForm):
    person_id = SelectField(
        "Member of staff",
        description="Supervisors, assessors and practice educators in your organisation",
        coerce=optional_int,
        validators=[DataRequired("Choose who to add to the list")],
    )
    approved_on = DateField(
        "Date approved",
        validators=[DataRequired("Enter the date they were approved"), _not_after_today],
    )

    def set_people(self, people: list[tuple[int, str]]) -> None:
        self.person_id.choices = options([("", "Choose a member of staff"), *people])


class ReviewForm(ConfirmsNumbers, FlaskForm):
    reviewed_on = DateField(
        "Date you reviewed the conditions",
        validators=[DataRequired(NO_DATE), _not_after_today],
    )
    note = TextAreaField(
        "What the conditions allow them to do",
        description=(
            "For example: the conditions restrict prescribing only, so they may assess and "
            "supervise as before"
        ),
        validators=[DataRequired(NO_NOTE), Length(max=NOTE_LENGTH, message=LONG_NOTE)],
    )
    # The register check whose conditions are reviewed (set by the page).
    checked_on: dt.date | None = None

    def validate_reviewed_on(self, field: DateField) -> None:
        if field.data and self.checked_on and field.data < self.checked_on:
            raise ValidationError(BEFORE_CHECK)

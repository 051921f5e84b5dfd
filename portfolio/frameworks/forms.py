"""Forms for posts and local policies."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from portfolio.core.forms import ConfirmsNumbers, optional_int, options
from portfolio.core.roles import JobRole


class JobRoleChoiceForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that only chooses what the next page shows

    job_role = RadioField(
        "Which job role is the post for?",
        choices=options((item.value, item.label) for item in JobRole),
        validators=[DataRequired("Select a job role")],
    )


class PostForm(ConfirmsNumbers, FlaskForm):
    name = StringField(
        "Post name",
        description='As the department calls it, for example "MRI senior CSW"',
        validators=[DataRequired("Enter the post's name"), Length(max=200)],
    )
    department_id = SelectField(
        "Department", coerce=optional_int, validators=[DataRequired("Choose a department")]
    )
    core_codes = SelectMultipleField(
        "Optional competencies that are core in this post",
        description="Everything core in the job role's scope is core in every post.",
        validators=[Optional()],
    )


class PolicyForm(ConfirmsNumbers, FlaskForm):
    title = StringField(
        "Policy name and version",
        description='As your trust names it, for example "Cannulation policy v4"',
        validators=[DataRequired("Enter the policy's name"), Length(max=200)],
    )
    effective_from = DateField(
        "Takes effect from",
        description="Sign-offs made from this date follow this version; earlier ones keep theirs",
        validators=[DataRequired("Enter the date the policy takes effect")],
    )
    supervised_procedures = IntegerField(
        "Supervised procedures needed (optional)",
        description="Each confirmed by its witness. Leave blank to keep the framework's default.",
        validators=[Optional(), NumberRange(0, 1000, "Enter a number from 0 to 1000")],
    )
    reassessment_months = IntegerField(
        "Reassess every (months, optional)",
        description="Leave blank to keep the framework's default.",
        validators=[Optional(), NumberRange(1, 240, "Enter a number of months from 1 to 240")],
    )
    countersignature = RadioField(
        "Practice educator countersignature",
        choices=options(
            [
                ("default", "As the framework says"),
                ("required", "Required"),
                ("not_required", "Not required"),
            ]
        ),
        default="default",
        validators=[DataRequired("Select whether a countersignature is required")],
    )
    notes = TextAreaField(
        "Notes (optional)",
        description="What changed and why, or where the policy document lives",
        validators=[Optional(), Length(max=2000)],
    )

"""The practice records pages' forms. Checks that need two fields (a review date after the
grant) are made here too, so a form shows all its mistakes at once; the services check
everything again."""

from __future__ import annotations

import datetime as dt

from flask_wtf import FlaskForm
from wtforms import DateField, Field, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from portfolio.core.forms import ConfirmsNumbers, options
from portfolio.frameworks.practice_terms import DesignationKind, EntitlementKind, Modality
from portfolio.practice.models import Authority
from portfolio.standing.status import SupervisionLevel

_EXAMINATIONS_HINT = (
    "For an exposure only: the examinations it covers, as the employer's procedures name "
    "them, separated by commas (for example: chest, appendicular-skeleton)"
)


def _after(earlier: Field, later: Field, message: str) -> None:
    if earlier.data is not None and later.data is not None and later.data <= earlier.data:
        raise ValidationError(message)


def sentence(label: str) -> str:
    """A label at the start of a sentence: its first letter a capital, the rest as written."""
    return label[:1].upper() + label[1:]


def examination_names(text: str | None) -> list[str]:
    return [name.strip() for name in (text or "").split(",") if name.strip()]


class RecordsOnForm(FlaskForm):
    """The date the records are shown as at (a GET form: no CSRF token needed)."""

    class Meta:
        csrf = False

    on = DateField("Records as at", validators=[Optional()])


class GrantForm(FlaskForm):
    """What every grant asks: who granted it, when, and when it is next reviewed."""

    granted_by_id = SelectField("Granted by", validators=[DataRequired("Choose who granted it")])
    granted_on = DateField("Date granted", validators=[InputRequired("Enter the date granted")])
    review_on = DateField(
        "Review date",
        description="Its last day without a review. How long a grant lasts is set by your trust.",
        validators=[InputRequired("Enter the review date")],
    )

    def validate_review_on(self, field: Field) -> None:
        _after(self.granted_on, field, "The review date must be after the date granted")


class EntitlementForm(GrantForm):
    kind = RadioField(
        "Task",
        choices=options((item.value, sentence(item.label)) for item in EntitlementKind),
        validators=[InputRequired("Choose the task")],
    )
    modality = SelectField(
        "Modality",
        choices=options(
            [("", "Any modality"), *((item.value, sentence(item.label)) for item in Modality)]
        ),
    )
    examinations = StringField(
        "Named examinations", description=_EXAMINATIONS_HINT, validators=[Length(max=1000)]
    )

    def validate_modality(self, field: Field) -> None:
        if self.kind.data == EntitlementKind.EXPOSURE.value and not field.data:
            raise ValidationError("Choose the modality of the exposures")

    def validate_examinations(self, field: Field) -> None:
        exposure = self.kind.data == EntitlementKind.EXPOSURE.value
        if exposure and not examination_names(field.data):
            raise ValidationError("Name the examinations it covers")
        if not exposure and examination_names(field.data):
            raise ValidationError("Only an exposure names examinations: leave this empty")


class DesignationForm(GrantForm):
    kind = RadioField(
        "Designation",
        choices=options((item.value, sentence(item.label)) for item in DesignationKind),
        validators=[InputRequired("Choose the designation")],
    )


class ReviewForm(FlaskForm):
    reviewed_by_id = SelectField("Reviewed by", validators=[DataRequired("Choose who reviewed it")])
    reviewed_on = DateField("Date reviewed", validators=[InputRequired("Enter the date reviewed")])
    review_on = DateField(
        "Next review date",
        description="Its last day without another review (set by your trust's procedures).",
        validators=[InputRequired("Enter the next review date")],
    )
    examinations = StringField(
        "Named examinations", description=_EXAMINATIONS_HINT, validators=[Length(max=1000)]
    )

    def validate_review_on(self, field: Field) -> None:
        _after(self.reviewed_on, field, "The next review date must be after the date reviewed")


class WithdrawForm(ConfirmsNumbers, FlaskForm):
    withdrawn_by_id = SelectField(
        "Withdrawn by", validators=[DataRequired("Choose who withdrew it")]
    )
    withdrawn_on = DateField(
        "Date withdrawn",
        description="The first day they are no longer entitled",
        validators=[InputRequired("Enter the date withdrawn")],
    )
    reason = TextAreaField(
        "Why it is withdrawn",
        description="Kept on the record and shown in its history. Do not name patients.",
        validators=[DataRequired("Say why it is withdrawn"), Length(max=2000)],
    )


class PreceptorshipForm(FlaskForm):
    preceptor_id = SelectField("Preceptor", validators=[DataRequired("Choose the preceptor")])
    starts_on = DateField("First day", validators=[InputRequired("Enter the first day")])
    ends_on = DateField("Planned last day", validators=[InputRequired("Enter the last day")])
    ceiling = RadioField(
        "The most autonomy it allows",
        description="Direct supervision unless your trust sets otherwise.",
        choices=options((item.value, item.label) for item in SupervisionLevel),
        default=SupervisionLevel.DIRECT.value,
        validators=[InputRequired("Choose the most autonomy it allows")],
    )

    def validate_ends_on(self, field: Field) -> None:
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError("The last day cannot be before the first day")


class EndPreceptorshipForm(ConfirmsNumbers, FlaskForm):
    ended_on = DateField("Last day", validators=[InputRequired("Enter its last day")])
    reason = TextAreaField(
        "Why it ends early",
        description="Do not name patients.",
        validators=[DataRequired("Say why it ends early"), Length(max=2000)],
    )


class AuthorityForm(FlaskForm):
    user_id = SelectField("Person", validators=[DataRequired("Choose the person")])
    authority = RadioField(
        "Authority",
        choices=options((item.value, item.label) for item in Authority),
        validators=[InputRequired("Choose the authority")],
    )
    starts_on = DateField("From", validators=[InputRequired("Enter the date it starts")])


class EndAuthorityForm(FlaskForm):
    ends_on = DateField("Last day", validators=[InputRequired("Enter its last day")])


class SiteForm(FlaskForm):
    code = StringField(
        "Site code",
        description="Capital letters, digits and hyphens, for example MAIN-1. It cannot change.",
        validators=[DataRequired("Enter the site's code"), Length(max=40)],
    )
    name = StringField(
        "Site name", validators=[DataRequired("Enter the site's name"), Length(max=200)]
    )


class TwoMaForm(FlaskForm):
    qualifies = RadioField(
        "Does the site meet the two-mammography-associate model?",
        description="Hard-wired to the base site, or with phone access to a qualified "
        "mammographer, as your screening service's procedures set out.",
        choices=options([("yes", "Yes"), ("no", "No")]),
        validators=[InputRequired("Say whether the site meets the model")],
    )
    from_on = DateField("From", validators=[InputRequired("Enter the date it applies from")])


def default_dates(form: FlaskForm, today: dt.date, *names: str) -> None:
    """A new form's date fields start at today."""
    for name in names:
        getattr(form, name).data = today

"""Evidence and procedure log forms."""

from __future__ import annotations

import secrets

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length

from portfolio.core.forms import ConfirmsNumbers, optional_int, options
from portfolio.evidence.models import EvidenceKind, ProcedureOutcome


class EvidenceForm(ConfirmsNumbers, FlaskForm):
    kind = RadioField(
        "Type of evidence",
        choices=options((item.value, item.label) for item in EvidenceKind),
        validators=[InputRequired("Select the type of evidence")],
    )
    title = StringField("Title", validators=[DataRequired("Enter a title"), Length(max=200)])
    activity_on = DateField(
        "Date of the activity", validators=[DataRequired("Enter the date of the activity")]
    )
    body = TextAreaField(
        "What happened, and what you learned",
        description=(
            "Never include patient details. A blank line starts a new paragraph; start a line "
            "with - for a bullet; **bold** and _italic_ work."
        ),
        validators=[DataRequired("Enter the text of your evidence"), Length(max=20000)],
    )
    competency_codes = SelectMultipleField(
        "Competencies this shows",
        description="From your scope of practice. Select all that apply.",
        validators=[DataRequired("Select at least one competency it shows")],
    )
    # Its hint (the types and the largest file) comes from the settings: views.upload_limit.
    file = FileField("Attach a file (optional)")


class AttachmentForm(ConfirmsNumbers, FlaskForm):
    file = FileField("Attach a file")  # its hint from the settings, as the evidence form's


class ProcedureForm(ConfirmsNumbers, FlaskForm):
    competency_code = SelectField("Competency", validators=[DataRequired("Choose the competency")])
    performed_on = DateField("Date", validators=[DataRequired("Enter the date of the procedure")])
    setting = StringField(
        "Setting",
        description="Where, not who: for example CT, outpatients. Never patient details.",
        validators=[DataRequired("Enter the setting"), Length(max=200)],
    )
    outcome = RadioField(
        "Outcome",
        choices=options((item.value, item.label) for item in ProcedureOutcome),
        validators=[InputRequired("Select the outcome")],
    )
    witness_id = SelectField(
        "Who watched",
        coerce=optional_int,
        validators=[DataRequired("Choose the supervisor or assessor who watched")],
    )


class WitnessConfirmForm(FlaskForm):
    """Filled in by the witness on the worker's device, with their own credentials. The email
    and password are checked by the page (`evidence.witnessing`), with every other mistake, so
    that a witness whose identity is already confirmed for this form need not type them again.
    """

    line_ids = SelectMultipleField(
        "Procedures you watched",
        coerce=int,
        validators=[DataRequired("Select the procedures you watched")],
    )
    email = StringField("Your email address", validators=[Length(max=254)])
    password = PasswordField("Your password", validators=[Length(max=256)])
    # One form, one key: the witness's confirmed identity is kept for this form only.
    submission = HiddenField(default=lambda: secrets.token_urlsafe(24))

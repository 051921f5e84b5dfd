"""The redaction form: the text to remove and the reason. The text is never guarded for
patient identifiers (it is one) and never stored; the reason is guarded like any free text."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from portfolio.core.forms import ConfirmsNumbers


class RedactForm(ConfirmsNumbers, FlaskForm):
    text = StringField(
        "Text to remove",
        description="Copy it exactly as it appears. Every place it appears in this record, "
        "in every version, is replaced with [redacted]. This cannot be undone.",
        validators=[DataRequired("Enter the text to remove"), Length(max=500)],
    )
    reason = TextAreaField(
        "Reason",
        description="For example: a patient's NHS number in a reflective account. Do not "
        "repeat the text being removed. The worker sees that a redaction was made and when, "
        "not the reason.",
        validators=[DataRequired("Enter the reason for the redaction"), Length(max=2000)],
    )
    # The text shown in the preview: the redaction is made only for the text previewed.
    previewed = HiddenField(validators=[Optional()])

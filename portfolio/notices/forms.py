"""Notice forms: marking one read, and choosing which emails to get."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectMultipleField
from wtforms.validators import InputRequired, Optional


class MarkReadForm(FlaskForm):
    notice = IntegerField("Notice", validators=[InputRequired()])


class EmailChoicesForm(FlaskForm):
    topics = SelectMultipleField(
        "Send me an email when",
        description="Notices always appear in the portfolio, whatever you choose here.",
        validators=[Optional()],
    )

"""Bringing in another organisation's export."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import EmailField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from portfolio.core.forms import ConfirmsNumbers


class ImportForm(ConfirmsNumbers, FlaskForm):
    file = FileField(
        "The export (a ZIP file)",
        description="The file the person downloaded from their previous organisation's portfolio",
    )
    email = EmailField(
        "Their email address here",
        description=(
            "Someone already here with this address gets the records; otherwise they are added"
        ),
        validators=[
            DataRequired("Enter their email address here"),
            Email("Enter an email address in the correct format, like name@example.com"),
            Length(max=254),
        ],
    )
    name = StringField(
        "Their name, if they are added",
        description="Leave blank to use the name in the export",
        validators=[Optional(), Length(max=200)],
    )

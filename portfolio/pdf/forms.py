"""The export form and the public upload check."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField


class ExportForm(FlaskForm):
    appendices = BooleanField(
        "Add the PDF certificates attached to evidence as appendices",
        description=(
            "They follow the numbered pages, each under its own bookmark, exactly as uploaded."
        ),
    )


class CheckForm(FlaskForm):
    file = FileField(
        "Upload the portfolio PDF",
        description="The file exactly as it was downloaded or sent to you.",
    )

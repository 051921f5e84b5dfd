"""Uploading a staff record extract and confirming its import."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectMultipleField
from wtforms.validators import DataRequired, Length


class UploadForm(FlaskForm):
    file = FileField(
        "Staff record extract (CSV file)",
        description="Saved from Excel as CSV UTF-8 (Comma delimited), one person a row",
        validators=[FileRequired("Choose a CSV file to upload")],
    )


class ConfirmImportForm(FlaskForm):
    """Names the file and the preview being confirmed."""

    sha256 = HiddenField(validators=[DataRequired(), Length(min=64, max=64)])
    plan = HiddenField(validators=[DataRequired(), Length(min=64, max=64)])


class LettersForm(FlaskForm):
    person_ids = SelectMultipleField(
        "Who to print a letter for",
        description="Printing a letter stops any earlier letter or emailed invitation of theirs",
        coerce=int,
        validators=[DataRequired("Select at least one person")],
    )

"""The form for making a personal access token on the account page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, PasswordField, RadioField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from portfolio.api.models import TokenScope
from portfolio.core.forms import options


class TokenForm(FlaskForm):
    name = StringField(
        "Name",
        description="What will use it, so you know which one to revoke. For example: My phone.",
        validators=[DataRequired("Enter a name for the token"), Length(max=100)],
    )
    scope = RadioField(
        "What it may do",
        choices=options(
            [
                (TokenScope.READ.value, "Read only: see what you can see on the pages"),
                (
                    TokenScope.READ_WRITE.value,
                    "Read and write: also log evidence, ask for and decide sign-offs",
                ),
            ]
        ),
        validators=[InputRequired("Choose what the token may do")],
    )
    expires_on = DateField(
        "Works until",
        description="The last day it works. Every token expires.",
        validators=[DataRequired("Enter the last day the token works")],
    )
    # A stolen session must not be enough to make a key that outlives it by a year.
    password = PasswordField(
        "Your password",
        description="To show it is you: a token can act as you for months.",
        validators=[DataRequired("Enter your password"), Length(max=256)],
    )

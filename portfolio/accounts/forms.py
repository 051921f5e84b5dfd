"""Sign-in and password forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from portfolio.core.passwords import password_problem
from portfolio.people.forms import email_format


class SignInForm(FlaskForm):
    email = StringField(
        "Email address",
        validators=[DataRequired("Enter your email address"), Length(max=254)],
    )
    password = PasswordField(
        "Password", validators=[DataRequired("Enter your password"), Length(max=256)]
    )


class NewPasswordMixin:
    """The rules for a new password, checked against the person it belongs to."""

    email_for_check = ""
    name_for_check = ""

    def validate_new_password(self, field: PasswordField) -> None:
        problem = password_problem(
            field.data or "", email=self.email_for_check, name=self.name_for_check
        )
        if problem:
            raise ValidationError(problem)


def new_password_fields() -> tuple[PasswordField, PasswordField]:
    """A new password and its confirmation (made where called, so they keep their place
    among the form's fields)."""
    return (
        PasswordField(
            "New password",
            description="12 characters or more. Three random words work well.",
            validators=[DataRequired("Enter a new password")],
        ),
        PasswordField(
            "Confirm new password",
            validators=[
                DataRequired("Confirm your new password"),
                EqualTo("new_password", "The passwords do not match"),
            ],
        ),
    )


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password"), Length(max=256)],
    )
    new_password, confirm_password = new_password_fields()


class ForgottenPasswordForm(FlaskForm):
    email = StringField(
        "Email address",
        description="The address you sign in with",
        validators=[DataRequired("Enter your email address"), email_format, Length(max=254)],
    )


class SetPasswordForm(NewPasswordMixin, FlaskForm):
    """Choosing a password through an emailed link: the rules of any new password."""

    new_password, confirm_password = new_password_fields()

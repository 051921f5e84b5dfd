"""Forms for qualifications, entitlements and plans."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portfolio.careers.services import QualificationStatus
from portfolio.core.forms import ConfirmsNumbers, options
from portfolio.frameworks.schema import QualificationFramework


class QualificationForm(ConfirmsNumbers, FlaskForm):
    qualification_code = SelectField(
        "Qualification",
        description="Choose from the list, or choose Other and give its title below",
        validators=[DataRequired("Choose a qualification, or Other")],
    )
    title = StringField("Title, if Other", validators=[Optional(), Length(max=300)])
    framework = SelectField(
        "Qualification framework, if Other",
        choices=options(
            [
                ("", "Choose a framework"),
                *((item.value, item.value.upper()) for item in QualificationFramework),
            ]
        ),
        validators=[Optional()],
    )
    level = IntegerField(
        "Level, if Other", validators=[Optional(), NumberRange(1, 12, "Enter a level from 1 to 12")]
    )
    status = RadioField(
        "Status",
        choices=options((item.value, item.label) for item in QualificationStatus),
        validators=[InputRequired("Select the status")],
    )
    achieved_on = DateField("Date achieved (if achieved)", validators=[Optional()])
    planned_start_on = DateField("Planned start (if planned or waiting)", validators=[Optional()])


class EntitlementForm(ConfirmsNumbers, FlaskForm):
    scope = StringField(
        "What they are entitled to do as an IR(ME)R operator",
        description="As the employer's procedures word it, for example: chest and appendicular "
        "skeleton radiography, adults, to protocol",
        validators=[DataRequired("Enter the scope of the entitlement"), Length(max=300)],
    )
    granted_on = DateField(
        "Date granted", validators=[DataRequired("Enter the date it was granted")]
    )


class WithdrawForm(FlaskForm):
    withdrawn_on = DateField("Date withdrawn", validators=[DataRequired("Enter the date it ends")])


class PlanForm(FlaskForm):
    competency_code = SelectField(
        "Optional competency to add to their plan",
        validators=[DataRequired("Choose a competency")],
    )

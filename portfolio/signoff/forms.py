"""Sign-off forms: the decision (at the point of care or on request), the request, the
countersignature, and suspending, reinstating or revoking."""

from __future__ import annotations

import secrets

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from portfolio.core.forms import ConfirmsNumbers, optional_int, options
from portfolio.signoff.queries import SignOffContext
from portfolio.standing.status import Outcome, SupervisionLevel

_SUPERVISION_HINTS = {
    SupervisionLevel.DIRECT: "Direct supervision: a registrant is present throughout",
    SupervisionLevel.INDIRECT: "Indirect supervision: a registrant is nearby and can attend",
    SupervisionLevel.REMOTE: "Remote supervision: a registrant can be contacted for advice",
}

DECLARATION = (
    "I have read the trust's policy for this competency, I understand the conditions and "
    "supervision of this sign-off, and I accept accountability for my practice within them."
)


class DecisionForm(ConfirmsNumbers, FlaskForm):
    """An assessor's decision. At the point of care the assessor also gives their email."""

    # A key made when the form is shown: submitting the same form twice records once.
    submission = HiddenField(default=lambda: secrets.token_urlsafe(24))

    outcome = RadioField(
        "Your decision",
        choices=options((item.value, item.label) for item in Outcome),
        validators=[InputRequired("Select competent or not yet competent")],
    )
    supervision = RadioField(
        "Level of supervision from now on",
        description="Required when competent.",
        choices=options((item.value, _SUPERVISION_HINTS[item]) for item in SupervisionLevel),
        validators=[Optional()],
    )
    condition_codes = SelectMultipleField(
        "Conditions",
        description="Any the framework makes mandatory for this job role are added for you.",
        validators=[Optional()],
    )
    observed_on = DateField(
        "Date you observed the practice", validators=[DataRequired("Enter the date you observed")]
    )
    evidence_ids = SelectMultipleField(
        "Evidence you considered", coerce=int, validators=[Optional()]
    )
    went_well = TextAreaField(
        "What went well",
        description="Required when not yet competent. Never include patient details.",
        validators=[Optional(), Length(max=4000)],
    )
    to_develop = TextAreaField("What to develop", validators=[Optional(), Length(max=4000)])
    action_plan = TextAreaField(
        "Action plan",
        description="What the worker will do next, with whom and by when.",
        validators=[Optional(), Length(max=4000)],
    )
    declaration = BooleanField(DECLARATION)
    email = StringField("Your email address", validators=[Optional(), Length(max=254)])
    # Checked by the page first, whatever else is wrong; not needed again once confirmed for
    # this form (`accounts.identity`).
    password = PasswordField("Your password", validators=[Optional(), Length(max=256)])


class RequestForm(FlaskForm):
    assessor_id = SelectField(
        "Assessor",
        coerce=optional_int,
        description="Only colleagues the framework allows to assess this competency are listed.",
        validators=[DataRequired("Choose an assessor")],
    )
    evidence_ids = SelectMultipleField(
        "Evidence for the assessor to consider",
        coerce=int,
        validators=[DataRequired("Choose at least one piece of evidence")],
    )
    declaration = BooleanField(
        DECLARATION, validators=[DataRequired("Confirm the declaration to send the request")]
    )


class PasswordForm(FlaskForm):
    """Re-entering one's own password to sign (countersignature)."""

    password = PasswordField(
        "Your password", validators=[DataRequired("Enter your password"), Length(max=256)]
    )


class DisputeForm(FlaskForm):
    """The assessor, from the confirmation email: the sign-off in their name was not theirs."""

    reason = TextAreaField(
        "What happened (optional)",
        description="For example, you were not there that day. Never include patient details.",
        validators=[Optional(), Length(max=2000)],
    )


class SuspendForm(ConfirmsNumbers, FlaskForm):
    starts_on = DateField(
        "Suspended from", validators=[DataRequired("Enter the date the suspension starts")]
    )
    reason = TextAreaField(
        "Reason",
        description="For example: pending an investigation, or after a long absence.",
        validators=[DataRequired("Enter the reason"), Length(max=2000)],
    )


class ReinstateForm(ConfirmsNumbers, FlaskForm):
    reinstated_on = DateField(
        "First day back in practice", validators=[DataRequired("Enter the date")]
    )
    reason = TextAreaField(
        "Reason", validators=[DataRequired("Enter the reason"), Length(max=2000)]
    )


class RevokeForm(ConfirmsNumbers, FlaskForm):
    reason = TextAreaField(
        "Reason", validators=[DataRequired("Enter the reason"), Length(max=2000)]
    )


class AsAtForm(FlaskForm):
    """The date a status page answers for (a GET form: no CSRF token needed)."""

    class Meta:
        csrf = False

    on = DateField("Status on", validators=[Optional()])


class TranscribeForm(ConfirmsNumbers, FlaskForm):
    """A sign-off made on paper or at a previous employer, typed in as written."""

    made_at = RadioField(
        "Where was it signed off?",
        choices=options(
            [
                ("this_trust", "At this trust, on a paper record"),
                ("previous_employer", "At a previous employer"),
            ]
        ),
        validators=[InputRequired("Select where it was signed off")],
    )
    previous_employer = StringField(
        "Name of the previous employer",
        description="Only if it was signed off at a previous employer.",
        validators=[Optional(), Length(max=200)],
    )
    source = StringField(
        "Where the original record is kept",
        description="For example: the education office's cannulation folder, or a scanned "
        "copy in the personnel file. Never include patient details.",
        validators=[DataRequired("Enter where the original record is kept"), Length(max=500)],
    )
    original_seen_by = StringField(
        "Who saw the original",
        validators=[DataRequired("Enter who saw the original record"), Length(max=200)],
    )
    original_seen_on = DateField(
        "Date they saw it", validators=[DataRequired("Enter the date the original was seen")]
    )
    assessor_name = StringField(
        "Assessor's name",
        description="As written on the original.",
        validators=[
            DataRequired("Enter the name of the assessor on the original"),
            Length(max=200),
        ],
    )
    assessor_profession = SelectField("Assessor's profession", choices=[], validators=[Optional()])
    assessor_register = SelectField(
        "Professional register", description="If the original gives one.", choices=[]
    )
    assessor_register_number = StringField(
        "Registration number",
        description="As written; it is not checked on the register here.",
        validators=[Optional(), Length(max=20)],
    )
    observed_on = DateField(
        "Date signed off on the original",
        validators=[DataRequired("Enter the date it was signed off")],
    )
    supervision = RadioField(
        "Level of supervision it allows",
        choices=options((item.value, _SUPERVISION_HINTS[item]) for item in SupervisionLevel),
        validators=[InputRequired("Select the level of supervision")],
    )
    condition_codes = SelectMultipleField(
        "Conditions",
        description="Any the framework makes mandatory for this job role are added for you.",
        validators=[Optional()],
    )


class LocalObservationFields:
    """One practice observed here on local equipment, by an eligible local assessor: what a
    previous employer's sign-off is accepted on."""

    observer_id = SelectField(
        "Local assessor who observed",
        coerce=optional_int,
        # The view and the service check the person chosen, with the reason they cannot.
        validate_choice=False,
        description="Only colleagues the framework allows to assess this competency are listed.",
        validators=[DataRequired("Choose the local assessor who observed")],
    )
    local_observed_on = DateField(
        "Date of the practice observed here",
        validators=[DataRequired("Enter the date of the practice observed here")],
    )
    local_setting = StringField(
        "Equipment and room",
        description="For example: the trust's cannulation pack, CT room 2.",
        validators=[DataRequired("Enter the equipment and room"), Length(max=200)],
    )


class AcceptForm(LocalObservationFields, TranscribeForm):
    """A previous employer's sign-off accepted here after one practice observed on local
    equipment: the previous employer's record as written, and that observation."""

    made_at = None  # always a previous employer


class AcceptBroughtInForm(LocalObservationFields, ConfirmsNumbers, FlaskForm):
    """A previous employer's sign-off an import brought in, accepted on that observation."""


class OverrideForm(ConfirmsNumbers, FlaskForm):
    reason = TextAreaField(
        "Reason",
        description="Why the sign-off may go ahead without the minimum (for example, "
        "extensive practice at a previous employer). Never include patient details.",
        validators=[DataRequired("Enter the reason"), Length(max=2000)],
    )


def condition_choices(context: SignOffContext) -> list[SelectChoice]:
    """The competency's conditions, saying which always apply to the worker's job role."""
    return options(
        (
            condition.code,
            condition.label
            + (
                " (always applies to this job role)"
                if context.job_role in condition.mandatory_for
                else ""
            ),
        )
        for condition in context.competency.definition.conditions
    )

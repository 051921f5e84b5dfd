"""Pages for bringing in sign-offs made elsewhere, and for overriding a procedure minimum:
typing in a paper or previous employer's sign-off, accepting a previous employer's sign-off
(typed in, or brought in by an import) after one practice observed here, and letting the
next sign-off go ahead without the supervised procedure minimum. All reached from a worker's
competency page, by educators in reach and administrators (the policy), never by the worker.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from portfolio.access import authorise, person_facts
from portfolio.core.clock import today
from portfolio.core.forms import options
from portfolio.core.roles import PROFESSIONS
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.people.models import User
from portfolio.people.registers import (
    InvalidRegistrationNumberError,
    RegisterType,
    normalise_registration,
)
from portfolio.policy import Permission
from portfolio.signoff import overrides, queries, services
from portfolio.signoff.forms import (
    AcceptBroughtInForm,
    AcceptForm,
    OverrideForm,
    TranscribeForm,
    condition_choices,
)
from portfolio.signoff.models import SignOffDecision
from portfolio.standing.status import SupervisionLevel
from portfolio.web import auditor, field_error, keep_confirmations, save_or_refuse

blueprint = Blueprint("transcription", __name__)


def _load(person_id: int, code: str, permission: Permission) -> tuple[User, queries.SignOffContext]:
    person = get_session().get(User, person_id)
    if person is None:
        abort(404)
    authorise(permission, person_facts(person))
    context = queries.sign_off_context(
        get_session(), person, code, today(), due_window_days=get_settings().reassessment_due_days
    )
    if context is None:
        abort(404)
    return person, context


def _back(person: User, code: str) -> Response:
    return redirect(url_for("signoff.competency", person_id=person.id, code=code))


def _choices(form: TranscribeForm, context: queries.SignOffContext) -> None:
    form.assessor_profession.choices = options([("", "Not given"), *PROFESSIONS.items()])
    form.assessor_register.choices = options(
        (item.value, "Not given" if item is RegisterType.NONE else item.label)
        for item in RegisterType
    )
    form.condition_codes.choices = condition_choices(context)
    keep_confirmations(form)


def _details(
    form: TranscribeForm, local: services.LocalObservation | None
) -> services.TranscribedDetails:
    try:
        registration = normalise_registration(
            RegisterType(form.assessor_register.data or "none"),
            form.assessor_register_number.data,
        )
    except InvalidRegistrationNumberError as error:
        raise services.SignOffError("assessor_register_number", str(error)) from error
    from_elsewhere = local is not None or form.made_at.data == "previous_employer"
    return services.TranscribedDetails(
        observed_on=form.observed_on.data,
        supervision=SupervisionLevel(form.supervision.data),
        condition_codes=frozenset(form.condition_codes.data or []),
        assessor_name=form.assessor_name.data or "",
        assessor_profession=form.assessor_profession.data or None,
        source=form.source.data or "",
        previous_employer=(form.previous_employer.data or "") if from_elsewhere else None,
        original_seen_by=form.original_seen_by.data or "",
        original_seen_on=form.original_seen_on.data,
        assessor_register=registration.register,
        assessor_register_number=registration.number,
        local_observation=local,
    )


def _save(
    form: TranscribeForm,
    context: queries.SignOffContext,
    local: services.LocalObservation | None,
) -> bool:
    """Ask the service; on a refusal the form shows why and nothing is saved."""
    if (
        local is None
        and form.made_at.data == "previous_employer"
        and not (form.previous_employer.data or "").strip()
    ):
        field_error(form, "previous_employer", "Enter the name of the previous employer")
        return False
    saved = save_or_refuse(
        form,
        lambda: services.transcribe(
            auditor(),
            current_user._get_current_object(),
            context,
            _details(form, local),
            on=today(),
            register_check_valid_days=get_settings().register_check_valid_days,
            backdate_days=get_settings().sign_off_backdate_days,
            confirmed=form.confirmed.data or [],
        ),
        "source",
    )
    return saved is not None


@blueprint.route("/people/<int:person_id>/competencies/<code>/transcribe", methods=["GET", "POST"])
def transcribe(person_id: int, code: str) -> Response | str:
    """A sign-off made on paper here or at a previous employer, typed in as written."""
    person, context = _load(person_id, code, Permission.TRANSCRIBE_SIGN_OFF)
    form = TranscribeForm()
    _choices(form, context)
    if form.validate_on_submit() and _save(form, context, None):
        flash("The transcribed sign-off has been saved. It shows as transcribed.", "success")
        return _back(person, code)
    return render_template(
        "signoff/transcribe.html", form=form, person=person, context=context, accept=False
    )


def _observation(
    form: AcceptForm | AcceptBroughtInForm, context: queries.SignOffContext
) -> services.LocalObservation | None:
    """Offers the eligible local assessors; on a valid post, the observation (or None, with
    the error on the form, when the assessor chosen is not one of them)."""
    eligible, facts = queries.eligible_assessors(
        get_session(),
        context,
        today(),
        due_window_days=get_settings().reassessment_due_days,
        register_check_valid_days=get_settings().register_check_valid_days,
    )
    form.observer_id.choices = options(
        [("", "Choose the local assessor"), *((item.id, item.name) for item in eligible)]
    )
    if request.method == "GET":
        form.local_observed_on.data = today()
    if not form.validate_on_submit():
        return None
    chosen = form.observer_id.data
    if chosen not in facts:
        field_error(form, "observer_id", "Choose the local assessor from the list")
        return None
    return services.LocalObservation(
        facts[chosen], form.local_observed_on.data, form.local_setting.data or ""
    )


@blueprint.route("/people/<int:person_id>/competencies/<code>/accept", methods=["GET", "POST"])
def accept(person_id: int, code: str) -> Response | str:
    """A previous employer's sign-off, accepted once a local assessor has observed one
    practice on local equipment: typed in here, or (`?decision=`) one an import brought in."""
    person, context = _load(person_id, code, Permission.TRANSCRIBE_SIGN_OFF)
    brought_in = request.args.get("decision", type=int)
    if brought_in is not None:
        return _accept_brought_in(person, context, brought_in)
    form = AcceptForm()
    _choices(form, context)
    local = _observation(form, context)
    if local is not None and _save(form, context, local):
        flash("The previous employer's sign-off has been accepted.", "success")
        return _back(person, code)
    return render_template(
        "signoff/transcribe.html", form=form, person=person, context=context, accept=True
    )


def _accept_brought_in(
    person: User, context: queries.SignOffContext, decision_id: int
) -> Response | str:
    decision = get_session().get(SignOffDecision, decision_id)
    if (
        decision is None
        or decision.worker_id != person.id
        or decision.competency_code != context.competency.code
        or not decision.awaiting_acceptance
    ):
        abort(404)
    form = AcceptBroughtInForm()
    keep_confirmations(form)
    local = _observation(form, context)

    def accept_it(observed: services.LocalObservation) -> SignOffDecision:
        return services.accept_brought_in(
            auditor(),
            current_user._get_current_object(),
            context,
            decision,
            observed,
            on=today(),
            register_check_valid_days=get_settings().register_check_valid_days,
            backdate_days=get_settings().sign_off_backdate_days,
            confirmed=form.confirmed.data or [],
        )

    saved = save_or_refuse(form, lambda: accept_it(local), "observer_id") if local else None
    if saved is not None:
        flash(
            "The previous employer's sign-off has been accepted. It counts from today.", "success"
        )
        return _back(person, context.competency.code)
    return render_template(
        "signoff/accept_brought_in.html",
        form=form,
        person=person,
        context=context,
        decision=decision,
    )


@blueprint.route(
    "/people/<int:person_id>/competencies/<code>/override-minimum", methods=["GET", "POST"]
)
def override_minimum(person_id: int, code: str) -> Response | str:
    """Let the next sign-off go ahead without the supervised procedure minimum."""
    person, context = _load(person_id, code, Permission.OVERRIDE_MINIMUM)
    form = OverrideForm()
    keep_confirmations(form)
    if form.validate_on_submit() and save_or_refuse(
        form,
        lambda: overrides.override_minimum(
            auditor(),
            current_user._get_current_object(),
            context,
            reason=form.reason.data or "",
            on=today(),
            confirmed=form.confirmed.data or [],
        ),
        "reason",
    ):
        flash("The minimum is overridden for the next sign-off.", "success")
        return _back(person, code)
    return render_template("signoff/override.html", form=form, person=person, context=context)

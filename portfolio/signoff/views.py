"""Sign-off pages: status as at any date, asking, deciding (at the point of care or on
request), the assessor's to-do list, countersigning, suspending, reinstating and revoking.

Routes stay thin: the policy decides who may open a page, `signoff.rules` decides who may
assess, and `signoff.services` records what happened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import NamedTuple

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from portfolio.access import allowed, authorise, current_actor, load_person, person_facts
from portfolio.accounts import identity
from portfolio.audit.services import Auditor
from portfolio.careers.queries import worker_scope_of
from portfolio.core.clock import local, today, utcnow
from portfolio.core.forms import ConfirmForm, options
from portfolio.core.identifiers import IdentifierFoundError
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.people.models import User
from portfolio.policy import Permission, SignOffRequestFacts
from portfolio.redaction import services as redaction
from portfolio.signoff import checks, queries, services
from portfolio.signoff.forms import (
    AsAtForm,
    DecisionForm,
    PasswordForm,
    ReinstateForm,
    RequestForm,
    RevokeForm,
    SuspendForm,
    condition_choices,
)
from portfolio.signoff.models import (
    Authentication,
    RequestState,
    Revocation,
    SignOffDecision,
    SignOffRequest,
    Suspension,
)
from portfolio.signoff.shown import statuses_with_shown
from portfolio.standing.status import Outcome, SupervisionLevel, long_date
from portfolio.unit_of_work import doom
from portfolio.web import (
    auditor,
    check_credentials,
    field_error,
    identify_on_device,
    keep_confirmations,
    refuse,
    show_identifier_problems,
)

blueprint = Blueprint("signoff", __name__)


def _due_days() -> int:
    return get_settings().reassessment_due_days


def _register_days() -> int:
    return get_settings().register_check_valid_days


def _me(permission: Permission) -> User:
    me: User = current_user._get_current_object()
    authorise(permission, person_facts(me))
    return me


def _context(
    worker: User, code: str, on: dt.date, *, in_scope: bool = False
) -> queries.SignOffContext:
    """404 for a competency no current framework holds or, when asked, one outside the
    worker's scope of practice on the date (nobody is assessed for what they may not do)."""
    context = queries.sign_off_context(get_session(), worker, code, on, due_window_days=_due_days())
    if context is None:
        abort(404)
    if in_scope:
        scope = worker_scope_of(get_session(), worker.id, on)
        if scope is None or code not in {row.code for row in scope.rows}:
            abort(404)
    return context


def _as_at() -> tuple[AsAtForm, dt.date]:
    form = AsAtForm(request.args)
    on = today()
    if request.args.get("on") and form.validate() and form.on.data is not None:
        on = form.on.data
    elif not request.args.get("on"):
        form.on.data = on
    return form, on


@blueprint.route("/people/<int:person_id>/competencies")
def statuses(person_id: int) -> str:
    """Every competency in the worker's scope, with its status on a chosen date."""
    person, facts = load_person(person_id, Permission.VIEW_PERSON)
    form, on = _as_at()
    session = get_session()
    scope = worker_scope_of(session, person.id, on)
    rows = scope.rows if scope else []
    found, shown = statuses_with_shown(
        session, person.id, [row.code for row in rows], on, due_window_days=_due_days()
    )
    return render_template(
        "signoff/statuses.html",
        person=person,
        facts=facts,
        form=form,
        on=on,
        scope=scope,
        rows=[(row, found[row.code], shown.get(row.code)) for row in rows],
    )


class SuspensionAsKnown(NamedTuple):
    decision_id: int
    starts_on: dt.date
    reason: str
    reinstated_on: dt.date | None
    reinstatement_reason: str | None


@blueprint.route("/people/<int:person_id>/competencies/<code>")
def competency(person_id: int, code: str) -> str:
    """One competency: its status on a date, and every request and decision behind it."""
    person, facts = load_person(person_id, Permission.VIEW_PERSON)
    form, on = _as_at()
    context = _context(person, code, on)
    session = get_session()
    decisions = session.scalars(
        select(SignOffDecision)
        .options(
            selectinload(SignOffDecision.evidence),
            selectinload(SignOffDecision.procedures),
            selectinload(SignOffDecision.minimum_override),
        )
        .where(SignOffDecision.worker_id == person.id, SignOffDecision.competency_code == code)
        .order_by(SignOffDecision.observed_on.desc(), SignOffDecision.id.desc())
    ).all()
    # As the record stood on the date: later decisions are not shown for a past date.
    decisions = [decision for decision in decisions if decision.recorded_on <= on]
    ids = [decision.id for decision in decisions]
    # Suspensions, reinstatements, revocations and countersignatures made after the date are
    # left out too: the page shows what the portfolio said that day.
    suspensions = [
        SuspensionAsKnown(
            row.decision_id,
            row.starts_on,
            row.reason,
            *(
                (row.reinstated_on, row.reinstatement_reason)
                if row.reinstated_at is not None and local(row.reinstated_at).date() <= on
                else (None, None)
            ),
        )
        for row in session.scalars(
            select(Suspension).where(Suspension.decision_id.in_(ids)).order_by(Suspension.id)
        )
        if local(row.recorded_at).date() <= on
    ]
    revocations = {
        row.decision_id: row
        for row in session.scalars(select(Revocation).where(Revocation.decision_id.in_(ids)))
        if row.revoked_on <= on
    }
    countersigned = {
        decision.id
        for decision in decisions
        if decision.countersigned_on is not None and decision.countersigned_on <= on
    }
    accepted = {
        decision.id
        for decision in decisions
        if decision.accepted_on is not None and decision.accepted_on <= on
    }
    waiting = session.execute(
        select(SignOffRequest, User.name)
        .join(User, User.id == SignOffRequest.assessor_id)
        .where(
            SignOffRequest.worker_id == person.id,
            SignOffRequest.competency_code == code,
            SignOffRequest.state == RequestState.WAITING,
        )
    ).all()
    redactions = redaction.notes(session, decision_ids=ids)
    return render_template(
        "signoff/competency.html",
        person=person,
        facts=facts,
        form=form,
        on=on,
        context=context,
        decisions=decisions,
        suspensions=suspensions,
        revocations=revocations,
        countersigned=countersigned,
        accepted=accepted,
        waiting=waiting,
        redactions=redactions,
        is_today=on == today(),
    )


def _decision_form(
    context: queries.SignOffContext, evidence_ids: set[int], submission: str | None = None
) -> DecisionForm:
    """`submission`: the form's key when the page is opened from an emailed link, for which
    the assessor's identity is already confirmed (`signoff.remote`)."""
    form = DecisionForm()
    if request.method == "GET" and submission:
        form.submission.data = submission[:64]
    form.condition_codes.choices = condition_choices(context)
    form.evidence_ids.choices = options(
        (
            item.evidence_id,
            f"{item.title} ({item.kind_label}, {long_date(item.activity_on)}, "
            f"version {item.version})",
        )
        for item in context.evidence
    )
    keep_confirmations(form)
    if request.method == "GET":
        form.observed_on.data = today()
        form.evidence_ids.data = sorted(evidence_ids)
    return form


def _details(form: DecisionForm) -> services.DecisionDetails:
    return services.DecisionDetails(
        outcome=Outcome(form.outcome.data),
        observed_on=form.observed_on.data,
        supervision=SupervisionLevel(form.supervision.data) if form.supervision.data else None,
        condition_codes=frozenset(form.condition_codes.data or []),
        evidence_ids=frozenset(form.evidence_ids.data or []),
        went_well=form.went_well.data or "",
        to_develop=form.to_develop.data or "",
        action_plan=form.action_plan.data or "",
    )


def _record(
    form: DecisionForm,
    context: queries.SignOffContext,
    assessor: User,
    *,
    authentication: Authentication,
    declared: bool,
    pending: services.PendingRequest | None,
    who: str,
    identity_checked_at: dt.datetime | None = None,
) -> SignOffDecision | None:
    """Ask the rules and record the decision; on a refusal, nothing is saved. `who` is the
    field that identifies the assessor on this form (their email, or their password)."""
    session = get_session()
    on = today()
    facts = queries.facts_of_assessor(session, assessor, context, on, due_window_days=_due_days())
    try:
        decision = services.decide(
            auditor_for(assessor),
            context,
            _details(form),
            assessor=facts,
            authentication=authentication,
            declared=declared,
            request=pending,
            on=on,
            register_check_valid_days=_register_days(),
            backdate_days=get_settings().sign_off_backdate_days,
            confirmed=form.confirmed.data or [],
            submission_key=form.submission.data or None,
            identity_checked_at=identity_checked_at,
        )
    except services.AlreadyRecordedError as error:
        doom()
        return error.decision  # a second tap on the button: the first one's decision stands
    except services.AlreadyDecidedError as error:
        doom()
        field_error(form, "outcome", error.message)
    except services.SignOffError as error:
        doom()
        refuse(form, error, "outcome", rename={"assessor": who})
    except IdentifierFoundError as error:
        doom()
        show_identifier_problems(form, error)
    else:
        return decision
    return None


def auditor_for(person: User) -> Auditor:
    """The audit trail names whoever decided, not whoever's device it was."""
    return Auditor(get_session(), key=get_settings().audit_key_bytes, actor_id=person.id)


def _oldest_waiting(worker_id: int, code: str) -> SignOffRequest | None:
    return get_session().scalar(
        select(SignOffRequest)
        .where(
            SignOffRequest.worker_id == worker_id,
            SignOffRequest.competency_code == code,
            SignOffRequest.state == RequestState.WAITING,
        )
        .order_by(SignOffRequest.requested_at)
        .limit(1)
    )


class _Attempt:
    """One submission of a decision form: who the assessor is (confirmed earlier for this very
    form, or by the password given now, checked whatever else is wrong and counted like a
    sign-in), every error the form and the rules find at once, and then the decision.

    `email` is the signed-in assessor's own (on request); None at the point of care, where
    the assessor types theirs."""

    def __init__(
        self,
        form: DecisionForm,
        context: queries.SignOffContext,
        worker: User,
        *,
        target: str,
        email: str | None,
    ) -> None:
        self.form, self.context, self.worker, self.target = form, context, worker, target
        self.email = email
        self.assessor: User | None = None
        self.checked_at: dt.datetime | None = None
        self.confirmed_name: str | None = None
        if request.method == "GET":
            self._recall()

    def _recall(self) -> None:
        """The page as first shown: the identity already confirmed for this form, when the
        assessor opened the request from its emailed link (`signoff.remote`)."""
        proof = self._proof()
        person = get_session().get(User, proof.person_id) if proof else None
        if person is not None and person.active and person.id != self.worker.id:
            self.confirmed_name = person.name

    @property
    def assessor_id(self) -> int | None:
        return self.assessor.id if self.assessor else None

    def _proof(self) -> identity.Confirmed | None:
        return identity.confirmed(
            worker_id=self.worker.id, target=self.target, form=self.form.submission.data or ""
        )

    def checked(self) -> bool:
        """True when the form may be recorded: nothing wrong, and the assessor known."""
        form = self.form
        if request.method != "POST":
            return False
        form.validate_on_submit()
        if form.csrf_token.errors:
            return False
        self._identify()
        self._rules()
        return self.assessor is not None and not any(field.errors for field in form)

    def _identify(self) -> None:
        form = self.form
        proof = self._proof()
        person = get_session().get(User, proof.person_id) if proof else None
        if proof and person is not None and person.active:
            self.assessor, self.checked_at = person, proof.checked_at
            self.confirmed_name = person.name
            return
        email = self.email if self.email is not None else (form.email.data or "").strip()
        person = identify_on_device(
            form,
            email,
            worker=self.worker,
            target=self.target,
            wrong="Enter the correct password"
            if self.email is not None
            else "Enter the correct email address and password",
            not_the_worker="The assessor signs with their own email and password, not yours",
        )
        if person is not None:
            self.assessor, self.checked_at = person, utcnow()
            self.confirmed_name = person.name

    def _rules(self) -> None:
        """The rules' problems with what the form could give, beside the form's own."""
        form, session, on = self.form, get_session(), today()
        facts = (
            queries.facts_of_assessor(
                session, self.assessor, self.context, on, due_window_days=_due_days()
            )
            if self.assessor
            else None
        )
        problems = checks.decision_problems(
            session,
            self.context,
            outcome=Outcome(form.outcome.data) if not form.outcome.errors else None,
            observed_on=form.observed_on.data if not form.observed_on.errors else None,
            supervision=SupervisionLevel(form.supervision.data)
            if form.supervision.data and not form.supervision.errors
            else None,
            evidence_ids=form.evidence_ids.data or [],
            texts={name: getattr(form, name).data or "" for name in _TEXTS},
            declared=bool(form.declaration.data) or self.email is not None,
            assessor=facts,
            on=on,
            register_check_valid_days=_register_days(),
            backdate_days=get_settings().sign_off_backdate_days,
        )
        who = "email" if self.email is None else "password"
        for problem in problems:
            if problem.field == "assessor":  # another assessor must sign: ask again
                identity.use_up()
                self.confirmed_name = None
            refuse(form, problem, "outcome", rename={"assessor": who})

    def record(
        self,
        authentication: Authentication,
        declared: bool,
        pending: services.PendingRequest | None,
        *,
        who: str,
    ) -> SignOffDecision | None:
        assert self.assessor is not None
        decision = _record(
            self.form,
            self.context,
            self.assessor,
            authentication=authentication,
            declared=declared,
            pending=pending,
            who=who,
            identity_checked_at=self.checked_at,
        )
        if decision is not None:
            identity.use_up()
            flash(_decided_message(decision, self.assessor), "success")
        return decision


_TEXTS = ("went_well", "to_develop", "action_plan")


@blueprint.route("/competencies/<code>/sign-off", methods=["GET", "POST"])
def point_of_care(code: str) -> Response | str:
    """On the worker's device: the assessor decides there and then, proving who they are with
    their own email and password. The worker stays signed in; the assessor is not."""
    worker = _me(Permission.REQUEST_SIGN_OFF)
    context = _context(worker, code, today(), in_scope=True)
    waiting = _oldest_waiting(worker.id, code)
    form = _decision_form(context, {item.evidence_id for item in context.evidence})
    attempt = _Attempt(form, context, worker, target=f"competency:{code}", email=None)
    if attempt.checked():
        # A sign-off answers the worker's waiting request, whoever it was addressed to (it
        # is no longer needed); "not yet competent" answers only a request to them.
        answers = waiting is not None and (
            form.outcome.data == Outcome.COMPETENT.value
            or waiting.assessor_id == attempt.assessor_id
        )
        pending = services.pending_request(waiting) if answers and waiting else None
        decision = attempt.record(
            Authentication.POINT_OF_CARE, bool(form.declaration.data), pending, who="email"
        )
        if decision is not None:
            return redirect(url_for(".competency", person_id=worker.id, code=code))
    return render_template(
        "signoff/decide.html",
        form=form,
        context=context,
        worker=worker,
        point_of_care=True,
        sign_off_request=waiting,
        confirmed=attempt.confirmed_name,
    )


def _decided_message(decision: SignOffDecision, assessor: User) -> str:
    if decision.outcome is Outcome.NOT_YET_COMPETENT:
        return f"{assessor.name} recorded not yet competent, with feedback."
    message = f"{assessor.name} signed this off."
    if decision.countersignature_required:
        message += " It counts once a practice educator countersigns."
    return message


@blueprint.route("/competencies/<code>/request", methods=["GET", "POST"])
def new_request(code: str) -> Response | str:
    """The worker asks an eligible assessor; the request cannot be sent while anything
    required is missing."""
    worker = _me(Permission.REQUEST_SIGN_OFF)
    on = today()
    context = _context(worker, code, on, in_scope=True)
    session = get_session()
    eligible, facts = queries.eligible_assessors(
        session,
        context,
        on,
        due_window_days=_due_days(),
        register_check_valid_days=_register_days(),
    )
    form = RequestForm()
    form.assessor_id.choices = options(
        [
            ("", "Choose an assessor"),
            *(
                (
                    person.id,
                    person.name
                    + (f" ({person.profession.replace('_', ' ')})" if person.profession else ""),
                )
                for person in eligible
            ),
        ]
    )
    form.evidence_ids.choices = options(
        (item.evidence_id, f"{item.title} ({item.kind_label}, {long_date(item.activity_on)})")
        for item in context.evidence
    )
    if request.method == "GET":
        form.evidence_ids.data = [item.evidence_id for item in context.evidence]
    waiting = _oldest_waiting(worker.id, code)
    if form.validate_on_submit():
        chosen = form.assessor_id.data
        try:
            if chosen not in facts:
                raise services.SignOffError("assessor_id", "Choose an assessor from the list")
            services.request_sign_off(
                auditor(),
                worker,
                context,
                assessor=facts[chosen],
                evidence_ids=form.evidence_ids.data or [],
                declared=bool(form.declaration.data),
                on=on,
                register_check_valid_days=_register_days(),
            )
        except services.SignOffError as error:
            doom()
            refuse(form, error, "assessor_id")
        else:
            flash(
                f"Your request is on {facts[chosen].name}'s to-do list. You can still be signed "
                "off at the point of care by any eligible assessor.",
                "success",
            )
            return redirect(url_for(".competency", person_id=worker.id, code=code))
    return render_template(
        "signoff/request.html",
        form=form,
        context=context,
        missing=context.missing(len(form.evidence_ids.data or [])),
        eligible=eligible,
        waiting=waiting,
    )


@blueprint.route("/sign-off-requests/<int:request_id>/withdraw", methods=["POST"])
def withdraw(request_id: int) -> Response:
    sign_off_request = get_session().get(SignOffRequest, request_id)
    if sign_off_request is None:
        abort(404)
    worker, _ = load_person(sign_off_request.worker_id, Permission.REQUEST_SIGN_OFF)
    if ConfirmForm().validate_on_submit():
        try:
            services.withdraw_request(auditor(), worker, sign_off_request, today())
        except services.SignOffError as error:
            doom()
            flash(error.message, "error")
        else:
            flash("Your request has been withdrawn.", "success")
    else:
        flash("The page had expired: try again.", "error")
    return redirect(
        url_for(".competency", person_id=worker.id, code=sign_off_request.competency_code)
    )


@blueprint.route("/to-do")
def to_do() -> str:
    """Requests waiting on me, oldest first; for educators, sign-offs to countersign."""
    authorise(Permission.VIEW_TO_DO)
    session = get_session()
    me: User = current_user._get_current_object()
    show_countersign = allowed(Permission.VIEW_COUNTERSIGNATURES)
    return render_template(
        "signoff/to_do.html",
        requests=queries.to_do(session, me.id, today()),
        countersign=queries.awaiting_countersignature(session, current_actor(), today())
        if show_countersign
        else [],
        show_countersign=show_countersign,
    )


@blueprint.route("/sign-off-requests/<int:request_id>", methods=["GET", "POST"])
def decide_request(request_id: int) -> Response | str:
    """The assessor decides a request in their own session, re-entering their password."""
    session = get_session()
    sign_off_request = session.get(SignOffRequest, request_id)
    if sign_off_request is None:
        abort(404)
    worker = session.get_one(User, sign_off_request.worker_id)
    authorise(
        Permission.DECIDE_SIGN_OFF,
        SignOffRequestFacts(worker.organisation_id, worker.id, sign_off_request.assessor_id),
    )
    me: User = current_user._get_current_object()
    context = _context(worker, sign_off_request.competency_code, today())
    pending = services.pending_request(sign_off_request)
    form = _decision_form(context, set(pending.evidence_ids), request.args.get("submission"))
    attempt = _Attempt(form, context, worker, target=f"request:{request_id}", email=me.email)
    if sign_off_request.state is RequestState.WAITING and attempt.checked():
        # The worker made the declaration when they asked.
        decision = attempt.record(Authentication.OWN_SESSION, True, pending, who="password")
        if decision is not None:
            return redirect(url_for(".to_do"))
    return render_template(
        "signoff/decide.html",
        form=form,
        context=context,
        worker=worker,
        point_of_care=False,
        sign_off_request=sign_off_request,
        confirmed=attempt.confirmed_name,
    )


def _decision(decision_id: int, permission: Permission) -> tuple[SignOffDecision, User]:
    decision = get_session().get(SignOffDecision, decision_id)
    if decision is None:
        abort(404)
    worker, _ = load_person(decision.worker_id, permission)
    return decision, worker


@blueprint.route("/sign-offs/<int:decision_id>/countersign", methods=["GET", "POST"])
def countersign(decision_id: int) -> Response | str:
    decision, worker = _decision(decision_id, Permission.COUNTERSIGN)
    me: User = current_user._get_current_object()
    form = PasswordForm()
    if form.validate_on_submit():
        person, problem = check_credentials(
            me.email, form.password.data or "", wrong="Enter the correct password"
        )
        if person is None:
            field_error(form, "password", problem)  # the failed attempt is kept: counted
        else:
            try:
                services.countersign(auditor(), person, decision, on=today())
            except services.SignOffError as error:
                doom()
                field_error(form, "password", error.message)
            else:
                flash("Countersigned: the sign-off now counts.", "success")
                return redirect(
                    url_for(".competency", person_id=worker.id, code=decision.competency_code)
                )
    return render_template("signoff/countersign.html", form=form, decision=decision, worker=worker)


def _open_suspension(decision_id: int) -> Suspension | None:
    return get_session().scalar(
        select(Suspension).where(
            Suspension.decision_id == decision_id, Suspension.reinstated_on.is_(None)
        )
    )


def _revoked(decision_id: int) -> bool:
    return (
        get_session().scalar(select(Revocation.id).where(Revocation.decision_id == decision_id))
        is not None
    )


def _change(
    decision: SignOffDecision,
    worker: User,
    form: SuspendForm | ReinstateForm | RevokeForm,
    act: Callable[[User, list[str]], object],
    *,
    heading: str,
    done: str,
) -> Response | str:
    """The page for suspending, reinstating or revoking: one form, one service call, and on
    a refusal the form again with nothing saved."""
    session = get_session()
    if form.validate_on_submit():
        try:
            act(current_user._get_current_object(), form.confirmed.data or [])
            session.flush()
        except IntegrityError:  # the same change made by someone else a moment ago
            doom()
            field_error(form, "reason", "Someone changed this sign-off a moment ago: look again")
        except services.SignOffError as error:
            doom()
            refuse(form, error, "reason")
        except IdentifierFoundError as error:
            doom()
            show_identifier_problems(form, error)
        else:
            flash(done, "success")
            return redirect(
                url_for(".competency", person_id=worker.id, code=decision.competency_code)
            )
    return render_template(
        "signoff/change.html",
        form=form,
        decision=decision,
        worker=worker,
        heading=heading,
        button=heading.replace("this", "the"),
        fields=[name for name in ("starts_on", "reinstated_on", "reason") if name in form],
    )


@blueprint.route("/sign-offs/<int:decision_id>/suspend", methods=["GET", "POST"])
def suspend(decision_id: int) -> Response | str:
    decision, worker = _decision(decision_id, Permission.MANAGE_SIGN_OFF)
    form = SuspendForm()
    keep_confirmations(form)
    if request.method == "GET":
        form.starts_on.data = today()
    return _change(
        decision,
        worker,
        form,
        lambda by, confirmed: services.suspend(
            auditor(),
            by,
            decision,
            starts_on=form.starts_on.data,
            reason=form.reason.data or "",
            open_suspension=_open_suspension(decision.id),
            revoked=_revoked(decision.id),
            on=today(),
            confirmed=confirmed,
        ),
        heading="Suspend this sign-off",
        done="The sign-off has been suspended.",
    )


@blueprint.route("/sign-offs/<int:decision_id>/reinstate", methods=["GET", "POST"])
def reinstate(decision_id: int) -> Response | str:
    decision, worker = _decision(decision_id, Permission.MANAGE_SIGN_OFF)
    suspension = _open_suspension(decision.id)
    if suspension is None:
        abort(404)
    form = ReinstateForm()
    keep_confirmations(form)
    if request.method == "GET":
        form.reinstated_on.data = today()
    return _change(
        decision,
        worker,
        form,
        lambda by, confirmed: services.reinstate(
            auditor(),
            by,
            suspension,
            reinstated_on=form.reinstated_on.data,
            reason=form.reason.data or "",
            on=today(),
            confirmed=confirmed,
        ),
        heading="Reinstate this sign-off",
        done="The sign-off has been reinstated.",
    )


@blueprint.route("/sign-offs/<int:decision_id>/revoke", methods=["GET", "POST"])
def revoke(decision_id: int) -> Response | str:
    decision, worker = _decision(decision_id, Permission.MANAGE_SIGN_OFF)
    form = RevokeForm()
    keep_confirmations(form)
    return _change(
        decision,
        worker,
        form,
        lambda by, confirmed: services.revoke(
            auditor(),
            by,
            decision,
            reason=form.reason.data or "",
            already=_revoked(decision.id),
            on=today(),
            confirmed=confirmed,
        ),
        heading="Revoke this sign-off",
        done="The sign-off has been revoked.",
    )

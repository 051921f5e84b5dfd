"""Sign-off on the assessor's own device: the link emailed with a request (`signoff.links`)
opens the request on their phone or computer; and the link in the email confirming a sign-off
made on someone else's device disputes it (`signoff.disputes`).

The page asks for the assessor's password, once: it signs them in on their own device, counted
and locked out like any sign-in, and confirms their identity for this request's decision form
(`accounts.identity`, for the trust's few minutes), so the decision page with the evidence
records the decision without the password again. A link that is not valid, used, decided by
someone else, withdrawn, replaced, expired, or opened by someone signed in as another person
gets a page saying so, never the decision form. Opening it already signed in as the assessor
goes straight to the decision page, which then asks for the password at signing, as always.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from portfolio.access import public
from portfolio.accounts import attempts, devices
from portfolio.accounts import identity as kept_identity
from portfolio.accounts import services as accounts
from portfolio.accounts.sessions import start_session
from portfolio.audit.services import Auditor
from portfolio.core.clock import local, today, utcnow
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.people.models import User
from portfolio.signoff import disputes, links
from portfolio.signoff.disputes import DisputeState
from portfolio.signoff.forms import DisputeForm, PasswordForm
from portfolio.signoff.links import LinkState
from portfolio.signoff.models import SignOffDecision, SignOffDispute, SignOffLink, SignOffRequest
from portfolio.web import auditor, field_error

blueprint = Blueprint("remote", __name__)

Opened = tuple[SignOffLink, SignOffRequest, User]
_STATUS = {LinkState.NOT_FOUND: 404, LinkState.FORWARDED: 403}


@blueprint.route("/sign-off-links/<token>", methods=["GET", "POST"])
@public
def open_link(token: str) -> Response | str | tuple[str, int]:
    """The assessor's password once, then the decision page on their own device."""
    found = _usable(token)
    if isinstance(found, _Refused):
        return found.page, found.status
    _, sign_off_request, assessor = found
    if current_user.is_authenticated:  # the assessor, in their own session already
        return redirect(url_for("signoff.decide_request", request_id=sign_off_request.id))
    form = PasswordForm()
    if form.validate_on_submit() and (signed_in := _sign_in(form, found)) is not None:
        return signed_in
    worker = get_session().get_one(User, sign_off_request.worker_id)
    return render_template("signoff/open_link.html", form=form, assessor=assessor, worker=worker)


@dataclass(frozen=True)
class _Refused:
    page: str
    status: int


def _usable(token: str) -> Opened | _Refused:
    session = get_session()
    link = links.find(session, token)
    if link is None:
        return _refused(LinkState.NOT_FOUND)
    sign_off_request = session.get_one(SignOffRequest, link.request_id)
    assessor = session.get_one(User, link.assessor_id)
    state = links.state_of(link, sign_off_request, assessor_active=assessor.active, now=utcnow())
    if state is LinkState.USABLE and current_user.is_authenticated:
        state = LinkState.USABLE if current_user.id == assessor.id else LinkState.FORWARDED
    if state is not LinkState.USABLE:
        return _refused(state)
    return link, sign_off_request, assessor


def _refused(state: LinkState) -> _Refused:
    heading, text = links.REFUSALS[state]
    page = render_template("signoff/link_refused.html", heading=heading, text=text, state=state)
    return _Refused(page, _STATUS.get(state, 410))


_WRONG = {
    accounts.SignInResult.WRONG_DETAILS: "Enter the correct password",
    accounts.SignInResult.INACTIVE: "This account is closed",
    accounts.SignInResult.TOO_MANY_ATTEMPTS: (
        "Too many wrong passwords: wait {minutes} minutes and try again"
    ),
}


def _sign_in(form: PasswordForm, found: Opened) -> Response | None:
    """Signed in on their own device, with their identity confirmed for this request's form;
    None, with the error on the form, when the password is not right."""
    link, sign_off_request, assessor = found
    settings = get_settings()
    outcome = attempts.attempt(assessor.email, form.password.data or "")
    user = outcome.user
    if outcome.result is not accounts.SignInResult.SIGNED_IN or user is None:
        message = _WRONG[outcome.result].format(minutes=settings.sign_in_window_minutes)
        field_error(form, "password", message)
        return None
    start_session(user)
    links.opened(
        auditor(), link, sign_off_request, organisation_id=user.organisation_id, now=utcnow()
    )
    if user.must_change_password:  # a temporary password proves nothing: never signs
        return redirect(url_for("accounts.change_password"))
    key = secrets.token_urlsafe(24)
    kept_identity.confirm(
        user.id,
        worker_id=sign_off_request.worker_id,
        target=f"request:{sign_off_request.id}",
        form=key,
        minutes=settings.sign_off_identity_minutes,
    )
    where = url_for("signoff.decide_request", request_id=sign_off_request.id, submission=key)
    response = redirect(where)
    devices.remember(current_app, request, response, user.id)
    return response


@blueprint.route("/sign-off-disputes/<token>", methods=["GET", "POST"])
@public
def dispute(token: str) -> Response | str | tuple[str, int]:
    """From the email confirming a sign-off made on someone else's device: "Not you?"."""
    session, now = get_session(), utcnow()
    record = disputes.find(session, token)
    state = disputes.state_of(session, record, now) if record else DisputeState.NOT_FOUND
    if record is None or state is not DisputeState.OPEN:
        heading, text = disputes.REFUSALS[state]
        page = render_template("signoff/link_refused.html", heading=heading, text=text)
        return page, 404 if record is None else 410
    form = DisputeForm()
    if form.validate_on_submit():
        acting = Auditor(session, key=get_settings().audit_key_bytes, actor_id=record.assessor_id)
        disputes.dispute(acting, record, reason=form.reason.data or "", on=today(), now=now)
        return render_template("signoff/disputed.html")
    return render_template("signoff/dispute.html", form=form, **_disputed(record))


def _disputed(record: SignOffDispute) -> dict[str, object]:
    session = get_session()
    decision = session.get_one(SignOffDecision, record.decision_id)
    worker = session.get_one(User, decision.worker_id)
    return {"decision": decision, "worker": worker, "ends_at": local(record.ends_at).date()}

"""Signing in and out, changing a password, ending other sessions."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from portfolio.access import authorise, public
from portfolio.accounts import attempts, devices, links, services
from portfolio.accounts.delivery import mail_problem
from portfolio.accounts.forms import (
    ChangePasswordForm,
    ForgottenPasswordForm,
    SetPasswordForm,
    SignInForm,
)
from portfolio.accounts.models import LinkPurpose
from portfolio.accounts.sessions import start_session
from portfolio.accounts.tokens import UNUSABLE_MESSAGES, LinkState
from portfolio.audit.services import Auditor
from portfolio.core import clock
from portfolio.core.forms import ConfirmForm
from portfolio.core.passwords import password_matches
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.jobs.links import send_password_link
from portfolio.policy import Permission
from portfolio.ratelimit.limiter import limiter
from portfolio.unit_of_work import doom
from portfolio.web import auditor, field_error, safe_next_url

blueprint = Blueprint("accounts", __name__)

SIGN_IN_MESSAGES = {
    services.SignInResult.WRONG_DETAILS: "Enter a correct email address and password",
    services.SignInResult.INACTIVE: (
        "This account is not active. Ask your administrator if you need it again"
    ),
    services.SignInResult.TOO_MANY_ATTEMPTS: (
        "There have been too many failed attempts to sign in. Wait {minutes} minutes and try "
        "again, or ask your administrator to reset your password"
    ),
}


@blueprint.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignInForm()
    if form.validate_on_submit():
        settings = get_settings()
        outcome = attempts.attempt(form.email.data or "", form.password.data or "")
        if outcome.result is services.SignInResult.SIGNED_IN and outcome.user is not None:
            start_session(outcome.user)
            if outcome.user.must_change_password:
                response = redirect(url_for("accounts.change_password"))
            else:
                response = redirect(
                    safe_next_url(request.args.get("next")) or url_for("home.index")
                )
            devices.remember(current_app, request, response, outcome.user.id)
            return response
        message = SIGN_IN_MESSAGES[outcome.result].format(minutes=settings.sign_in_window_minutes)
        field_error(form, "email", message)
    return render_template(
        "accounts/sign_in.html", form=form, email_ready=mail_problem(current_app) is None
    )


@blueprint.route("/sign-out", methods=["POST"])
def sign_out() -> Response:
    authorise(Permission.USE_ACCOUNT)
    form = ConfirmForm()
    if form.validate_on_submit():
        logout_user()
        flash("You have signed out.", "success")
    return redirect(url_for("accounts.sign_in"))


@blueprint.route("/account")
def account() -> str:
    authorise(Permission.USE_ACCOUNT)
    return render_template("accounts/account.html", user=current_user, form=ConfirmForm())


@blueprint.route("/account/password", methods=["GET", "POST"])
def change_password() -> Response | str:
    authorise(Permission.USE_ACCOUNT)
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    form.email_for_check, form.name_for_check = user.email, user.name
    if form.validate_on_submit():
        if not password_matches(user.password_hash, form.current_password.data or ""):
            field_error(form, "current_password", "Your current password is not correct")
        else:
            services.change_password(auditor(), user, form.new_password.data or "")
            start_session(user)  # this session carries on; every other one has ended
            flash(
                "Your password has been changed. Any other sessions have been signed out.",
                "success",
            )
            return redirect(url_for("home.index"))
    return render_template("accounts/change_password.html", form=form, user=user)


@blueprint.route("/account/sign-out-everywhere", methods=["POST"])
def sign_out_everywhere() -> Response:
    authorise(Permission.USE_ACCOUNT)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.sign_out_everywhere(auditor(), current_user._get_current_object())
        logout_user()
        flash("You have been signed out on every device, including this one.", "success")
    return redirect(url_for("accounts.sign_in"))


@blueprint.route("/password/forgotten", methods=["GET", "POST"])
@public
def forgotten_password() -> str:
    """One answer for every address, known, unknown or deactivated: the page records the
    request and queues the job, which alone looks for an account."""
    form = ForgottenPasswordForm()
    if form.validate_on_submit():
        settings = get_settings()
        email = services.normalise_email(form.email.data or "")
        accepted = links.accept_reset_request(
            limiter(), email=email, address=request.remote_addr or "unknown"
        )
        if accepted:
            send_password_link(current_app, LinkPurpose.RESET, email=email)
        return render_template(
            "accounts/forgotten_sent.html",
            email=email,
            minutes=settings.password_reset_valid_minutes,
        )
    return render_template(
        "accounts/forgotten.html", form=form, email_ready=mail_problem(current_app) is None
    )


def _link_unusable(state: LinkState | None, purpose: LinkPurpose | None) -> tuple[str, int]:
    page = render_template(
        "accounts/link_unusable.html",
        message=UNUSABLE_MESSAGES[state],
        purpose=purpose,
    )
    return page, 404 if state is None else 410


@blueprint.route("/password/set/<token>", methods=["GET", "POST"])
@public
def set_password(token: str) -> Response | str | tuple[str, int]:
    session = get_session()
    now = clock.utcnow()
    link = links.find_link(session, token)
    if link is None:
        return _link_unusable(None, None)
    state = links.state_of(link, now)
    if state is not LinkState.USABLE:
        return _link_unusable(state, link.purpose)
    user = link.user
    form = SetPasswordForm()
    form.email_for_check, form.name_for_check = user.email, user.name
    if form.validate_on_submit():
        # Acting as themselves: following the link proves they read the email.
        acting = Auditor(session, key=get_settings().audit_key_bytes, actor_id=user.id)
        try:
            links.set_password_from_link(acting, link, form.new_password.data or "", now)
        except links.LinkUnusableError as error:
            doom()
            return _link_unusable(error.state, link.purpose)
        flash(
            "Your password has been set, and any other sessions signed out. Sign in with your "
            "email address and new password.",
            "success",
        )
        return redirect(url_for("accounts.sign_in"))
    return render_template("accounts/set_password.html", form=form, user=user, purpose=link.purpose)

"""The account page's personal access tokens: make one (shown once, after the person enters
their password again), see yours, revoke one."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from portfolio.access import authorise
from portfolio.accounts.views import blueprint
from portfolio.api import services
from portfolio.api.forms import TokenForm
from portfolio.api.models import ApiToken, TokenScope
from portfolio.core.clock import today, utcnow
from portfolio.core.forms import ConfirmForm
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.people.models import User
from portfolio.policy import Permission
from portfolio.web import auditor, check_credentials, field_error, save_or_refuse


@blueprint.route("/account/tokens", methods=["GET", "POST"])
def tokens() -> str:
    authorise(Permission.USE_ACCOUNT)
    me: User = current_user._get_current_object()
    form = TokenForm()
    if request.method == "GET":
        form.scope.data = TokenScope.READ.value
        form.expires_on.data = today() + dt.timedelta(days=90)
    made = None
    if form.validate_on_submit():
        # Counted and limited like a sign-in, so the form cannot be used to guess passwords.
        proved, problem = check_credentials(
            me.email, form.password.data or "", wrong="Your password is not correct"
        )
        if proved is None:
            field_error(form, "password", problem)
        else:
            made = save_or_refuse(
                form,
                lambda: services.create_token(
                    auditor(),
                    me,
                    name=form.name.data or "",
                    scope=TokenScope(form.scope.data),
                    expires_on=form.expires_on.data,
                    today=today(),
                    max_days=get_settings().api_token_max_days,
                    created_by=me,
                ),
                "name",
            )
    return render_template(
        "accounts/tokens.html",
        form=form,
        made=made,
        tokens=services.tokens_of(get_session(), me.id),
        now=utcnow(),
        expires_on=services.expires_on,
        confirm=ConfirmForm(),
    )


@blueprint.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
def revoke_token(token_id: int) -> Response:
    authorise(Permission.USE_ACCOUNT)
    token = get_session().get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)  # nobody learns of anyone else's tokens
    if ConfirmForm().validate_on_submit():
        services.revoke_token(auditor(), token, utcnow())
        flash(f"The token {token.name} has been revoked: it no longer works.", "success")
    return redirect(url_for("accounts.tokens"))

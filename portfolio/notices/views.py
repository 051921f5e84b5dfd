"""Pages of the notices feature: a person's own notices (read and unread), marking them
read, and which emails they get. Everyone signed in has these pages, and each shows only the
signed-in person's own notices and choices."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from portfolio.access import authorise
from portfolio.core.clock import utcnow
from portfolio.core.forms import ConfirmForm, options
from portfolio.db import get_session
from portfolio.notices import queries, services
from portfolio.notices.forms import EmailChoicesForm, MarkReadForm
from portfolio.notices.models import Notice
from portfolio.notices.rules import Topic, topics_for
from portfolio.people.models import User
from portfolio.policy import Permission
from portfolio.web import auditor

blueprint = Blueprint("notices", __name__)


def _me() -> User:
    authorise(Permission.USE_ACCOUNT)
    me: User = current_user._get_current_object()
    return me


@blueprint.route("/notices")
def index() -> str:
    me = _me()
    page = max(1, request.args.get("page", 1, type=int) or 1)
    return render_template(
        "notices/index.html", notices=queries.notices_of(get_session(), me.id, page)
    )


@blueprint.route("/notices/read", methods=["POST"])
def mark_read() -> Response:
    me = _me()
    form = MarkReadForm()
    if form.validate_on_submit():
        session = get_session()
        notice = session.get(Notice, form.notice.data)
        if notice is None or notice.recipient_id != me.id:
            abort(404)  # someone else's notices are not there for you
        services.mark_read(session, me.id, utcnow(), notice.id)
    return redirect(url_for(".index", page=request.args.get("page", type=int)))


@blueprint.route("/notices/read-all", methods=["POST"])
def mark_all_read() -> Response:
    me = _me()
    if ConfirmForm().validate_on_submit():
        session = get_session()
        count = services.mark_read(session, me.id, utcnow())
        if count:
            flash(f"{count} notice{'s' if count != 1 else ''} marked as read.", "success")
    return redirect(url_for(".index"))


@blueprint.route("/notices/emails", methods=["GET", "POST"])
def preferences() -> Response | str:
    me = _me()
    session = get_session()
    offered = topics_for(me.roles)
    form = EmailChoicesForm()
    form.topics.choices = options((topic.value, topic.label) for topic in offered)
    if request.method == "GET":
        chosen = services.email_choices(session, [me.id])[me.id]
        form.topics.data = [topic.value for topic in offered if chosen.get(topic, True)]
    if form.validate_on_submit():
        services.save_email_choices(
            auditor(), me, offered, {Topic(value) for value in form.topics.data or []}
        )
        flash("Your email choices have been saved.", "success")
        return redirect(url_for(".preferences"))
    return render_template("notices/preferences.html", form=form, offered=offered, me=me)


@blueprint.app_template_global()
def notices_link_text() -> str:
    """The header's link: "Notices (3 unread)". A count that cannot be read (on an error page
    after a failed transaction) leaves the plain link rather than breaking the page."""
    if "notices_link_text" not in g:
        text = "Notices"
        if current_user.is_authenticated:
            try:
                signed_in = g.get("signed_in")  # read with the person (accounts.sessions)
                unread = (
                    signed_in.unread_notices
                    if signed_in is not None
                    else queries.unread_count(get_session(), current_user.id)
                )
            except SQLAlchemyError:
                unread = 0
            if unread:
                text = f"Notices ({unread} unread)"
        g.notices_link_text = text
    text_: str = g.notices_link_text
    return text_

"""Issuing a link and emailing it, in one step run by the job consumer (never by a page).

The token is made here, put into the email and forgotten: only its hash is stored, so it is
never in the database, the job queue or a log. A page only queues the job (with the person's
id or the address typed), so it never waits on, or fails because of, a mail server; and a
"Forgotten your password?" request does the same work whether or not the address has an
account, because the account is looked up here.

A mail server that is down makes the job fail, and Huey runs it again later (see
`portfolio.jobs.links`): the retry issues a fresh link, superseding the one never delivered.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from flask import Flask
from sqlalchemy import select

from portfolio.accounts.links import LinkValidity, issue_link
from portfolio.accounts.messages import LinkEmailFacts, compose_link_email
from portfolio.accounts.models import LinkPurpose
from portfolio.accounts.services import normalise_email
from portfolio.accounts.tokens import describe_duration
from portfolio.audit.services import Auditor
from portfolio.core.settings import Settings, get_settings
from portfolio.core.templating import format_datetime
from portfolio.notices.links import absolute
from portfolio.notices.mail import (
    Connection,
    MailSettings,
    build_message,
    describe,
    is_permanent,
    report_once,
)
from portfolio.notices.messages import first_name
from portfolio.people.models import Organisation, User
from portfolio.unit_of_work import transaction

log = logging.getLogger(__name__)


class LinkNotSentError(Exception):
    """The mail server could not take the email for now: the job is tried again."""


def link_validity(settings: Settings) -> LinkValidity:
    return LinkValidity(
        invitation=dt.timedelta(days=settings.invitation_valid_days),
        reset=dt.timedelta(minutes=settings.password_reset_valid_minutes),
    )


def mail_problem(app: Flask) -> str | None:
    """Why no email can be sent from this installation, or None."""
    return MailSettings.of(get_settings(app)).problem()


def deliver_link(
    app: Flask,
    now: dt.datetime,
    *,
    purpose: LinkPurpose,
    user_id: int | None = None,
    email: str | None = None,
    requested_by_id: int | None = None,
) -> str:
    """Issue a link for the person (by id, or by the address typed) and email it. Returns
    what happened, for the job's result. Three units of work, so that no transaction is open
    while the mail server answers: the link exists before the email that carries it, then
    the email is sent, then its outcome is recorded."""
    settings = MailSettings.of(get_settings(app))
    problem = settings.problem()
    if problem is not None:
        report_once(problem)
        return "not sent: email is not set up"
    with transaction() as session:
        if user_id is not None:
            user = session.get(User, user_id)
        else:
            user = session.scalar(select(User).where(User.email == normalise_email(email or "")))
        if user is None or not user.active:
            # Nothing to tell anyone: the page already gave its one answer.
            return "no active account"
        validity = link_validity(get_settings(app))
        auditor = Auditor(session, key=get_settings(app).audit_key_bytes, actor_id=requested_by_id)
        link, token = issue_link(
            auditor,
            user,
            purpose,
            now=now,
            valid_for=validity.of(purpose),
            requested_by_id=requested_by_id,
        )
        organisation = session.get_one(Organisation, user.organisation_id)
        subject, body = compose_link_email(
            LinkEmailFacts(
                purpose=purpose,
                recipient=first_name(user.name),
                email=user.email,
                organisation=organisation.name,
                link=absolute(app, settings.base_url, "accounts.set_password", {"token": token}),
                valid_for=describe_duration(validity.of(purpose)),
                expires=format_datetime(link.expires_at),
                forgotten_link=absolute(app, settings.base_url, "accounts.forgotten_password", {}),
            )
        )
        recipient, person_id = user.email, user.id
    connection = Connection(settings)
    try:
        connection.send(build_message(settings, recipient, subject, body, now))
    except (smtplib.SMTPException, OSError) as error:
        with transaction():
            link.email_problem = describe(error)
        log.warning(
            "%s email for person %s not sent: %s", purpose.value, person_id, describe(error)
        )
        if is_permanent(error):
            return "refused"
        raise LinkNotSentError(describe(error)) from error
    finally:
        connection.close()
    with transaction():
        link.emailed_at = now
    return "sent"

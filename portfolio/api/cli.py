"""`flask tokens …`: personal access tokens from the command line, for setting up a system's
access (a staff record feed, say) without a browser. Each command commits once or not at all,
and exits non-zero naming the option that was wrong."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import AppGroup
from sqlalchemy import select

from portfolio.accounts.services import normalise_email
from portfolio.api import services
from portfolio.api.models import ApiToken, TokenScope
from portfolio.commands import cli_auditor
from portfolio.core.clock import local, today, utcnow
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.people.models import User


@click.group("tokens", help="Personal access tokens for the API.", cls=AppGroup)
def tokens_group() -> None:
    pass


def _person(email: str) -> User:
    person: User | None = get_session().scalar(
        select(User).where(User.email == normalise_email(email))
    )
    if person is None:
        raise click.BadParameter(f"no account has the address {email}", param_hint="--email")
    return person


@tokens_group.command("create")
@click.option("--email", required=True, help="Whose token: it acts as them, never as more.")
@click.option("--name", required=True, help="What will use it, to know which to revoke.")
@click.option(
    "--scope",
    type=click.Choice([item.value for item in TokenScope]),
    default=TokenScope.READ.value,
    show_default=True,
)
@click.option("--days", type=int, default=90, show_default=True, help="How long it works.")
def create(email: str, name: str, scope: str, days: int) -> None:
    """Make a token and print it once: it is stored only as its SHA-256."""
    person = _person(email)
    try:
        _, secret = services.create_token(
            cli_auditor(),
            person,
            name=name,
            scope=TokenScope(scope),
            expires_on=today() + dt.timedelta(days=days),
            today=today(),
            max_days=get_settings().api_token_max_days,
            created_by=None,
        )
    except services.TokenError as error:
        hint = {"expires_on": "--days", "email": "--email"}.get(error.field, f"--{error.field}")
        raise click.BadParameter(error.message, param_hint=hint) from error
    click.echo(secret)
    click.echo(
        f"A {scope} token for {person.email}, working for {days} days. This is the only time "
        "it is shown.",
        err=True,
    )


@tokens_group.command("list")
@click.option("--email", required=True)
def list_tokens(email: str) -> None:
    """A person's tokens: id, prefix, name, scope, expiry, last used and whether revoked."""
    person = _person(email)
    now = utcnow()
    for token in services.tokens_of(get_session(), person.id):
        state = (
            "revoked" if token.revoked_at else "expired" if token.expires_at <= now else "active"
        )
        used = f"{local(token.last_used_at):%Y-%m-%d %H:%M}" if token.last_used_at else "never"
        click.echo(
            f"{token.id}\t{token.prefix}…\t{token.name}\t{token.scope.value}\t"
            f"until {services.expires_on(token).isoformat()}\tlast used {used}\t{state}"
        )


@tokens_group.command("revoke")
@click.option("--id", "token_id", type=int, required=True, help="From `tokens list`.")
def revoke(token_id: int) -> None:
    token = get_session().get(ApiToken, token_id)
    if token is None:
        raise click.BadParameter(f"no token has the id {token_id}", param_hint="--id")
    if not services.revoke_token(cli_auditor(), token, utcnow()):
        raise click.ClickException(f"token {token_id} was already revoked")
    click.echo(f"Token {token_id} ({token.prefix}…) revoked.")

"""`flask standing EMAIL CODE`: the standing engine's answer on the command line, the same as
every page and `GET /api/v1/standing` give, in words or (`--json`) as the API's JSON."""

from __future__ import annotations

import datetime as dt

import click
from sqlalchemy import func, select

from portfolio.core.clock import today
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.people.models import User
from portfolio.reckoner.standing_json import StandingAnswer
from portfolio.reckoner.standings import Options, UnknownItemError, answer_for
from portfolio.standing.answer import Standing


@click.command(
    "standing", help="May this person do this task on a date, and under what supervision?"
)
@click.argument("email")
@click.argument("code")
@click.option(
    "--on", "on", type=click.DateTime(formats=["%Y-%m-%d"]), help="YYYY-MM-DD; default today."
)
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON answer.")
def standing_command(email: str, code: str, on: dt.datetime | None, as_json: bool) -> None:
    session = get_session()
    person = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if person is None:
        raise click.BadParameter(f"no account has the address {email}", param_hint="EMAIL")
    day = on.date() if on else today()
    try:
        found = answer_for(session, person.id, code, day, options=Options.of(get_settings()))
    except UnknownItemError as error:
        raise click.BadParameter(str(error), param_hint="CODE") from None
    if as_json:
        click.echo(StandingAnswer.of(person.id, day, found).model_dump_json(indent=2))
    else:
        click.echo("\n".join(_lines(person.name, day, found)))


def _lines(name: str, on: dt.date, found: Standing) -> list[str]:
    lines = [
        f"{name}, {found.code}, {on.isoformat()}: {found.label}",
        f"Status: {found.shown.text}",
    ]
    if found.may:
        lines.append(f"Supervision: {found.supervision_text or 'not recorded'}")
        lines.append(
            f"Valid until: {found.valid_until.isoformat() if found.valid_until else 'no end'}"
        )
    lines += [f"Why: {found.summary}"]
    lines += [f"- {reason.text} [{reason.code.value}]" for reason in found.reasons]
    lines += [f"Warning: {notice.text} [{notice.code.value}]" for notice in found.warnings]
    return lines

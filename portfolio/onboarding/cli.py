"""`flask --app portfolio people import CSV`: the same import as the pages, for trusts that
script it. Every problem is printed as `file:line: column: message` and the command exits 1
having written nothing; otherwise it imports the whole file in one transaction."""

from __future__ import annotations

import hashlib
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from portfolio.accounts.delivery import mail_problem
from portfolio.audit.services import Auditor
from portfolio.core import clock
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.jobs.links import send_invitations
from portfolio.onboarding import services
from portfolio.onboarding.csvfile import UnreadableFileError
from portfolio.onboarding.rules import Action
from portfolio.people.models import Organisation
from portfolio.unit_of_work import doom


@click.group(
    "people",
    help="People: importing a staff record extract; a person's portfolio exported and imported.",
    cls=AppGroup,
)
def people_group() -> None:
    pass


def _organisation(name: str | None) -> Organisation:
    session = get_session()
    if name:
        found = session.scalar(select(Organisation).where(Organisation.name == name))
        if found is None:
            raise click.BadParameter(
                f"no organisation called {name!r}", param_hint="--organisation"
            )
        return found
    organisations = session.scalars(select(Organisation).limit(2)).all()
    if len(organisations) != 1:
        raise click.BadParameter(
            "name the organisation to import into", param_hint="--organisation"
        )
    return organisations[0]


@people_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--organisation", help="The organisation by name; optional when there is only one.")
@click.option("--dry-run", is_flag=True, help="Check the file and say what would happen.")
def people_import(path: Path, organisation: str | None, dry_run: bool) -> None:
    """Add and update support workers from a staff record extract (CSV), all or nothing."""
    session = get_session()
    org = _organisation(organisation)
    content = path.read_bytes()
    max_bytes = get_settings().onboarding_max_bytes
    try:
        plan = services.plan_file(
            session, org.id, content, max_bytes=max_bytes, today=clock.today()
        )
    except UnreadableFileError as error:
        raise click.ClickException(f"{path}: {error.message}") from error
    for problem in plan.problems:
        click.echo(f"{path}:{problem}", err=True)
    if not plan.ok:
        raise click.ClickException(f"{len(plan.problems)} problem(s) found; nothing imported")
    for item in plan.lines:
        what = "; ".join(item.changes) if item.action is Action.UPDATE else item.action.value
        if item.action is Action.LEFT:
            what = "left out: this person has left (deactivated); reactivate them to import it"
        click.echo(f"{path}:{item.line}: {item.record.email}: {what}")
    if dry_run:
        doom()
        click.echo(
            f"Dry run: would add {plan.count(Action.CREATE)}, update "
            f"{plan.count(Action.UPDATE)}, leave {plan.count(Action.UNCHANGED)} unchanged. "
            "Nothing imported."
        )
        return
    auditor = Auditor(session, key=get_settings().audit_key_bytes, actor_id=None)
    try:
        result = services.import_staff(
            auditor, org, plan, file_sha256=hashlib.sha256(content).hexdigest()
        )
    except services.ImportLineError as error:
        click.echo(f"{path}:{error.problem}", err=True)
        raise click.ClickException("nothing imported") from error
    no_email = mail_problem(current_app)
    if no_email is None:
        send_invitations(current_app, result.created_ids)
    click.echo(
        f"Imported into {org.name}: {len(result.created_ids)} added, {result.updated} updated, "
        f"{result.unchanged} unchanged"
        + (f", {result.left} left out (they have left)." if result.left else ".")
    )
    if result.created_ids:
        click.echo(
            "Invitations queued for the job consumer to email."
            if no_email is None
            else f"No invitations sent ({no_email}): the people added have no way in yet. "
            "Print their set-up letters from the People page (Set-up letters)."
        )

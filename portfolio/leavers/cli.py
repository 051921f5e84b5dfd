"""`flask people export-portfolio` and `flask people import-portfolio`: a person's export
written to a file (a subject access request handled at the command line), and another
organisation's export brought in, all or nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from portfolio.audit.services import Auditor
from portfolio.commands import organisation_named
from portfolio.core.clock import today
from portfolio.core.roles import AccountRole
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.leavers import checks, export, importing, settings
from portfolio.people.models import Organisation, User
from portfolio.unit_of_work import doom, on_rollback


@click.group("people", help="People's portfolios: exports and imports.", cls=AppGroup)
def people_group() -> None:
    pass


def _user(email: str, option: str) -> User:
    found: User | None = get_session().scalar(
        select(User).where(func.lower(User.email) == email.strip().lower())
    )
    if found is None:
        raise click.BadParameter(f"nobody has the email address {email}", param_hint=option)
    return found


@people_group.command("export-portfolio")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--email", required=True, help="Whose portfolio.")
def export_portfolio(path: Path, email: str) -> None:
    """Write everything the portfolio holds about a person to a new ZIP file at PATH."""
    if path.exists():
        raise click.ClickException(f"{path}: already exists; nothing written")
    session = get_session()
    person = _user(email, "--email")
    try:
        exported = export.write_export(
            session,
            person,
            settings.store(),
            by_themselves=False,
            max_bytes=settings.archive_max_bytes(),
        )
    except export.ExportError as error:
        raise click.ClickException(f"{path}: {error}") from error
    with exported.file, path.open("xb") as target:
        path.chmod(0o600)  # personal data: readable by its owner only
        shutil.copyfileobj(exported.file, target, export.CHUNK)
    export.record_export(
        Auditor(session, key=get_settings().audit_key_bytes, actor_id=None),
        person,
        exported,
    )
    click.echo(f"Wrote {person.name}'s portfolio to {path} ({exported.size} bytes).")


@people_group.command("import-portfolio")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--email", required=True, help="The person's email address here: found, or added.")
@click.option("--name", help="Their name if they are added (default: the name in the export).")
@click.option("--organisation", help="The organisation by name; optional when there is only one.")
@click.option(
    "--by",
    "by_email",
    required=True,
    help="The administrator answerable for the import (named on every record it makes).",
)
@click.option(
    "--confirm",
    "confirmed",
    multiple=True,
    help="A number checked as not a patient identifier; repeat for several.",
)
def import_portfolio(
    path: Path,
    email: str,
    name: str | None,
    organisation: str | None,
    by_email: str,
    confirmed: tuple[str, ...],
) -> None:
    """Bring in another organisation's export at PATH, all or nothing."""

    session = get_session()
    org = organisation_named(organisation, None)
    assert org is not None
    by = _user(by_email, "--by")
    if by.organisation_id != org.id or not by.has_role(AccountRole.ADMIN) or not by.active:
        raise click.BadParameter(
            f"{by_email} is not an administrator of {org.name}", param_hint="--by"
        )
    auditor = Auditor(session, key=get_settings().audit_key_bytes, actor_id=by.id)
    with path.open("rb") as archive:
        try:
            outcome = importing.import_portfolio(
                auditor,
                archive,
                organisation=session.get_one(Organisation, org.id),
                by=by,
                email=email,
                name=name,
                store=settings.store(),
                limits=settings.limits(),
                today=today(),
                confirmed=confirmed,
            )
        except importing.AlreadyImportedError as already:
            doom()
            click.echo(
                f"{path}: already brought in on {already.previous.imported_at:%Y-%m-%d} for "
                f"{already.person.name}; nothing changed."
            )
            return
        except checks.ImportRefusedError as refused:
            for problem in refused.problems:
                click.echo(f"{path}: {problem}", err=True)
            raise click.ClickException(f"{path}: nothing brought in") from None
    on_rollback(outcome.undo)  # after the rollback: then `undo` sees only what others committed
    report = outcome.report
    click.echo(
        f"Brought {report.source_organisation}'s portfolio in for {outcome.person.name}: "
        + ", ".join(
            f"{count} {what.replace('_', ' ')}" for what, count in report.brought_in.items()
        )
        + "."
    )
    if report.brought_in.get("sign_offs"):
        click.echo(
            "The sign-offs brought in do not count here until a practice educator or "
            "administrator accepts each one, after one practice observed on local equipment, "
            "from the person's competency page."
        )
    for what, why in report.left_out:
        click.echo(f"Not brought in: {what}: {why}")
    if report.unknown_competencies:
        click.echo("Competencies not known here: " + ", ".join(report.unknown_competencies))
    if outcome.temporary_password:
        click.echo(
            f"{outcome.person.name} was added; temporary password (give it to them in person, "
            f"they change it at first sign-in): {outcome.temporary_password}"
        )

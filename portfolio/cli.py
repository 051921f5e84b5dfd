"""Command line: `flask --app portfolio <group> <command>`.

Every command is one unit of work (`portfolio.unit_of_work.command_boundary`): committed once
when it returns, rolled back when it fails, exiting non-zero with a message naming what was
wrong.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from portfolio import migrations
from portfolio.audit.services import snapshot_session, verify
from portfolio.commands import cli_auditor, organisation_named
from portfolio.core.roles import AccountRole, Nation
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.evidence.attachments import AttachmentStore
from portfolio.people import services as people_services
from portfolio.retention.services import write_private
from portfolio.unit_of_work import command_boundary


@click.group("db", help="The database schema (Alembic migrations).", cls=AppGroup)
def db_group() -> None:
    pass


@db_group.command("upgrade", help="Migrate the database to the newest schema (or REVISION).")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    migrations.upgrade(get_settings().database_url, revision)
    click.echo(f"Database upgraded to {revision}.")


@db_group.command("downgrade", help="Step the schema back to REVISION (for example -1).")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    migrations.downgrade(get_settings().database_url, revision)
    click.echo(f"Database downgraded to {revision}.")


@click.group("users", help="People's accounts.", cls=AppGroup)
def users_group() -> None:
    pass


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice([role.value for role in AccountRole]),
    help="An account role; repeat for several.",
)
@click.option(
    "--organisation",
    help="The organisation (trust) by name; optional when there is only one.",
)
@click.option(
    "--nation",
    type=click.Choice([nation.value for nation in Nation]),
    help="Creates the organisation in this nation if it does not exist yet.",
)
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Prompted for when not given.",
)
def users_create(
    email: str,
    name: str,
    roles: tuple[str, ...],
    organisation: str | None,
    nation: str | None,
    password: str,
) -> None:
    """Add a person who can sign in at once with the given password."""
    from portfolio.core.passwords import password_problem

    problem = password_problem(password, email=email, name=name)
    if problem:
        raise click.BadParameter(problem, param_hint="--password")
    auditor = cli_auditor()
    org = organisation_named(organisation, nation)
    if org is None:
        assert organisation is not None
        assert nation is not None
        org = people_services.create_organisation(auditor, organisation, Nation(nation))
    try:
        person, _ = people_services.create_person(
            auditor,
            org,
            people_services.PersonDetails(
                name=name, email=email, roles=frozenset(AccountRole(role) for role in roles)
            ),
            password=password,
        )
    except people_services.PersonError as error:
        raise click.ClickException(f"{error.field}: {error.message}") from error
    click.echo(f"Created {person.name} <{person.email}> in {org.name}.")


@click.group("audit", help="The tamper-evident audit trail.", cls=AppGroup)
def audit_group() -> None:
    pass


@audit_group.command("verify")
@click.option(
    "--anchor",
    "anchors",
    multiple=True,
    help="SEQ:HASH from an earlier `audit head`, kept outside the database; repeatable.",
)
def audit_verify(anchors: tuple[str, ...]) -> None:
    """Check every entry of the audit log against its keyed hash chain."""
    from portfolio.audit.chain import Anchor

    try:
        pinned = [Anchor.parse(item) for item in anchors]
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--anchor") from error
    session = snapshot_session(get_session())
    problem = verify(session, key=get_settings().audit_key_bytes, anchors=pinned)
    if problem is not None:
        click.echo(f"Audit log FAILED verification at {problem}", err=True)
        raise SystemExit(1)
    from portfolio.audit.models import AuditHead

    head = session.get(AuditHead, 1)
    click.echo(f"Audit log intact: {head.seq if head else 0} entries verified.")


@audit_group.command("head")
def audit_head() -> None:
    """Print the newest entry as SEQ:HASH, to keep outside the database as an anchor."""
    from portfolio.audit.models import AuditHead

    head = get_session().get(AuditHead, 1)
    if head is None or head.seq == 0:
        raise click.ClickException("the audit log is empty")
    click.echo(f"{head.seq}:{head.entry_hash}")


@click.group("frameworks", help="Competency frameworks: check and load the files.", cls=AppGroup)
def frameworks_group() -> None:
    pass


def _read_frameworks(path: Path | None):  # type: ignore[no-untyped-def]
    from portfolio.frameworks.files import SHIPPED, FrameworkFilesError, discover, read_set

    root = path or SHIPPED
    files = discover(root)
    if not files:
        raise click.ClickException(f"no framework files (.yaml) found in {root}")
    try:
        return read_set(files, Path.cwd())
    except FrameworkFilesError as error:
        for problem in error.errors:
            click.echo(str(problem), err=True)
        raise click.ClickException(
            f"{len(error.errors)} problem(s) found; nothing loaded"
        ) from error


@frameworks_group.command("validate")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
def frameworks_validate(path: Path | None) -> None:
    """Check framework files (default: competencies/) without touching the database."""
    framework_set = _read_frameworks(path)
    for parsed in framework_set.files:
        count = len(
            getattr(parsed.data, "competencies", getattr(parsed.data, "qualifications", []))
        )
        click.echo(
            f"{parsed.path}: {parsed.code} version {parsed.version} is valid ({count} items)"
        )


@frameworks_group.command("load")
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
def frameworks_load(path: Path | None) -> None:
    """Load framework files (default: competencies/): all of them or none."""
    from portfolio.frameworks import loading
    from portfolio.frameworks.files import FrameworkFilesError

    framework_set = _read_frameworks(path)
    try:
        results = loading.load(cli_auditor(), framework_set)
    except FrameworkFilesError as error:
        for problem in error.errors:
            click.echo(str(problem), err=True)
        raise click.ClickException("nothing loaded") from error
    for result in results:
        click.echo(str(result))


@click.group("demo", help="Demonstration data (never in production).", cls=AppGroup)
def demo_group() -> None:
    pass


@demo_group.command("load")
@click.option(
    "--sign-ins/--no-sign-ins",
    default=True,
    help="List the demo accounts afterwards (`make run` lists them once, as it serves).",
)
def demo_load(sign_ins: bool) -> None:
    """Load the demo trust, departments and people (skipped if already loaded)."""
    if not get_settings().demo_data_allowed:
        raise click.ClickException("demo data is refused under the production configuration")
    from portfolio import demo

    created = demo.load(cli_auditor())
    click.echo("Demo data loaded." if created else "Demo data was already loaded.")
    if sign_ins:
        click.echo(demo.sign_in_help())


@demo_group.command("sign-ins")
def demo_sign_ins() -> None:
    """Print the demo accounts and their password."""
    from portfolio import demo

    click.echo(demo.sign_in_help())


def _attachment_store() -> AttachmentStore:
    return AttachmentStore(get_settings().attachment_folder)


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(path: Path) -> None:
    """Write the database and the attachment files to one new archive at PATH (.tar.gz).

    Safe while the application runs: the tables are read in one snapshot. The archive holds
    personal data: store it encrypted.
    """
    from importlib.metadata import PackageNotFoundError, version

    from portfolio.backup.services import BackupError, take_backup
    from portfolio.core.clock import utcnow

    try:
        app_version = version("imaging-support-portfolio")
    except PackageNotFoundError:  # running from a source tree that was never installed
        app_version = "unknown"
    try:
        manifest = take_backup(
            current_app.extensions["engine"],
            _attachment_store(),
            path,
            key=get_settings().audit_key_bytes,
            app_version=app_version,
            now=utcnow(),
        )
    except BackupError as error:
        raise click.ClickException(f"backup not written: {error}") from error
    click.echo(
        f"Backed up {manifest.rows} rows from {len(manifest.tables)} tables and "
        f"{len(manifest.attachments)} attachment files to {path} "
        f"(schema {manifest.schema_revision}, audit head {manifest.audit_head or 'none'})."
    )


@click.command("restore")
@with_appcontext
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore_command(path: Path) -> None:
    """Bring back an archive from `backup` into an empty, migrated installation."""
    from portfolio.audit.chain import Anchor
    from portfolio.backup.services import BackupError, restore_backup

    key = get_settings().audit_key_bytes
    try:
        manifest = restore_backup(
            current_app.extensions["engine"], _attachment_store(), path, key=key
        )
    except BackupError as error:
        raise click.ClickException(f"nothing restored: {error}") from error
    click.echo(
        f"Restored {manifest.rows} rows into {len(manifest.tables)} tables and "
        f"{len(manifest.attachments)} attachment files from {path} "
        f"(taken {manifest.created_at} by version {manifest.app_version})."
    )
    anchors = [Anchor.parse(manifest.audit_head)] if manifest.audit_head else []
    problem = verify(snapshot_session(get_session()), key=key, anchors=anchors)
    if problem is not None:
        raise click.ClickException(f"restored, but the audit trail fails verification at {problem}")
    click.echo("Audit trail verified up to the archive's newest entry.")


_CSV = click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Also write the list to this CSV file (for Excel).",
)


@click.group("retention", help="Records kept past the retention settings.", cls=AppGroup)
def retention_group() -> None:
    pass


@retention_group.command("list")
@_CSV
@click.option(
    "--on",
    "on_date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Judge as on this day (YYYY-MM-DD); today when not given.",
)
def retention_list(csv_path: Path | None, on_date: dt.datetime | None) -> None:
    """List what is past retention (leavers, old audit entries, old sign-in attempts) for a
    person to decide on. Deletes nothing."""
    from portfolio.core.clock import today
    from portfolio.retention import services
    from portfolio.retention.rules import RetentionPeriods

    on = on_date.date() if on_date else today()
    items = services.retention_list(
        snapshot_session(get_session()), on, RetentionPeriods.from_settings(get_settings())
    )
    if csv_path is not None:
        _write_csv(csv_path, services.as_csv(items))
    for line in services.as_lines(items, on):
        click.echo(line)


def _write_csv(path: Path, content: bytes) -> None:  # readable by its owner only
    try:
        write_private(path, content)
    except OSError as error:
        raise click.ClickException(f"{path}: cannot be written ({error.strerror})") from error


report_group = AppGroup("report", help="Lists for a person to review.")


@report_group.command("above-ceiling")
@_CSV
def above_ceiling_report(csv_path: Path | None) -> None:
    """List sign-offs laxer than the worker's ceiling on the day observed. Changes nothing."""
    from portfolio.signoff import above_ceiling

    items = above_ceiling.above_ceiling(snapshot_session(get_session()))
    if csv_path is not None:
        _write_csv(csv_path, above_ceiling.as_csv(items))
    for line in above_ceiling.as_lines(items):
        click.echo(line)


def register_commands(app: Flask) -> None:
    from portfolio.api.cli import tokens_group
    from portfolio.leavers.cli import people_group as portfolio_commands
    from portfolio.onboarding.cli import people_group
    from portfolio.reckoner.cli import standing_command

    # One `people` group: importing a staff extract, and a person's portfolio out and in.
    for command in portfolio_commands.commands.values():
        people_group.add_command(command)

    for group in (
        db_group,
        users_group,
        audit_group,
        frameworks_group,
        demo_group,
        retention_group,
        report_group,
        people_group,
        tokens_group,
    ):
        app.cli.add_command(group)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(standing_command)
    _one_unit_of_work_each(app.cli)


def _one_unit_of_work_each(group: click.Group) -> None:
    for command in group.commands.values():
        if isinstance(command, click.Group):
            _one_unit_of_work_each(command)
        elif command.callback is not None:
            command.callback = command_boundary(command.callback)

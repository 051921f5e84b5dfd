"""Small pieces the command-line modules share (`portfolio.cli` and each feature's `cli.py`):
the auditor of the command line, and the organisation a command is about."""

from __future__ import annotations

import click
from sqlalchemy import select

from portfolio.audit.services import Auditor
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.people.models import Organisation


def cli_auditor() -> Auditor:
    return Auditor(get_session(), key=get_settings().audit_key_bytes, actor_id=None)


def organisation_named(name: str | None, nation: str | None) -> Organisation | None:
    session = get_session()
    if name:
        found = session.scalar(select(Organisation).where(Organisation.name == name))
        if found is None and nation is None:
            raise click.BadParameter(
                f"no organisation called {name!r}; add --nation to create it",
                param_hint="--organisation",
            )
        return found
    organisations = session.scalars(select(Organisation).limit(2)).all()
    if len(organisations) == 1:
        return organisations[0]
    raise click.BadParameter(
        "name the organisation (and --nation to create it)", param_hint="--organisation"
    )

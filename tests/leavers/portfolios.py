"""Moving a portfolio between trusts: the two trusts (built by the `trusts` fixture of
tests/leavers/conftest.py), and downloading, opening, editing and importing an export."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.core.clock import today
from portfolio.people.models import Organisation, User
from tests import factories


@dataclass
class Trusts:
    north: Organisation
    south: Organisation
    worker: User  # Robin Ash, moving from north to south
    colleague: User  # stays in north; nothing of theirs may leave with Robin
    supervisor: User
    north_admin: User
    south_admin: User
    decisions: dict[str, int]


def ago(days: int) -> dt.date:
    return today() - dt.timedelta(days=days)


def download(client: FlaskClient, person: User) -> bytes:
    """Sign in is the caller's; posts the export button and returns the ZIP's bytes."""
    token = factories.csrf_token(client, "/account")
    with client.post(f"/people/{person.id}/export", data={"csrf_token": token}) as response:
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        assert response.mimetype == "application/zip"
        return response.get_data()


def open_zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


NEW_EMAIL = "robin.ash@south.example"


def rewrite(data: bytes, changes: dict[str, bytes]) -> bytes:
    """The same ZIP with some files' contents replaced."""
    source = open_zip(data)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for name in source.namelist():
            target.writestr(name, changes.get(name, source.read(name)))
    return output.getvalue()


def edit_document(data: bytes, edit) -> bytes:  # type: ignore[no-untyped-def]
    document = json.loads(open_zip(data).read("portfolio.json"))
    edit(document)
    return rewrite(data, {"portfolio.json": json.dumps(document).encode()})


def post_import(client: FlaskClient, trusts: Trusts, data: bytes, **fields: str):  # type: ignore[no-untyped-def]
    if client.get("/sign-in").status_code == 200:  # not signed in yet
        factories.sign_in(client, trusts.south_admin)
    token = factories.csrf_token(client, "/people/import-portfolio")
    return client.post(
        "/people/import-portfolio",
        data={
            "csrf_token": token,
            "email": NEW_EMAIL,
            "file": (io.BytesIO(data), "portfolio.zip"),
            **fields,
        },
        content_type="multipart/form-data",
    )


def moved(session: Session) -> User:
    return session.scalars(select(User).where(User.email == NEW_EMAIL)).one()

"""The unit of work (`portfolio.unit_of_work`): each request, command and job commits once at
its boundary on success and rolls back on any error; a refused form saves nothing; jobs and
other effects wait for the commit and never follow a rollback. And nothing under `portfolio/`
but the unit of work and the outbox calls `commit()` or `rollback()`.
"""

from __future__ import annotations

import ast
import uuid
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from flask import Flask, abort, g
from flask.testing import FlaskClient
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from wtforms import StringField

from portfolio import create_app, unit_of_work
from portfolio.access import public
from portfolio.accounts.models import LinkPurpose
from portfolio.core.errors import FieldError
from portfolio.core.roles import Nation
from portfolio.db import get_session
from portfolio.extensions import csrf
from portfolio.jobs import links
from portfolio.people.models import Organisation
from portfolio.web import save_or_refuse

PACKAGE = Path(__file__).resolve().parent.parent / "portfolio"
# The only modules that may end a transaction themselves: the unit of work, and the outbox
# (which commits after each step so that no transaction is open while the mail server answers),
# and the rate limiter's storage (a failed token check counts although the request is refused).
# scripts/shape.py's TRANSACTION_MODULES names the same three.
MAY_COMMIT = {"unit_of_work.py", "notices/mail.py", "ratelimit/storage.py"}


def _ends_a_transaction(tree: ast.AST) -> list[int]:
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"commit", "rollback"}
    ]


def test_only_the_unit_of_work_and_the_outbox_commit_or_roll_back() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(PACKAGE).as_posix()
        if name in MAY_COMMIT:
            continue
        found += [
            f"portfolio/{name}:{line}" for line in _ends_a_transaction(ast.parse(path.read_text()))
        ]
    assert found == [], "commit() or rollback() outside the unit of work: " + ", ".join(found)


def test_the_check_finds_a_commit_however_it_is_reached() -> None:
    code = "get_session().commit()\nsession.rollback()\nsavepoint.commit()\nx.commits()\n"
    assert _ends_a_transaction(ast.parse(code)) == [1, 2, 3]


# The boundary itself, on an app of its own with routes made for the purpose (routes cannot be
# added to the shared app once it has answered a request), rolled back after every test.

calls: list[str] = []


class _Form(FlaskForm):
    name = StringField()

    class Meta:
        csrf = False


def _add(name: str) -> None:
    get_session().add(Organisation(name=name, nation=Nation.ENGLAND))
    get_session().flush()


def _build_app(database_url: str, instance: Path) -> Flask:
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PORTFOLIO_INSTANCE_PATH", str(instance))
        app = create_app("testing", database_url=database_url)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # an error becomes the 500 page, as in production

    def route(rule: str, methods: tuple[str, ...] = ("POST",)):  # type: ignore[no-untyped-def]
        def register(view):  # type: ignore[no-untyped-def]
            app.add_url_rule(rule, view.__name__, csrf.exempt(public(view)), methods=list(methods))
            return view

        return register

    @route("/uow/<name>/ok")
    def ok(name: str) -> str:
        _add(name)
        unit_of_work.after_commit(lambda: calls.append(f"after commit: {_in_transaction()}"))
        unit_of_work.on_rollback(lambda: calls.append("rolled back"))
        return "saved"

    @route("/uow/<name>/redirect")
    def redirected(name: str) -> tuple[str, int, dict[str, str]]:
        _add(name)
        return "", 303, {"Location": "/"}

    @route("/uow/<name>/boom")
    def boom(name: str) -> str:
        _add(name)
        unit_of_work.after_commit(lambda: calls.append("after commit"))
        unit_of_work.on_rollback(lambda: calls.append("rolled back"))
        raise RuntimeError("a bug")

    @route("/uow/<name>/not-found")
    def not_found(name: str) -> str:
        _add(name)
        abort(404)

    @route("/uow/<name>/error-answer")
    def error_answer(name: str) -> tuple[str, int]:
        _add(name)
        return "refused", 409

    @route("/uow/<name>/refused")
    def refused(name: str) -> str:
        form = _Form()

        def act() -> None:
            _add(name)
            raise FieldError("name", "Refused by the service")

        unit_of_work.after_commit(lambda: calls.append("after commit"))
        assert save_or_refuse(form, act, "name") is None
        calls.append(f"after doom: {_in_transaction()}")
        _add(f"{name}-after")  # whatever follows a refusal is not saved either
        return "the form again"

    @route("/uow/<name>/kept")
    def kept(name: str) -> str:
        _add(name)  # a failed password check, say
        unit_of_work.keep_despite_refusal()
        abort(422)

    @route("/uow/<name>/kept-then-boom")
    def kept_then_boom(name: str) -> str:
        _add(name)
        unit_of_work.keep_despite_refusal()
        raise RuntimeError("a bug")

    @route("/uow/<name>/invite")
    def invite(name: str) -> str:
        _add(name)
        links.send_password_link(app, LinkPurpose.INVITATION, user_id=1)
        if name.endswith("refused"):
            unit_of_work.doom()
        return "queued"

    @route("/uow/<name>/read", methods=("GET",))
    def read(name: str) -> str:
        return str(get_session().scalar(select(Organisation.id).where(Organisation.name == name)))

    return app


def _in_transaction() -> bool:
    session: Session | None = g.get("db_session")
    return session is not None and session.in_transaction()


@pytest.fixture(scope="module")
def uow_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    app = _build_app(database_url, tmp_path_factory.mktemp("uow-instance"))
    yield app
    app.extensions["engine"].dispose()


@pytest.fixture
def db(uow_app: Flask) -> Iterator[Session]:
    """As the shared `session` fixture: requests join the test's transaction with savepoints,
    so a request's commit is seen here and everything vanishes after the test."""
    connection = uow_app.extensions["engine"].connect()
    transaction = connection.begin()
    original = uow_app.extensions["sessionmaker"]
    bound = sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )
    uow_app.extensions["sessionmaker"] = bound
    calls.clear()
    test_session = bound()
    try:
        yield test_session
    finally:
        test_session.close()
        uow_app.extensions["sessionmaker"] = original
        transaction.rollback()
        connection.close()


@pytest.fixture
def client(uow_app: Flask, db: Session) -> FlaskClient:
    return uow_app.test_client()


def _saved(db: Session, name: str) -> bool:
    return db.scalar(select(Organisation.id).where(Organisation.name == name)) is not None


def _name() -> str:
    return f"Trust {uuid.uuid4().hex[:8]}"


def test_a_request_that_answers_commits_once_then_runs_what_waited_for_the_commit(
    client: FlaskClient, db: Session
) -> None:
    name = _name()
    assert client.post(f"/uow/{name}/ok").status_code == 200
    assert _saved(db, name)
    assert calls == ["after commit: False"]  # no transaction open when it runs


def test_a_redirect_is_a_success(client: FlaskClient, db: Session) -> None:
    name = _name()
    assert client.post(f"/uow/{name}/redirect").status_code == 303
    assert _saved(db, name)


def test_an_exception_rolls_back_and_nothing_waiting_for_the_commit_runs(
    client: FlaskClient, db: Session
) -> None:
    name = _name()
    assert client.post(f"/uow/{name}/boom").status_code == 500
    assert not _saved(db, name)
    assert calls == ["rolled back"]


def test_an_exception_no_handler_answers_rolls_back_too(
    uow_app: Flask, client: FlaskClient, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under test the error reaches the test (no 500 page): the app context's end rolls back."""
    monkeypatch.setitem(uow_app.config, "PROPAGATE_EXCEPTIONS", True)
    name = _name()
    with pytest.raises(RuntimeError, match="a bug"):
        client.post(f"/uow/{name}/boom")
    assert not _saved(db, name)
    assert calls == ["rolled back"]


def test_an_http_error_rolls_back(client: FlaskClient, db: Session) -> None:
    name = _name()
    assert client.post(f"/uow/{name}/not-found").status_code == 404
    assert not _saved(db, name)


def test_an_error_answer_rolls_back_even_when_returned(client: FlaskClient, db: Session) -> None:
    name = _name()
    assert client.post(f"/uow/{name}/error-answer").status_code == 409
    assert not _saved(db, name)


def test_a_refused_form_saves_nothing_and_shows_what_is_saved(
    client: FlaskClient, db: Session
) -> None:
    name = _name()
    response = client.post(f"/uow/{name}/refused")
    assert response.status_code == 200  # the form again, with the refusal on it
    assert not _saved(db, name)
    assert not _saved(db, f"{name}-after")
    assert calls == ["after doom: False"]  # rolled back at once; nothing ran after a commit


def test_a_refusal_may_keep_what_it_counted(client: FlaskClient, db: Session) -> None:
    name = _name()
    assert client.post(f"/uow/{name}/kept").status_code == 422
    assert _saved(db, name)


def test_keeping_never_keeps_through_an_exception(client: FlaskClient, db: Session) -> None:
    name = _name()
    assert client.post(f"/uow/{name}/kept-then-boom").status_code == 500
    assert not _saved(db, name)


def test_a_job_is_queued_only_after_the_commit_and_never_after_a_rollback(
    uow_app: Flask, client: FlaskClient, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    queued: list[tuple[str, bool]] = []

    def task(purpose: str, **_: object) -> None:
        queued.append((purpose, _in_transaction()))

    monkeypatch.setitem(uow_app.extensions, links._TASK, task)
    assert client.post(f"/uow/{_name()}-refused/invite").status_code == 200
    assert queued == []
    assert client.post(f"/uow/{_name()}/invite").status_code == 200
    assert queued == [("invitation", False)]


def test_a_read_only_request_sees_what_an_earlier_one_saved(
    client: FlaskClient, db: Session
) -> None:
    name = _name()
    client.post(f"/uow/{name}/ok")
    assert client.get(f"/uow/{name}/read").get_data(as_text=True) != "None"


def _command(app: Flask, *, fail: bool) -> click.Command:
    @click.command("uow-test")
    @click.argument("name")
    def command(name: str) -> None:
        _add(name)
        unit_of_work.after_commit(lambda: calls.append("after commit"))
        if fail:
            raise click.ClickException("refused")

    command.callback = unit_of_work.command_boundary(command.callback)  # type: ignore[arg-type]
    return command


def test_a_command_commits_when_it_returns(uow_app: Flask, db: Session) -> None:
    name = _name()
    result = uow_app.test_cli_runner().invoke(_command(uow_app, fail=False), [name])
    assert result.exit_code == 0, result.output
    assert _saved(db, name)
    assert calls == ["after commit"]


def test_a_command_that_fails_saves_nothing(uow_app: Flask, db: Session) -> None:
    name = _name()
    result = uow_app.test_cli_runner().invoke(_command(uow_app, fail=True), [name])
    assert result.exit_code == 1
    assert not _saved(db, name)
    assert calls == []


def test_every_registered_command_runs_in_a_unit_of_work(uow_app: Flask) -> None:
    def leaves(group: click.Group) -> Iterator[click.Command]:
        for command in group.commands.values():
            if isinstance(command, click.Group):
                yield from leaves(command)
            else:
                yield command

    commands = list(leaves(uow_app.cli))
    assert len(commands) > 10
    assert [c.name for c in commands if not getattr(c.callback, "unit_of_work", False)] == []


def _fail_in_a_transaction(name: str) -> None:
    with unit_of_work.transaction():
        _add(name)
        unit_of_work.after_commit(lambda: calls.append("never"))
        raise RuntimeError("a bug")


def test_a_job_step_commits_rolls_back_and_does_not_nest(uow_app: Flask, db: Session) -> None:
    saved, failed, doomed = _name(), _name(), _name()
    with uow_app.app_context():
        with unit_of_work.transaction():
            _add(saved)
            unit_of_work.after_commit(lambda: calls.append("after commit"))
        with pytest.raises(RuntimeError, match="a bug"):
            _fail_in_a_transaction(failed)
        with unit_of_work.transaction():
            _add(doomed)
            unit_of_work.doom()
        with unit_of_work.transaction(), pytest.raises(RuntimeError, match="do not nest"):
            unit_of_work.transaction().__enter__()
        with pytest.raises(RuntimeError, match="outside a unit of work"):
            unit_of_work.after_commit(lambda: None)
    assert (_saved(db, saved), _saved(db, failed), _saved(db, doomed)) == (True, False, False)
    assert calls == ["after commit"]

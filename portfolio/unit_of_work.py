"""The unit of work: one transaction per request, per command and per job, committed once by
the boundary that opened it. Views, API handlers, commands and services never commit or roll
back: services flush, and the boundary decides (as indico's request handler and pyramid_tm do).

The boundaries:
- **A request** (pages and API; `init_app`) commits after the view has answered, when the
  answer is not an error and nothing doomed the work; an answer of 400 or more, or an
  exception, rolls everything back. A refused form (a service raised `FieldError`, a possible
  patient identifier, a race lost) calls `doom()`: what it began is rolled back at once, so
  the page shown again reads what is saved, and the boundary rolls back whatever follows.
- **A command** (`command_boundary`, applied to every `flask` command) and **a job**
  (`transaction()`) commit when they return and roll back on any exception.

Effects outside the database wait for the outcome: `after_commit` runs a callback (queuing a
job, say) once the work is committed and never after a rollback; `on_rollback` runs one
(removing a stored file, say) when the work is rolled back. Emails are rows in the outbox
(`portfolio.notices.mail`), written in the same transaction and sent by a job.

The exceptions, each named here and nowhere else:
- `keep_despite_refusal()`: a refusal that still keeps what was done, for the API's failed
  password checks, which must count although the answer is 422 (a page's failed check
  answers 200 with the form again, and is kept as any other answer is).
- `separate_transaction()`: bookkeeping committed on its own, whatever the request's answer
  (the API's failed-token count and a token's last use, `api.auth.apart`; the record of a
  CSV download made by a GET, `api.cohort`).
- `transaction()` used several times by one job, for jobs that must not hold a transaction
  open while they wait on something slow (the cohort export renders a PDF between a read and
  a write; a link's email is sent between issuing the link and recording the outcome).
- `reading()`: a read-only step of such a job, always rolled back.
- The outbox (`portfolio.notices.mail.send_pending`) commits after each step, so that no
  transaction is open while the mail server answers.
- Backup and restore read and write through the engine's own connections.
- Savepoints (`session.begin_nested()` as a context manager) inside services, for races.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from portfolio.db import get_session, reading_only, writing

__all__ = [
    "after_commit",
    "command_boundary",
    "doom",
    "init_app",
    "keep_despite_refusal",
    "on_rollback",
    "reading",
    "separate_transaction",
    "transaction",
]

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class _State:
    """What the unit of work of this app context (a request, a command, a job) has to do."""

    open: bool = False
    doomed: bool = False
    kept: bool = False
    after_commit: list[Callable[[], object]] = field(default_factory=list)
    on_rollback: list[Callable[[], object]] = field(default_factory=list)


def _state() -> _State:
    if "unit_of_work" not in g:
        g.unit_of_work = _State()
    state: _State = g.unit_of_work
    return state


def _session() -> Session | None:
    """The session if this app context has opened one (never opens one just to end it)."""
    session: Session | None = g.get("db_session")
    return session


def doom() -> None:
    """Nothing of this unit of work is saved: roll back what it began now (so what is shown
    next reads only what is saved) and make the boundary roll back whatever follows."""
    state = _state()
    state.doomed = True
    _roll_back(state)


def keep_despite_refusal() -> None:
    """Keep what this request has done so far although it answers with a refusal (a 4xx):
    a failed password check must count even though the API then answers 422. A 5xx, an
    exception the request does not answer itself, or `doom()` still rolls back."""
    _state().kept = True


def after_commit(callback: Callable[[], object]) -> None:
    """Run `callback` once this unit of work is committed, with no transaction open; never if
    it rolls back. For effects that must not happen unless the work is saved, such as queuing
    a job that reads what the work wrote."""
    state = _state()
    if not state.open:
        raise RuntimeError("after_commit outside a unit of work: nothing would ever run it")
    state.after_commit.append(callback)


def on_rollback(callback: Callable[[], object]) -> None:
    """Run `callback` if this unit of work is rolled back (after the rollback), such as
    removing a file stored for a record that will not exist."""
    _state().on_rollback.append(callback)


def _roll_back(state: _State) -> None:
    session = _session()
    if session is not None:
        session.rollback()
    state.after_commit.clear()
    undo, state.on_rollback = state.on_rollback, []
    for callback in undo:
        callback()


def _commit(state: _State) -> None:
    session = _session()
    if session is not None:
        try:
            session.commit()
        except BaseException:
            _roll_back(state)
            raise
    state.on_rollback.clear()
    callbacks, state.after_commit = state.after_commit, []
    for callback in callbacks:
        callback()
        if session is not None and session.in_transaction():
            session.rollback()  # a callback's reads: no transaction stays open for the next


def _finish(*, commit: bool) -> None:
    state = _state()
    try:
        if commit and not state.doomed:
            _commit(state)
        else:
            _roll_back(state)
    finally:
        g.unit_of_work = _State(open=state.open)


@contextmanager
def transaction() -> Iterator[Session]:
    """One unit of work for a command or a job: commit when the block ends, roll back if it
    raises (or was doomed), then run the after-commit callbacks."""
    state = _state()
    if state.open:
        raise RuntimeError("a unit of work is already open here: units of work do not nest")
    state.open = True
    try:
        try:
            yield get_session()
        except BaseException:
            _finish(commit=False)
            raise
        _finish(commit=True)
    finally:
        _state().open = False


@contextmanager
def reading() -> Iterator[Session]:
    """A read-only step of a job: a deferred transaction on SQLite, always rolled back."""
    state = _state()
    if state.open:
        raise RuntimeError("a unit of work is already open here: units of work do not nest")
    state.open = True
    try:
        with reading_only():
            yield get_session()
    finally:
        _finish(commit=False)
        _state().open = False


@contextmanager
def separate_transaction() -> Iterator[Session]:
    """A short session of its own, committed at once (or rolled back if the block raises),
    in a write transaction even during a GET. Only where the request's own transaction holds
    no write lock (before it begins, or in a GET, which reads in a deferred transaction): on
    SQLite a second writer waits for the first."""
    with writing(), current_app.extensions["sessionmaker"]() as session:
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        session.commit()


def command_boundary(callback: F) -> F:
    """Run a command's callback in one unit of work (see `transaction`), inside the app
    context (pushed here if the command has not pushed it yet). Applying it twice is
    harmless: the commands are module-level objects shared by every app made."""
    if getattr(callback, "unit_of_work", False):
        return callback

    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        with transaction():
            return callback(*args, **kwargs)

    bounded = with_appcontext(run)
    bounded.unit_of_work = True  # type: ignore[attr-defined]
    return bounded  # type: ignore[return-value]


def init_app(app: Flask) -> None:
    """The request boundary. Call right after `db.init_app`: hooks after a request run last
    registered first, so this commit comes after every other check of the answer (the one
    that a route asked the policy among them)."""

    @app.before_request
    def _open() -> None:
        _state().open = True

    @app.after_request
    def _commit_or_roll_back(response: Response) -> Response:
        status = response.status_code
        kept = _state().kept and status < 500
        _finish(commit=status < 400 or kept)
        return response

    @app.teardown_appcontext
    def _roll_back_unfinished(error: BaseException | None) -> None:
        """An exception no handler answered (or a request that never reached its answer):
        nothing it did is saved. Runs before the session is closed (registered after it)."""
        state: _State | None = g.get("unit_of_work")
        if state is not None and (state.after_commit or state.on_rollback or _pending()):
            _roll_back(state)
        g.pop("unit_of_work", None)


def _pending() -> bool:
    session = _session()
    return session is not None and session.in_transaction()

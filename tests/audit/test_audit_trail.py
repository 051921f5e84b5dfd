"""The stored audit trail: tampering in the database is found by `audit verify`, the
database refuses rewrites, and concurrent appends never fork the chain (both engines)."""

from __future__ import annotations

import threading

import pytest
from flask import Flask
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from portfolio import create_app, migrations
from portfolio.audit.services import record, verify
from portfolio.db import make_engine
from tests import factories
from tests.support.databases import ENGINE

KEY = factories.AUDIT_KEY


def _allow_tampering(session: Session) -> None:
    """What an intruder with the table owner's rights would do first."""
    if ENGINE == "postgresql":
        session.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER USER"))
    else:
        session.execute(text("DROP TRIGGER audit_entries_no_update"))
        session.execute(text("DROP TRIGGER audit_entries_no_delete"))


def _log_of_five(session: Session) -> list[int]:
    org = factories.organisation(session)
    for _ in range(2):
        factories.department(session, org)
    factories.person(session, org)  # person.created
    seqs = list(session.execute(text("SELECT seq FROM audit_entries ORDER BY seq")).scalars())
    assert len(seqs) >= 4
    assert verify(session, key=KEY) is None
    return seqs


def test_an_untouched_log_verifies(session: Session) -> None:
    _log_of_five(session)
    assert verify(session, key=KEY) is None


def test_the_database_refuses_to_update_or_delete_entries(session: Session) -> None:
    _log_of_five(session)
    for statement in (
        "UPDATE audit_entries SET action = 'forged'",
        "DELETE FROM audit_entries",
    ):
        nested = session.begin_nested()
        with pytest.raises(Exception, match="append-only"):
            session.execute(text(statement))
        nested.rollback()


def test_an_edited_entry_is_found(session: Session) -> None:
    seqs = _log_of_five(session)
    _allow_tampering(session)
    session.execute(
        text("UPDATE audit_entries SET changes = '{}' WHERE seq = :seq"), {"seq": seqs[1]}
    )
    problem = verify(session, key=KEY)
    assert problem is not None
    assert problem.seq == seqs[1]


def test_deleting_the_newest_entries_is_found(session: Session) -> None:
    seqs = _log_of_five(session)
    _allow_tampering(session)
    session.execute(text("DELETE FROM audit_entries WHERE seq >= :seq"), {"seq": seqs[-2]})
    problem = verify(session, key=KEY)
    assert problem is not None
    assert problem.seq == seqs[-2]


def test_reordering_entries_is_found(session: Session) -> None:
    seqs = _log_of_five(session)
    _allow_tampering(session)
    # Swap two entries' positions (the unique constraint needs a parking place).
    session.execute(text("UPDATE audit_entries SET seq = -1 WHERE seq = :a"), {"a": seqs[1]})
    session.execute(
        text("UPDATE audit_entries SET seq = :a WHERE seq = :b"), {"a": seqs[1], "b": seqs[2]}
    )
    session.execute(text("UPDATE audit_entries SET seq = :b WHERE seq = -1"), {"b": seqs[2]})
    assert verify(session, key=KEY) is not None


def test_rechaining_without_the_key_is_found(session: Session) -> None:
    _log_of_five(session)
    _allow_tampering(session)
    # Rewrite the whole chain consistently, but with a key the intruder made up.
    rows = session.execute(text("SELECT id FROM audit_entries ORDER BY seq")).scalars().all()
    session.execute(text("DELETE FROM audit_entries"))
    session.execute(text("UPDATE audit_heads SET seq = 0, entry_hash = '', signature = ''"))
    for _ in rows:
        record(
            session,
            key=b"made-up-key",
            actor_id=None,
            organisation_id=None,
            action="forged",
            subject_type="user",
            subject_id=1,
        )
    problem = verify(session, key=KEY)
    assert problem is not None
    assert problem.seq == 1


def test_emptying_the_log_is_found(session: Session) -> None:
    _log_of_five(session)
    _allow_tampering(session)
    session.execute(text("DELETE FROM audit_entries"))
    session.execute(text("UPDATE audit_heads SET seq = 0, entry_hash = '', signature = ''"))
    assert verify(session, key=KEY) is not None


def test_free_text_is_not_copied_into_the_log(session: Session) -> None:
    org = factories.organisation(session)
    factories.person(session, org, name="Florence Nightingale", email="fn@trust.example")
    logged = " ".join(session.execute(text("SELECT changes FROM audit_entries")).scalars())
    assert "Florence" not in logged
    assert "fn@trust.example" not in logged


@pytest.mark.commits
def test_concurrent_appends_never_fork_the_chain(fresh_database_url: str) -> None:
    migrations.upgrade(fresh_database_url)
    engine = make_engine(fresh_database_url)
    make_session = sessionmaker(bind=engine)
    threads, per_thread, errors = 6, 15, []
    start = threading.Barrier(threads)

    def append_many() -> None:
        start.wait()
        for _ in range(per_thread):
            with make_session() as own:
                try:
                    record(
                        own,
                        key=KEY,
                        actor_id=None,
                        organisation_id=None,
                        action="test.append",
                        subject_type="test",
                        subject_id=1,
                    )
                    own.commit()
                except Exception as error:
                    errors.append(error)

    workers = [threading.Thread(target=append_many) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    with make_session() as check:
        seqs = check.execute(text("SELECT seq FROM audit_entries ORDER BY seq")).scalars().all()
        assert errors == []
        assert seqs == list(range(1, threads * per_thread + 1))
        assert verify(check, key=KEY) is None
    engine.dispose()


@pytest.mark.commits
def test_audit_verify_command_exits_non_zero_naming_the_first_bad_entry(
    fresh_database_url: str,
) -> None:
    migrations.upgrade(fresh_database_url)
    app: Flask = create_app("testing", database_url=fresh_database_url)
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "a@trust.example",
            "--name",
            "Ada Admin",
            "--role",
            "admin",
            "--organisation",
            "Verify Trust",
            "--nation",
            "england",
            "--password",
            "a-long-enough-password",
        ],
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0
    assert "intact" in result.output
    anchor = runner.invoke(args=["audit", "head"]).output.strip()
    assert runner.invoke(args=["audit", "verify", "--anchor", anchor]).exit_code == 0
    bad = runner.invoke(args=["audit", "verify", "--anchor", "nonsense"])
    assert bad.exit_code == 2
    assert "--anchor" in bad.output

    engine = make_engine(fresh_database_url)
    with engine.begin() as connection:
        if ENGINE == "postgresql":
            connection.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER USER"))
        else:
            connection.execute(text("DROP TRIGGER audit_entries_no_update"))
        connection.execute(text("UPDATE audit_entries SET action = 'forged' WHERE seq = 2"))
    engine.dispose()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "entry 2" in result.output
    app.extensions["engine"].dispose()


def test_an_anchor_kept_elsewhere_catches_a_restored_older_head(session: Session) -> None:
    from portfolio.audit.chain import Anchor

    seqs = _log_of_five(session)
    newest = session.execute(
        text("SELECT seq, entry_hash FROM audit_entries WHERE seq = :s"), {"s": seqs[-1]}
    ).one()
    anchor = Anchor(newest.seq, newest.entry_hash)
    assert verify(session, key=KEY, anchors=[anchor]) is None
    # The intruder saved the head as it was one entry earlier, then deletes the newest
    # entry and puts that head back: the chain and the head agree again...
    earlier = session.execute(
        text("SELECT seq, entry_hash FROM audit_entries WHERE seq = :s"), {"s": seqs[-2]}
    ).one()
    from portfolio.audit.chain import head_signature

    saved_signature = head_signature(KEY, earlier.seq, earlier.entry_hash)  # as stored then
    _allow_tampering(session)
    session.execute(text("DELETE FROM audit_entries WHERE seq = :s"), {"s": seqs[-1]})
    session.execute(
        text("UPDATE audit_heads SET seq = :s, entry_hash = :h, signature = :g"),
        {"s": earlier.seq, "h": earlier.entry_hash, "g": saved_signature},
    )
    assert verify(session, key=KEY) is None  # ...which the database alone cannot tell
    problem = verify(session, key=KEY, anchors=[anchor])
    assert problem is not None
    assert problem.seq == seqs[-1]


def test_an_anchor_that_does_not_match_is_reported(session: Session) -> None:
    from portfolio.audit.chain import Anchor

    seqs = _log_of_five(session)
    problem = verify(session, key=KEY, anchors=[Anchor(seqs[1], "f" * 64)])
    assert problem is not None
    assert problem.seq == seqs[1]

"""The hash chain as pure functions: any change to any entry is found."""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from portfolio.audit.chain import (
    GENESIS_HASH,
    ChainedEntry,
    entry_hash,
    find_first_problem,
    head_signature,
)

KEY = b"k" * 32


def build(count: int, key: bytes = KEY) -> tuple[list[ChainedEntry], str, str]:
    entries = []
    previous = GENESIS_HASH
    for seq in range(1, count + 1):
        fields = {
            "seq": seq,
            "recorded_at": dt.datetime(2026, 3, 3, 9, seq % 60, tzinfo=dt.UTC),
            "actor_id": seq % 3 or None,
            "organisation_id": 1,
            "action": "person.updated",
            "subject_type": "user",
            "subject_id": str(seq),
            "changes": '{"active":[true,false]}',
            "prev_hash": previous,
        }
        digest = entry_hash(key, **fields)  # type: ignore[arg-type]
        entries.append(ChainedEntry(**fields, entry_hash=digest))  # type: ignore[arg-type]
        previous = digest
    return entries, previous, head_signature(key, count, previous)


def verify(entries: list[ChainedEntry], head_seq: int, head_hash: str, sig: str):  # type: ignore[no-untyped-def]
    return find_first_problem(KEY, entries, head_seq, head_hash, sig)


def test_an_intact_chain_verifies() -> None:
    entries, newest, sig = build(5)
    assert verify(entries, 5, newest, sig) is None


def test_an_empty_new_installation_verifies() -> None:
    assert verify([], 0, "", "") is None


@given(
    count=st.integers(min_value=1, max_value=12),
    data=st.data(),
    field=st.sampled_from(["action", "subject_id", "changes", "actor_id", "recorded_at"]),
)
def test_editing_any_field_of_any_entry_is_found_at_that_entry(
    count: int, data: st.DataObject, field: str
) -> None:
    entries, newest, sig = build(count)
    index = data.draw(st.integers(min_value=0, max_value=count - 1))
    original = getattr(entries[index], field)
    if field == "recorded_at":
        changed = original + dt.timedelta(seconds=1)
    elif field == "actor_id":
        changed = (original or 0) + 7
    else:
        changed = original + "x"
    entries[index] = dataclasses.replace(entries[index], **{field: changed})
    problem = verify(entries, count, newest, sig)
    assert problem is not None
    assert problem.seq == index + 1


def test_deleting_the_newest_entry_is_found() -> None:
    entries, newest, sig = build(4)
    problem = verify(entries[:-1], 4, newest, sig)
    assert problem is not None
    assert problem.seq == 4


def test_moving_the_head_back_without_the_key_is_found() -> None:
    entries, _, _ = build(4)
    shorter = entries[:-1]
    # Point the head at the new last entry; without the key the signature cannot follow.
    problem = verify(shorter, 3, shorter[-1].entry_hash, head_signature(b"guess" * 7, 3, "x"))
    assert problem is not None


def test_reordering_entries_is_found() -> None:
    entries, newest, sig = build(4)
    entries[1], entries[2] = entries[2], entries[1]
    problem = verify(entries, 4, newest, sig)
    assert problem is not None
    assert problem.seq == 3  # the first entry out of place


def test_rechaining_with_another_key_is_found_at_the_first_entry() -> None:
    forged, newest, _ = build(4, key=b"not-the-key" * 3)
    problem = verify(forged, 4, newest, head_signature(b"not-the-key" * 3, 4, newest))
    assert problem is not None
    assert problem.seq == 1

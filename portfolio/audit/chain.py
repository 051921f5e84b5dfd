"""The hash chain itself, as pure functions over plain values (no database, no Flask).

Each entry's hash is an HMAC-SHA256, keyed with the audit key, over the entry's fields and
the previous entry's hash. Anyone without the key can read the log but cannot rewrite it
and produce hashes that verify.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64


def canonical_json(value: Mapping[str, Any]) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


@dataclass(frozen=True)
class ChainedEntry:
    seq: int
    recorded_at: dt.datetime
    actor_id: int | None
    organisation_id: int | None
    action: str
    subject_type: str
    subject_id: str
    changes: str
    prev_hash: str
    entry_hash: str


def _timestamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(
    key: bytes,
    *,
    seq: int,
    recorded_at: dt.datetime,
    actor_id: int | None,
    organisation_id: int | None,
    action: str,
    subject_type: str,
    subject_id: str,
    changes: str,
    prev_hash: str,
) -> str:
    message = json.dumps(
        [
            seq,
            _timestamp(recorded_at),
            actor_id,
            organisation_id,
            action,
            subject_type,
            subject_id,
            changes,
            prev_hash,
        ],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def head_signature(key: bytes, seq: int, newest_hash: str) -> str:
    return hmac.new(key, f"head:{seq}:{newest_hash}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Problem:
    seq: int | None
    reason: str

    def __str__(self) -> str:
        where = f"entry {self.seq}" if self.seq is not None else "chain head"
        return f"{where}: {self.reason}"


@dataclass(frozen=True)
class Anchor:
    """An entry's position and hash, written down outside the database (see `audit head`).

    The signed head catches deleting the newest entries, unless someone with database access
    also puts back an older head they saved; an anchor kept elsewhere catches that too.
    """

    seq: int
    entry_hash: str

    @classmethod
    def parse(cls, text: str) -> Anchor:
        seq, _, digest = text.partition(":")
        if not seq.isdigit() or len(digest) != 64:
            raise ValueError("an anchor is SEQ:HASH, as printed by `audit head`")
        return cls(int(seq), digest)


def find_first_problem(
    key: bytes,
    entries: Iterable[ChainedEntry],
    head_seq: int,
    head_hash: str,
    head_sig: str,
    anchors: Iterable[Anchor] = (),
) -> Problem | None:
    """The first thing wrong with the chain, or None when it is intact.

    `entries` must come in stored order (by seq). Checks, in order: numbering has no gap or
    repeat, each entry points at its predecessor, each hash is what the key gives for its
    fields, and the signed head names the last entry (so dropping the newest is noticed).
    """
    expected_seq = 1
    previous = GENESIS_HASH
    pinned = {anchor.seq: anchor.entry_hash for anchor in anchors}
    for entry in entries:
        if entry.seq != expected_seq:
            return Problem(entry.seq, f"expected entry {expected_seq} here (missing or moved)")
        if not hmac.compare_digest(entry.prev_hash, previous):
            return Problem(entry.seq, "does not follow the previous entry (reordered or removed)")
        recomputed = entry_hash(
            key,
            seq=entry.seq,
            recorded_at=entry.recorded_at,
            actor_id=entry.actor_id,
            organisation_id=entry.organisation_id,
            action=entry.action,
            subject_type=entry.subject_type,
            subject_id=entry.subject_id,
            changes=entry.changes,
            prev_hash=entry.prev_hash,
        )
        if not hmac.compare_digest(entry.entry_hash, recomputed):
            return Problem(entry.seq, "its contents do not match its hash (edited or re-chained)")
        if entry.seq in pinned and not hmac.compare_digest(pinned.pop(entry.seq), entry.entry_hash):
            return Problem(entry.seq, "differs from the anchor recorded outside the database")
        previous = entry.entry_hash
        expected_seq += 1
    if pinned:
        return Problem(
            min(pinned), "missing, though an anchor recorded outside the database has it"
        )
    newest = expected_seq - 1
    if head_seq == 0 and newest == 0 and not head_sig:
        return None  # a new installation: nothing recorded yet
    if not hmac.compare_digest(head_sig, head_signature(key, head_seq, head_hash)):
        return Problem(None, "the head's signature is wrong (altered without the key)")
    if head_seq != newest or not hmac.compare_digest(head_hash, previous):
        if head_seq > newest:
            return Problem(newest + 1, f"missing: the head says the log ends at entry {head_seq}")
        return Problem(head_seq + 1, "not recorded by the head (appended without the key)")
    return None

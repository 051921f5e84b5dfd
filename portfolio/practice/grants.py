"""Entitlements and designations alone, as at a date, for many people in one statement:
what "Competent, not entitled" rests on in the tables that list statuses (the matrix, home,
the PDF). The whole practice facts, with who granted each, are `practice.queries.facts_for`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Date,
    Executable,
    Row,
    Select,
    String,
    bindparam,
    cast,
    func,
    literal,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from portfolio.frameworks.practice_terms import DesignationKind, EntitlementKind, Modality
from portfolio.people.models import User
from portfolio.practice.models import (
    Designation,
    DesignationVersion,
    EntitlementExamination,
    EntitlementVersion,
    IrmerEntitlement,
)
from portfolio.standing import facts


@dataclass(frozen=True, kw_only=True)
class PracticeFacts:
    """What the engine's `PersonFacts` takes from the practice records, for one person on one
    date (`practice.queries.facts_for`; the grants alone: `grants_for`)."""

    entitlements: tuple[facts.Entitlement, ...] = ()
    designations: tuple[facts.Designation, ...] = ()
    preceptorships: tuple[facts.Preceptorship, ...] = ()
    site: facts.Site | None = None


NO_FACTS = PracticeFacts()

# what, version, person, kind, modality, examination, granted, by whom, review, withdrawn
_GrantRows = Select[
    str, int, int, str, str | None, str | None, dt.date, str, dt.date | None, dt.date | None
]
_GrantRow = Row[
    str, int, int, str, str | None, str | None, dt.date, str, dt.date | None, dt.date | None
]


def grants_for(
    session: Session,
    user_ids: Collection[int],
    on: dt.date,
    *,
    entitlements: bool = True,
    designations: bool = True,
) -> dict[int, PracticeFacts]:
    """Only each person's entitlements and designations on the date (what "Competent, not
    entitled" rests on), in one statement however many people and whichever kinds are asked
    for (none: no statement)."""
    ids = sorted(set(user_ids))
    held: dict[tuple[str, int], _Held] = {}
    statement = _statement(entitlements=entitlements, designations=designations)
    if ids and statement is not None:
        for row in session.execute(statement, {"ids": ids, "on": on}):
            grant = held.setdefault((row.what, row.version_id), _Held(row))
            if row.examination is not None:
                grant.examinations.add(row.examination)
    found: dict[int, tuple[list[facts.Entitlement], list[facts.Designation]]] = {
        user_id: ([], []) for user_id in ids
    }
    for (what, _), grant in sorted(held.items()):
        if what == "entitlement":
            found[grant.user_id][0].append(grant.entitlement())
        else:
            found[grant.user_id][1].append(grant.designation())
    return {
        user_id: PracticeFacts(entitlements=tuple(entitled), designations=tuple(named))
        for user_id, (entitled, named) in found.items()
    }


class _Held:
    """One version of a grant in effect on the date, from `grants_for`'s rows."""

    def __init__(self, row: _GrantRow) -> None:
        self.user_id: int = row.user_id
        self.kind: str = row.kind
        self.modality: str | None = row.modality
        self.granted_on: dt.date = row.granted_on
        self.granted_by: str = row.granted_by
        self.review_on: dt.date | None = row.review_on
        self.withdrawn_on: dt.date | None = row.withdrawn_on
        self.examinations: set[str] = set()

    def entitlement(self) -> facts.Entitlement:
        return facts.Entitlement(
            kind=EntitlementKind(self.kind),
            modality=Modality(self.modality) if self.modality else None,
            examinations=frozenset(self.examinations),
            granted_on=self.granted_on,
            granted_by=self.granted_by,
            review_on=self.review_on,
            withdrawn_on=self.withdrawn_on,
        )

    def designation(self) -> facts.Designation:
        return facts.Designation(
            kind=DesignationKind(self.kind),
            granted_on=self.granted_on,
            granted_by=self.granted_by,
            review_on=self.review_on,
            withdrawn_on=self.withdrawn_on,
        )


@functools.cache
def _statement(*, entitlements: bool, designations: bool) -> Executable | None:
    """Built once for each choice of kinds (the people and the date are bound when it runs):
    building a statement costs more than running this one for a page's people."""
    ids: BindParameter[Any] = bindparam("ids", expanding=True)
    on: BindParameter[dt.date] = bindparam("on", type_=Date)
    parts = [
        *([_entitlements_on(ids, on)] if entitlements else []),
        *([_designations_on(ids, on)] if designations else []),
    ]
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else union_all(*parts)


def _in_effect(
    version: type[EntitlementVersion | DesignationVersion],
    key: InstrumentedAttribute[int],
    parent: type[IrmerEntitlement | Designation],
    ids: BindParameter[Any],
    on: BindParameter[dt.date],
) -> ColumnElement[bool]:
    """The version of each grant in effect on the date: its latest with `effective_on` on or
    before it (`key` names the grant a version belongs to)."""
    latest = (
        select(key.label("key"), func.max(version.number).label("number"))
        .join(parent, parent.id == key)
        .where(parent.user_id.in_(ids), version.effective_on <= on)
        .group_by(key)
        .subquery()
    )
    return (latest.c.key == key) & (latest.c.number == version.number)


def _entitlements_on(ids: BindParameter[Any], on: BindParameter[dt.date]) -> _GrantRows:
    key = EntitlementVersion.entitlement_id
    return (
        select(
            literal("entitlement", String).label("what"),
            EntitlementVersion.id.label("version_id"),
            IrmerEntitlement.user_id.label("user_id"),
            type_coerce(IrmerEntitlement.kind, String).label("kind"),
            type_coerce(IrmerEntitlement.modality, String).label("modality"),
            EntitlementExamination.examination.label("examination"),
            EntitlementVersion.granted_on.label("granted_on"),
            User.name.label("granted_by"),
            EntitlementVersion.review_on.label("review_on"),
            EntitlementVersion.withdrawn_on.label("withdrawn_on"),
        )
        .join(IrmerEntitlement, IrmerEntitlement.id == key)
        .where(_in_effect(EntitlementVersion, key, IrmerEntitlement, ids, on))
        .join(User, User.id == EntitlementVersion.granted_by_id)
        .outerjoin(
            EntitlementExamination, EntitlementExamination.version_id == EntitlementVersion.id
        )
    )


def _designations_on(ids: BindParameter[Any], on: BindParameter[dt.date]) -> _GrantRows:
    key = DesignationVersion.designation_id
    return (
        select(
            literal("designation", String).label("what"),
            DesignationVersion.id.label("version_id"),
            Designation.user_id.label("user_id"),
            type_coerce(Designation.kind, String).label("kind"),
            cast(null(), String).label("modality"),
            cast(null(), String).label("examination"),
            DesignationVersion.granted_on.label("granted_on"),
            User.name.label("granted_by"),
            DesignationVersion.review_on.label("review_on"),
            DesignationVersion.withdrawn_on.label("withdrawn_on"),
        )
        .join(Designation, Designation.id == key)
        .where(_in_effect(DesignationVersion, key, Designation, ids, on))
        .join(User, User.id == DesignationVersion.granted_by_id)
    )

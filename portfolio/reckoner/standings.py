"""The standing engine's answers, read from the database, for one person or a whole trust.

Every view that says what someone may do, or what their status is in a competency, asks here:
the reckoner and the shift view, worker home, the competencies pages, progress, the matrix,
the PDF, the public verify page, the CSV exports and the API. One answer (`standing.rules`),
so no two views can disagree.

A fixed number of statements however many people and competencies: their job roles and
scopes (`careers.queries.worker_scopes`), their histories (`signoff.queries.histories`), the
names on the decisions the answers rest on (one), and their practice records
(`practice.queries.facts_for`, up to five). The frameworks' item facts are built once per
framework generation and cached like the frameworks themselves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import get_close_matches

from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.careers.queries import worker_scopes
from portfolio.careers.scope import WorkerScope
from portfolio.core.settings import Settings as AppSettings
from portfolio.practice.grants import NO_FACTS, PracticeFacts
from portfolio.practice.items import item_facts_of
from portfolio.practice.queries import facts_for
from portfolio.signoff.models import SignOffDecision
from portfolio.signoff.queries import Key, histories
from portfolio.standing.answer import Standing
from portfolio.standing.competence import pending_countersignature
from portfolio.standing.facts import (
    Competence,
    ItemFacts,
    PersonFacts,
    RoleOnDate,
    Settings,
    Signers,
    TaskContext,
)
from portfolio.standing.rules import standing
from portfolio.standing.status import CompetencyHistory, status_on


@dataclass(frozen=True, kw_only=True)
class Options:
    """The trust's settings the answers depend on."""

    due_window_days: int = 60
    warn_within_days: int = 7
    # Items whose optional IR(ME)R entitlement the trust requires (a local setting).
    entitlement_required_for: frozenset[str] = frozenset()

    @classmethod
    def of(cls, settings: AppSettings) -> Options:
        return cls(
            due_window_days=settings.reassessment_due_days,
            warn_within_days=settings.standing_warn_days,
            entitlement_required_for=frozenset(settings.entitlement_required_for),
        )

    @property
    def engine(self) -> Settings:
        return Settings(warn_within_days=self.warn_within_days)


DEFAULT_OPTIONS = Options()


def items(session: Session, options: Options = DEFAULT_OPTIONS) -> dict[str, ItemFacts]:
    """The engine's facts for every competency of the current frameworks, by code."""
    return item_facts_of(session, options.entitlement_required_for)


def standings(
    session: Session,
    person_ids: Collection[int],
    codes: Collection[str],
    on: dt.date,
    *,
    options: Options = DEFAULT_OPTIONS,
    task: TaskContext | None = None,
    scopes: Mapping[int, WorkerScope] | None = None,
) -> dict[Key, Standing]:
    """The answer for every person and code on the date (codes not in a current framework
    are left out)."""
    known = items(session, options)
    codes = [code for code in dict.fromkeys(codes) if code in known]
    if not person_ids or not codes:
        return {}
    people = person_facts(session, person_ids, _needed(known, codes), on, options, scopes)
    return {
        (person_id, code): standing(
            people[person_id], known[code], on, task, settings=options.engine
        )
        for person_id in person_ids
        for code in codes
    }


class UnknownItemError(LookupError):
    """A code that is no competency of a current framework, with the codes it is near."""

    def __init__(self, code: str, near: Sequence[str]) -> None:
        self.code, self.near = code, tuple(near)
        hint = f"; did you mean {' or '.join(self.near)}?" if self.near else ""
        super().__init__(f"No current framework has a competency with the code {code}{hint}")


def answer_for(
    session: Session, person_id: int, code: str, on: dt.date, *, options: Options = DEFAULT_OPTIONS
) -> Standing:
    """The one answer the API (`GET /api/v1/standing`) and the command line (`flask
    standing`) give: the person is already loaded and authorised; an unknown code raises
    `UnknownItemError` naming the nearest codes."""
    known = items(session, options)
    wanted = code.strip().upper()
    if wanted not in known:
        raise UnknownItemError(code, get_close_matches(wanted, list(known), n=3, cutoff=0.6))
    return standings(session, [person_id], [wanted], on, options=options)[person_id, wanted]


def person_facts(
    session: Session,
    person_ids: Collection[int],
    codes: Collection[str],
    on: dt.date,
    options: Options = DEFAULT_OPTIONS,
    scopes: Mapping[int, WorkerScope] | None = None,
) -> dict[int, PersonFacts]:
    """What the engine is told about each person on the date, for these competencies (their
    prerequisites and patient-group requirements included by the caller)."""
    ids = list(dict.fromkeys(person_ids))
    if scopes is None:
        scopes = worker_scopes(session, ids, on)
    found = histories(session, ids, codes)
    competence: dict[Key, Competence] = {}
    for person_id in ids:
        for code in codes:
            history = found.get((person_id, code), CompetencyHistory())
            status = status_on(
                history, on, due_window_days=options.due_window_days, with_since=False
            )
            competence[person_id, code] = Competence(
                status, countersignature_pending=pending_countersignature(history, status, on)
            )
    signers = _signers(
        session,
        {item.status.decision.id for item in competence.values() if item.status.decision},
    )
    practice = facts_for(session, ids, on)
    return {
        person_id: _person(
            scopes.get(person_id),
            {code: competence[person_id, code] for code in codes},
            practice.get(person_id, NO_FACTS),
            signers,
        )
        for person_id in ids
    }


def _person(
    scope: WorkerScope | None,
    competence: Mapping[str, Competence],
    practice: PracticeFacts,
    signers: Mapping[int, Signers],
) -> PersonFacts:
    role = (
        RoleOnDate(
            job_role=scope.job_role,
            scope=frozenset(row.code for row in scope.rows),
            trainee=scope.trainee,
            post=scope.post,
        )
        if scope is not None
        else None
    )
    named = {
        item.status.decision.id: signers[item.status.decision.id]
        for item in competence.values()
        if item.status.decision and item.status.decision.id in signers
    }
    return PersonFacts(
        role=role,
        competence=competence,
        entitlements=practice.entitlements,
        designations=practice.designations,
        preceptorships=practice.preceptorships,
        site=practice.site,
        signers=named,
    )


def _needed(known: Mapping[str, ItemFacts], codes: Iterable[str]) -> list[str]:
    """The codes asked for, with every competency their answers read (prerequisites, and
    those a patient group requires)."""
    needed = dict.fromkeys(codes)
    for code in list(needed):
        item = known[code]
        for ref in item.prerequisites:
            needed.setdefault(ref.code)
        for rule in item.patient_groups:
            for ref in rule.requires:
                needed.setdefault(ref.code)
    return list(needed)


def _signers(session: Session, decision_ids: Iterable[int]) -> dict[int, Signers]:
    """The assessor and countersigner named on each decision, in one query."""
    ids = set(decision_ids)
    if not ids:
        return {}
    return {
        decision_id: Signers(assessor, countersigner)
        for decision_id, assessor, countersigner in session.execute(
            select(
                SignOffDecision.id,
                SignOffDecision.assessor_name,
                SignOffDecision.countersigner_name,
            ).where(SignOffDecision.id.in_(ids))
        )
    }

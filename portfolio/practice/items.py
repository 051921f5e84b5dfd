"""The standing engine's item facts (`standing.items.item_facts`) for every competency of the
current frameworks, built once per framework generation and cached like the frameworks."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.orm import Session

from portfolio.frameworks import queries as frameworks
from portfolio.standing.facts import ItemFacts
from portfolio.standing.items import item_facts


def item_facts_of(session: Session, required_for: Collection[str] = ()) -> dict[str, ItemFacts]:
    """By code. `required_for`: the items whose optional IR(ME)R entitlement the trust
    requires (a setting)."""
    switched_on = frozenset(required_for)
    key = f"item-facts:{','.join(sorted(switched_on))}"
    return frameworks.cached(session, key, lambda s: _build(s, switched_on))


def _build(session: Session, switched_on: frozenset[str]) -> dict[str, ItemFacts]:
    competencies = frameworks.current_competencies(session)
    titles = {code: view.title for code, view in competencies.items()}
    sources = frameworks.current_sources(session)
    return {
        code: item_facts(view.definition, titles=titles, sources=sources, switched_on=switched_on)
        for code, view in competencies.items()
    }

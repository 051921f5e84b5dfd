"""`GET /api/v1/standing`: the standing engine's answer for outside tools (a rostering system,
a theatre list), the same answer every page gives, in the shape `flask standing --json`
prints (`reckoner.standing_json`)."""

from __future__ import annotations

from pydantic import BaseModel, Field
from werkzeug.exceptions import NotFound

from portfolio.access import load_person
from portfolio.api.blueprint import api
from portfolio.api.problems import Problem, invalid
from portfolio.api.schemas import CompetencyCode, Day, Id
from portfolio.core.clock import today
from portfolio.core.settings import get_settings
from portfolio.db import get_session
from portfolio.policy import Permission
from portfolio.reckoner.standing_json import StandingAnswer
from portfolio.reckoner.standings import Options, UnknownItemError, answer_for


class StandingQuery(BaseModel):
    person: Id = Field(description="The person's id.")
    item: CompetencyCode = Field(description="A competency code, such as CANN or AP-CHEST.")
    on: Day | None = Field(None, description="The date asked about (default today, London).")


@api.operation(
    "GET",
    "/v1/standing",
    summary="May this person do this task on this date, under what supervision, and why?",
    tag="People",
    query=StandingQuery,
    response=StandingAnswer,
)
def standing(query: StandingQuery) -> StandingAnswer:
    """The standing engine's answer, as every page shows it: scope of practice, the
    competency's status, prerequisites, IR(ME)R entitlement, designations, ceilings and
    conditions. An unknown person answers 404 naming the id; an unknown item 422 naming the
    nearest codes. Anyone who may see the person's scope of practice may ask."""
    try:
        person, _ = load_person(query.person, Permission.VIEW_SCOPE_OF_PRACTICE)
    except NotFound:  # none, or hidden from the asker: the same answer either way
        raise Problem(404, f"No person with the id {query.person} that you may see") from None
    on = query.on or today()
    try:
        found = answer_for(
            get_session(), person.id, query.item, on, options=Options.of(get_settings())
        )
    except UnknownItemError as error:
        raise invalid("item", str(error)) from None
    return StandingAnswer.of(person.id, on, found)

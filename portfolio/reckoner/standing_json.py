"""The standing engine's answer as JSON, one shape for `GET /api/v1/standing` (its OpenAPI
schema) and `flask standing --json`."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from portfolio.standing.answer import Standing
from portfolio.standing.status import Status, SupervisionLevel


class _Output(BaseModel):
    model_config = ConfigDict(frozen=True)


class ReasonOut(_Output):
    code: str = Field(description="A stable code, such as no_entitlement or prerequisite_lapsed.")
    text: str
    blocks: bool = Field(description="False for a reason that narrows, not refuses (a ceiling).")
    remedy: str | None = Field(description="What would remove it.")


class WarningOut(_Output):
    code: str
    text: str


class ConditionOut(_Output):
    kind: str = Field(description="patient_group, room, equipment, site, modality or note.")
    values: list[str] = Field(description="The values a task is matched against.")
    excluded: bool = Field(description="True: the task must be none of the values.")
    supervision: SupervisionLevel | None = Field(
        description="When set: at most this supervision when the task is one of the values."
    )
    label: str


class SignOffOut(_Output):
    observed_on: dt.date
    assessor: str | None
    countersigner: str | None
    countersigned_on: dt.date | None
    expires_on: dt.date | None
    note: str | None


class StandingAnswer(_Output):
    person_id: int
    item: str
    on: dt.date
    may: bool
    answer: str = Field(description="'May' or 'May not'.")
    status: Status = Field(description="The competency's own status on the date.")
    shown: str = Field(description="The status every view shows, a lapsed prerequisite named.")
    supervision: SupervisionLevel | None = Field(
        description="The strictest of the sign-off's level and every ceiling; null when not."
    )
    conditions: list[ConditionOut]
    valid_until: dt.date | None = Field(description="Null: no end known, or they may not.")
    reasons: list[ReasonOut]
    warnings: list[WarningOut]
    summary: str
    sign_off: SignOffOut | None

    @classmethod
    def of(cls, person_id: int, on: dt.date, found: Standing) -> StandingAnswer:
        sign_off = found.sign_off
        return cls(
            person_id=person_id,
            item=found.code,
            on=on,
            may=found.may,
            answer=found.label,
            status=found.status,
            shown=found.shown.text,
            supervision=found.supervision,
            conditions=[
                ConditionOut(
                    kind=item.kind.value,
                    values=sorted(item.values),
                    excluded=item.excluded,
                    supervision=item.supervision,
                    label=item.label,
                )
                for item in found.conditions
            ],
            valid_until=found.valid_until,
            reasons=[
                ReasonOut(
                    code=item.code.value, text=item.text, blocks=item.blocks, remedy=item.remedy
                )
                for item in found.reasons
            ],
            warnings=[WarningOut(code=item.code.value, text=item.text) for item in found.warnings],
            summary=found.summary,
            sign_off=SignOffOut(
                observed_on=sign_off.observed_on,
                assessor=sign_off.assessor,
                countersigner=sign_off.countersigner,
                countersigned_on=sign_off.countersigned_on,
                expires_on=sign_off.expires_on,
                note=sign_off.note,
            )
            if sign_off
            else None,
        )

"""The API's request and answer shapes, as pydantic models: they validate what comes in and
give the OpenAPI document its JSON Schemas (2020-12, as OpenAPI 3.1 uses)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
)
from werkzeug.datastructures import FileStorage

from portfolio.api.models import TokenScope
from portfolio.core.roles import AccountRole, JobRole
from portfolio.evidence.models import EvidenceKind, ProcedureOutcome
from portfolio.standing.status import Outcome, Status, SupervisionLevel

EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2999, 12, 31)


def _in_range(day: dt.date) -> dt.date:
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"must be between {EARLIEST} and {LATEST}")
    return day


# A day is written YYYY-MM-DD, and only so: pydantic alone would read `0` or `1700000000` as
# seconds since 1970 (`?on=0` answered as on 1 January 1970).
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
DAY_PATTERN = r"^(19|2[0-9])[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


def _written_as_a_day(value: Any) -> Any:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value):
        raise ValueError("must be a date written YYYY-MM-DD")
    return value


def _a_file(value: Any) -> FileStorage:
    if not isinstance(value, FileStorage):
        raise ValueError("must be a file")
    return value


Id = Annotated[int, Field(ge=1, le=2_147_483_647)]
Day = Annotated[
    dt.date,
    BeforeValidator(_written_as_a_day),
    AfterValidator(_in_range),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DAY_PATTERN}),
]
CompetencyCode = Annotated[str, StringConstraints(min_length=1, max_length=40)]
Upload = Annotated[
    Any,
    AfterValidator(_a_file),
    WithJsonSchema(
        {"type": "string", "format": "binary", "contentMediaType": "application/octet-stream"}
    ),
]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Output(BaseModel):
    model_config = ConfigDict(frozen=True)


# Query strings ---------------------------------------------------------------------------


class ListQuery(BaseModel):
    limit: int = Field(25, ge=1, le=100, description="How many items a page holds.")
    cursor: str | None = Field(
        None, max_length=512, description="From the previous page's `next_cursor`."
    )


class OnQuery(BaseModel):
    on: Day | None = Field(None, description="The date asked about (default today, London).")


class DatedListQuery(ListQuery):
    on: Day | None = Field(None, description="The date asked about (default today, London).")


class WorkerFilters(ListQuery):
    department_id: Id | None = None
    post_id: Id | None = None
    job_role: JobRole | None = None
    on: Day | None = Field(None, description="Job roles as on this date (default today).")


class ReckonerQuery(BaseModel):
    task: CompetencyCode = Field(description="The competency code of the task, such as CANN.")
    on: Day | None = Field(None, description="The date asked about (default today, London).")


class EvidenceQuery(BaseModel):
    version: Id | None = Field(None, description="A version number (default the latest).")


class MatrixQuery(BaseModel):
    on: Day | None = None
    department_id: Id | None = None
    post_id: Id | None = None
    job_role: JobRole | None = None
    status: Status | None = Field(None, description="Workers with at least one item in it.")


# Answers ---------------------------------------------------------------------------------


class Named(Output):
    id: int
    name: str


class TokenInfo(Output):
    scope: TokenScope
    expires_on: dt.date


class Me(Output):
    id: int
    name: str
    email: str
    organisation: Named
    account_roles: list[AccountRole]
    job_role: JobRole | None
    job_role_title: str | None
    department: Named | None
    token: TokenInfo


class Framework(Output):
    code: str
    kind: str
    title: str
    version: str
    published_on: dt.date
    current: bool


class Competency(Output):
    code: str
    title: str
    domain: str
    level: int
    framework: str
    framework_version: str
    expires: bool
    countersignature_required: bool


class ScopeItem(Output):
    code: str
    title: str
    core: bool


class Scope(Output):
    job_role: JobRole
    title: str
    competencies: list[ScopeItem]


class Worker(Output):
    id: int
    name: str
    job_role: JobRole
    job_role_title: str
    department: Named
    post: Named | None
    started_in_post_on: dt.date


class CompetencyStatus(Output):
    code: str
    title: str
    domain: str
    requirement: str
    status: Status
    status_label: str = Field(
        description="As every page shows it, a lapsed prerequisite or missing entitlement named."
    )
    reason: str
    may_practise: bool = Field(
        description="False too while a prerequisite has lapsed or an entitlement is missing."
    )
    prerequisite_lapsed: bool
    not_entitled: bool = Field(
        description="In force, but an IR(ME)R entitlement or a designation it needs is missing."
    )
    supervision: SupervisionLevel | None
    conditions: list[str]
    expires_on: dt.date | None
    since: dt.date | None


class Tally(Output):
    done: int
    total: int
    percent: int


class DomainTally(Output):
    domain: str
    tally: Tally


class NextSteps(Output):
    evidence_needed: list[str]
    procedures_awaiting: int
    requests_waiting: int
    feedback: list[str]


class Progress(Output):
    person_id: int
    on: dt.date
    job_role: JobRole | None
    overall: Tally | None
    by_domain: list[DomainTally]
    due: list[str]
    expired: list[str]
    next_steps: NextSteps
    next_job_role: JobRole | None
    next_job_role_competencies: Tally | None


class ReckonerAnswer(Output):
    person_id: int
    task: str
    on: dt.date
    may: bool
    answer: str = Field(description="'May' or 'May not'.")
    status: Status
    in_scope: bool
    supervision: SupervisionLevel | None
    conditions: list[str]
    valid_until: dt.date | None
    signed_off_on: dt.date | None
    signed_off_by: str | None
    reason: str
    missing: list[str]
    note: str | None


class EvidenceSummary(Output):
    id: int
    kind: EvidenceKind
    title: str
    activity_on: dt.date
    version: int
    frozen: bool
    competency_codes: list[str]
    attachments: int


class AttachmentInfo(Output):
    id: int
    filename: str
    media_type: str
    size: int
    sha256: str


class Evidence(Output):
    id: int
    worker_id: int
    version: int
    versions: int
    kind: EvidenceKind
    title: str
    activity_on: dt.date
    body: str
    frozen: bool
    competency_codes: list[str]
    attachments: list[AttachmentInfo]


class Procedure(Output):
    id: int
    competency_code: str
    performed_on: dt.date
    setting: str
    outcome: ProcedureOutcome
    # None for a line brought in with a portfolio from another organisation: its witness is
    # named (`witness`) but has no account here.
    witness_id: int | None
    witness: str
    confirmed_at: dt.datetime | None


class WaitingRequest(Output):
    id: int
    worker_id: int
    worker: str
    competency_code: str
    competency: str
    requested_at: dt.datetime
    waiting_days: int


class Assessor(Output):
    id: int
    name: str
    profession: str | None


class SignOffRequest(Output):
    id: int
    worker_id: int
    competency_code: str
    assessor_id: int
    state: str
    requested_on: dt.date


class Decision(Output):
    id: int
    worker_id: int
    competency_code: str
    outcome: Outcome
    supervision: SupervisionLevel | None
    conditions: list[str]
    observed_on: dt.date
    recorded_on: dt.date
    expires_on: dt.date | None
    countersignature_required: bool
    assessor_name: str | None


class Confirmed(Output):
    confirmed: int


NEXT_CURSOR = "Pass as `cursor` for the next page; null on the last page."


class FrameworkPage(Output):
    items: list[Framework]
    next_cursor: str | None = Field(description=NEXT_CURSOR)


class CompetencyPage(Output):
    items: list[Competency]
    next_cursor: str | None = Field(description=NEXT_CURSOR)


class WorkerPage(Output):
    items: list[Worker]
    next_cursor: str | None = Field(description=NEXT_CURSOR)


class StatusPage(Output):
    items: list[CompetencyStatus]
    next_cursor: str | None = Field(description=NEXT_CURSOR)


class EvidencePage(Output):
    items: list[EvidenceSummary]
    next_cursor: str | None = Field(description=NEXT_CURSOR)


class ProcedurePage(Output):
    items: list[Procedure]
    next_cursor: str | None = Field(description=NEXT_CURSOR)


class WaitingPage(Output):
    items: list[WaitingRequest]
    next_cursor: str | None = Field(description=NEXT_CURSOR)


class AssessorPage(Output):
    items: list[Assessor]
    next_cursor: str | None = Field(description=NEXT_CURSOR)


class ProblemDetails(Output):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    errors: dict[str, list[str]] | None = Field(
        None, description="Each field's messages, named as the request named the field."
    )


# Request bodies --------------------------------------------------------------------------

# A number as the guard named it: ten digits, perhaps spaced or hyphenated 3-3-4.
Confirmations = list[
    Annotated[str, StringConstraints(pattern=r"^[0-9]{3}[ -]?[0-9]{3}[ -]?[0-9]{4}$")]
]


class NewEvidence(Input):
    kind: EvidenceKind
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    activity_on: Day
    body: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20000)]
    competency_codes: list[CompetencyCode] = Field(min_length=1, max_length=100)
    confirmed: Confirmations = Field(
        default_factory=list,
        description="Numbers you confirm are not patient identifiers (a 422 names them).",
    )
    file: list[Upload] = Field(default_factory=list, max_length=5, description="Attachments.")


class NewAttachment(Input):
    file: list[Upload] = Field(min_length=1, max_length=5)
    confirmed: Confirmations = Field(default_factory=list)


class NewProcedure(Input):
    competency_code: CompetencyCode
    performed_on: Day
    setting: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    outcome: ProcedureOutcome
    witness_id: Id
    confirmed: Confirmations = Field(default_factory=list)


Password = Annotated[str, StringConstraints(min_length=1, max_length=256)]


class ProcedureConfirmation(Input):
    line_ids: list[Id] = Field(min_length=1, max_length=200)
    password: Password = Field(description="The witness's own password, entered again.")


class PrintRequest(Input):
    appendices: bool = Field(
        default=False,
        description="Append the PDF certificates attached to evidence after the numbered pages.",
    )


class NewSignOffRequest(Input):
    competency_code: CompetencyCode
    assessor_id: Id
    evidence_ids: list[Id] = Field(max_length=200)
    declaration: bool = Field(
        description="The worker has read the policy and accepts accountability (must be true)."
    )


Feedback = Annotated[str, StringConstraints(max_length=4000)]


class NewDecision(Input):
    outcome: Outcome
    observed_on: Day
    supervision: SupervisionLevel | None = None
    condition_codes: list[Annotated[str, StringConstraints(max_length=60)]] = Field(
        default_factory=list, max_length=50
    )
    evidence_ids: list[Id] = Field(default_factory=list, max_length=200)
    went_well: Feedback = ""
    to_develop: Feedback = ""
    action_plan: Feedback = ""
    confirmed: Confirmations = Field(default_factory=list)
    password: Password = Field(description="The assessor's own password, entered again.")

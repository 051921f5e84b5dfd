"""`portfolio.json`, the heart of a person's export: its format, version 1, as one schema that
the export writes through and the import reads through, so that what one installation writes
the other can always read, and a problem is named by item and field
("evidence[2].versions[0].activity_on: not a valid date").

Pure: plain values in, plain values out. Dates are ISO 8601 (`2026-03-03`), moments ISO 8601
in UTC (`2026-03-03T14:05:00+00:00`). A later version adds fields or raises `version`; a
reader refuses a version it does not know rather than guess.

Fields added to version 1 since it was first written are optional, with a default that means
"not recorded", so a reader of this version reads files written before they existed, and an
older reader (which ignores fields it does not know) reads files written after:

- sign-offs' transcription provenance (`previous_employer`, `original_seen_by`,
  `original_seen_on`, `transcribed_by`), a local acceptance (`local_acceptance`, with
  `awaiting_acceptance` for a previous employer's record not yet accepted there) and the
  minimum override a sign-off used (`minimum_override`).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from portfolio.evidence.attachments import EXTENSIONS

FORMAT = "imaging-support-portfolio-export"
VERSION = 1
SHA256 = re.compile(r"[0-9a-f]{64}")

Text = Annotated[str, Field(max_length=100_000)]


def _sha256(value: str) -> str:
    if not SHA256.fullmatch(value):
        raise ValueError("not a SHA-256 (64 lower-case hexadecimal characters)")
    return value


Sha256 = Annotated[str, AfterValidator(_sha256)]
Short = Annotated[str, Field(max_length=300)]


class Part(BaseModel):
    # Unknown fields are ignored: a newer installation may write more than this one reads.
    model_config = ConfigDict(extra="ignore", frozen=True)


class Source(Part):
    organisation: Short  # the organisation (trust) the export came from
    nation: Short | None = None
    base_url: Short | None = None  # where that portfolio is reached (its BASE_URL), if set
    application: Short = "imaging-support-portfolio"
    application_version: Short | None = None


class Person(Part):
    name: Short
    email: Short
    employee_number: Short | None = None
    account_roles: list[Short] = []
    profession: Short | None = None
    register_type: Short | None = None  # hcpc, nmc or none
    register_number: Short | None = None
    register_checked_on: dt.date | None = None
    register_check_result: Short | None = None
    active: bool = True
    created_at: dt.datetime | None = None
    deactivated_at: dt.datetime | None = None


class JobRoleRow(Part):
    effective_from: dt.date
    job_role: Short
    job_role_title: Short
    trainee: bool = False
    afc_band: Short | None = None
    department: Short | None = None
    post: Short | None = None
    started_in_post_on: dt.date | None = None


class SupervisorRow(Part):
    name: Short
    starts_on: dt.date
    ends_on: dt.date | None = None


def archive_name(sha256: str, media_type: str) -> str:
    """Where an attachment is in the ZIP: `attachments/<sha256>.pdf`, its type's extension."""
    return f"attachments/{sha256}{EXTENSIONS.get(media_type, ('',))[0]}"


class AttachmentRef(Part):
    sha256: Sha256
    filename: Short
    media_type: Short
    size: int = Field(ge=0)
    uploaded_at: dt.datetime | None = None

    @property
    def archive_name(self) -> str:
        return archive_name(self.sha256, self.media_type)


class EvidenceVersion(Part):
    number: int = Field(ge=1)
    kind: Short
    title: Short
    activity_on: dt.date
    body: Text
    frozen: bool = False
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    competencies: list[Short] = []
    attachments: list[AttachmentRef] = []


class EvidenceItem(Part):
    id: int  # the evidence's number in the exporting installation (sign-offs refer to it)
    created_at: dt.datetime | None = None
    versions: list[EvidenceVersion] = Field(min_length=1)

    @property
    def latest(self) -> EvidenceVersion:
        return max(self.versions, key=lambda version: version.number)


class Procedure(Part):
    id: int
    competency: Short
    performed_on: dt.date
    setting: Short
    outcome: Short
    witness: Short  # as the record names them
    recorded_at: dt.datetime | None = None
    confirmed: bool
    confirmed_at: dt.datetime | None = None
    confirmed_by: Short | None = None  # how the witness proved who they were
    imported_from: Short | None = None  # a line that came from an earlier export


class SignOffRequest(Part):
    id: int
    competency: Short
    assessor: Short
    state: Short
    requested_at: dt.datetime | None = None
    requested_on: dt.date | None = None
    ended_on: dt.date | None = None
    declared_at: dt.datetime | None = None
    evidence_ids: list[int] = []


class Assessor(Part):
    name: Short
    profession: Short | None = None
    register_type: Short | None = None  # hcpc, nmc or none
    register_number: Short | None = None
    register_checked_on: dt.date | None = None
    qualification: Short | None = None


class Feedback(Part):
    went_well: Text | None = None
    to_develop: Text | None = None
    action_plan: Text | None = None


class Countersignature(Part):
    required: bool = False
    countersigned_on: dt.date | None = None
    countersigned_at: dt.datetime | None = None
    countersigner: Short | None = None


class SuspensionRow(Part):
    starts_on: dt.date
    reason: Text
    recorded_at: dt.datetime | None = None
    reinstated_on: dt.date | None = None
    reinstatement_reason: Text | None = None
    reinstated_at: dt.datetime | None = None


class RevocationRow(Part):
    revoked_on: dt.date
    reason: Text
    recorded_at: dt.datetime | None = None


class LocalAcceptanceRow(Part):
    """A previous employer's sign-off accepted on one practice observed on local equipment."""

    observer: Short  # the local assessor who observed, as named there
    observed_on: dt.date
    setting: Short | None = None  # the equipment and room
    accepted_on: dt.date | None = None  # when recorded, if after the transcription
    accepted_by: Short | None = None


class MinimumOverrideRow(Part):
    """An educator let this sign-off go ahead without the supervised procedure minimum."""

    procedures_required: int
    procedures_confirmed: int
    reason: Text
    overridden_by: Short
    recorded_on: dt.date


class EvidenceVersionRef(Part):
    evidence_id: int
    number: int


class SignOff(Part):
    id: int
    competency: Short
    competency_title: Short | None = None
    outcome: Literal["competent", "not_yet_competent"]
    supervision: Short | None = None
    conditions: list[Short] = []  # as granted, by label ("Adults only")
    observed_on: dt.date
    recorded_at: dt.datetime | None = None
    recorded_on: dt.date
    expires_on: dt.date | None = None
    framework_code: Short | None = None
    framework_version: Short | None = None
    policy_version: int | None = None
    policy_title: Short | None = None
    procedures_required: int = 0
    reassessment_months: int | None = None
    assessor: Assessor
    authentication: Short  # point_of_care, own_session or transcribed
    declared_at: dt.datetime | None = None
    feedback: Feedback = Feedback()
    countersignature: Countersignature = Countersignature()
    transcribed_source: Text | None = None
    # A transcribed record: the previous employer that made it (none: the exporting
    # organisation itself, on paper), who saw the original and when, and who typed it in.
    previous_employer: Short | None = None
    original_seen_by: Short | None = None
    original_seen_on: dt.date | None = None
    transcribed_by: Short | None = None
    local_acceptance: LocalAcceptanceRow | None = None
    awaiting_acceptance: bool = False  # never accepted there, so it never counted there
    minimum_override: MinimumOverrideRow | None = None
    evidence_versions: list[EvidenceVersionRef] = []
    procedure_ids: list[int] = []
    suspensions: list[SuspensionRow] = []
    revocation: RevocationRow | None = None


class Qualification(Part):
    title: Short
    code: Short | None = None
    framework: Short
    level: int
    status: Short
    achieved_on: dt.date | None = None
    planned_start_on: dt.date | None = None
    recorded_at: dt.datetime | None = None
    self_reported: bool = False


class Entitlement(Part):
    scope: Short
    granted_on: dt.date
    withdrawn_on: dt.date | None = None


class PlanItem(Part):
    competency: Short
    added_at: dt.datetime | None = None


class NoticeRow(Part):
    kind: Short
    created_at: dt.datetime
    read_at: dt.datetime | None = None
    competency: Short | None = None
    email: Short | None = None
    email_sent_at: dt.datetime | None = None


class EmailChoice(Part):
    topic: Short
    wanted: bool


class ImportedRow(Part):
    """An earlier export this person's portfolio was brought in from."""

    source_organisation: Short
    exported_at: dt.datetime
    imported_at: dt.datetime


class AttachmentFile(Part):
    """The manifest: each file under `attachments/`, named by the SHA-256 of its bytes and the
    extension of its type (`<sha256>.pdf`), so it opens from the ZIP as it is. Exports made
    before the extension was added name it by the hash alone; an import reads either."""

    sha256: Sha256
    size: int = Field(ge=0)
    media_type: Short

    @property
    def archive_name(self) -> str:
        return archive_name(self.sha256, self.media_type)

    @property
    def older_archive_name(self) -> str:
        return f"attachments/{self.sha256}"


class Document(Part):
    format: Literal["imaging-support-portfolio-export"]
    version: Literal[1]
    export_id: Annotated[str, Field(pattern=r"^[0-9a-f-]{36}$")]
    exported_at: dt.datetime
    exported_by: Literal["the person", "an administrator"]
    source: Source
    person: Person
    job_roles: list[JobRoleRow] = []
    supervisors: list[SupervisorRow] = []
    evidence: list[EvidenceItem] = []
    procedures: list[Procedure] = []
    sign_off_requests: list[SignOffRequest] = []
    sign_offs: list[SignOff] = []
    qualifications: list[Qualification] = []
    entitlements: list[Entitlement] = []
    plan: list[PlanItem] = []
    notices: list[NoticeRow] = []
    email_choices: list[EmailChoice] = []
    imported: list[ImportedRow] = []
    attachments: list[AttachmentFile] = []


def field_path(location: tuple[int | str, ...]) -> str:
    """pydantic's location as a reader writes it: evidence[2].versions[0].activity_on."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "portfolio.json"


def read_document(data: object) -> tuple[Document | None, list[tuple[str, str]]]:
    """The document, or the problems that stop it being read, each as (item.field, message).

    The format and version are checked first and alone: a file that is not this format,
    or a version this installation does not know, is refused without a list of everything
    else that then looks wrong."""
    if not isinstance(data, dict):
        return None, [("portfolio.json", "is not a JSON object")]
    if data.get("format") != FORMAT:
        return None, [("format", f"is not {FORMAT!r}: this is not a portfolio export")]
    if data.get("version") != VERSION:
        return None, [
            (
                "version",
                f"{data.get('version')!r} is not a version this portfolio reads ({VERSION})",
            )
        ]
    try:
        return Document.model_validate(data), []
    except ValidationError as error:
        return None, [(field_path(tuple(item["loc"])), item["msg"]) for item in error.errors()[:50]]


def check_references(document: Document) -> list[tuple[str, str]]:
    """What the document says about itself must agree: every attachment an evidence version
    names is in the manifest, with the same size, and the manifest names each file once."""
    problems: list[tuple[str, str]] = []
    manifest: dict[str, AttachmentFile] = {}
    for index, item in enumerate(document.attachments):
        if item.sha256 in manifest:
            problems.append((f"attachments[{index}].sha256", "is listed twice"))
        manifest[item.sha256] = item
    for e_index, evidence in enumerate(document.evidence):
        for v_index, version in enumerate(evidence.versions):
            for a_index, ref in enumerate(version.attachments):
                where = f"evidence[{e_index}].versions[{v_index}].attachments[{a_index}]"
                listed = manifest.get(ref.sha256)
                if listed is None:
                    problems.append((f"{where}.sha256", "is not in the attachments manifest"))
                elif listed.size != ref.size:
                    problems.append((f"{where}.size", "differs from the attachments manifest"))
    return problems

"""Checking an export before anything of it is written: the ZIP, `portfolio.json` against
the versioned format, each attachment against the manifest's SHA-256 and size and by its
content (as an evidence upload is checked), every text that would come in against the length
its column holds and through the patient identifier guard. Every problem is named by file,
item and field."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import zipfile
import zlib
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import IO

from sqlalchemy import String
from sqlalchemy.orm import InstrumentedAttribute

from portfolio.core.clock import long_date
from portfolio.core.identifiers import check_fields
from portfolio.evidence import services as evidence_services
from portfolio.evidence.attachments import (
    EXTENSIONS,
    AttachmentRefusedError,
    AttachmentStore,
    check_upload,
)
from portfolio.evidence.models import EvidenceKind, EvidenceVersion, ProcedureLine, ProcedureOutcome
from portfolio.frameworks.models import PersonQualification
from portfolio.leavers import document as doc
from portfolio.leavers.models import PortfolioImport
from portfolio.people.models import User
from portfolio.signoff.models import SignOffDecision
from portfolio.standing.status import SupervisionLevel

ATTACHMENT_NAME = re.compile(r"attachments/([0-9a-f]{64})(?:\.(?:pdf|png|jpg))?")
OTHER_FILES = {"README.txt", "portfolio.html", "portfolio.pdf", "attachments/"}
MAX_JSON_BYTES = 64 * 1024 * 1024
# What reading a damaged, encrypted or oddly compressed member of a ZIP raises: a bad CRC or
# header (BadZipFile), a broken deflate stream (zlib.error), a truncated one (EOFError), a
# password needed (RuntimeError), a compression method Python does not read
# (NotImplementedError).
UNREADABLE = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    RuntimeError,
    NotImplementedError,
    ValueError,
    OSError,
)


@dataclass(frozen=True)
class Limits:
    archive_bytes: int  # the whole ZIP, and everything in it unpacked
    attachment_bytes: int  # one attachment (ATTACHMENT_MAX_BYTES)
    attachment_types: frozenset[str]  # ATTACHMENT_TYPES
    due_window_days: int  # REASSESSMENT_DUE_DAYS


@dataclass(frozen=True)
class Problem:
    where: str  # the file, and the item and field in it
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


class ImportRefusedError(Exception):
    """Nothing was brought in: every problem found, and any numbers that only need a person
    to confirm they are not patient identifiers."""

    def __init__(self, problems: list[Problem], to_confirm: Collection[str] = ()) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems
        self.to_confirm = tuple(dict.fromkeys(to_confirm))


@dataclass
class Checked:
    """An attachment checked and stored: its manifest hash maps to what was stored."""

    stored: dict[str, evidence_services.StoredFile] = field(default_factory=dict)
    created: list[str] = field(default_factory=list)


def read_archive(archive: IO[bytes], limits: Limits) -> tuple[zipfile.ZipFile, doc.Document]:
    archive.seek(0, 2)
    size = archive.tell()
    archive.seek(0)
    if size > limits.archive_bytes:
        raise ImportRefusedError(
            [Problem("the file", f"is larger than {limits.archive_bytes // (1024 * 1024)} MB")]
        )
    try:
        opened = zipfile.ZipFile(archive)
    except zipfile.BadZipFile as error:
        raise ImportRefusedError([Problem("the file", "is not a ZIP file")]) from error
    problems: list[Problem] = []
    entries = opened.infolist()
    if sum(item.file_size for item in entries) > limits.archive_bytes:
        problems.append(Problem("the file", "unpacks to more than the size allowed"))
    for item in entries:
        if item.filename not in OTHER_FILES | {"portfolio.json"} and not ATTACHMENT_NAME.fullmatch(
            item.filename
        ):
            problems.append(Problem(item.filename, "is not part of a portfolio export"))
    try:
        info = opened.getinfo("portfolio.json")
    except KeyError:
        problems.append(Problem("portfolio.json", "is missing"))
        raise ImportRefusedError(problems) from None
    if info.file_size > MAX_JSON_BYTES:
        raise ImportRefusedError([*problems, Problem("portfolio.json", "is too large")])
    try:
        content = opened.read(info)
    except UNREADABLE as error:
        raise ImportRefusedError([*problems, _unreadable("portfolio.json")]) from error
    try:
        data = json.loads(content)
    except ValueError as error:
        raise ImportRefusedError([*problems, Problem("portfolio.json", "is not JSON")]) from error
    document, found = doc.read_document(data)
    problems += [Problem(f"portfolio.json: {where}", message) for where, message in found]
    if document is not None:
        problems += [
            Problem(f"portfolio.json: {where}", message)
            for where, message in doc.check_references(document)
        ]
    if problems or document is None:
        raise ImportRefusedError(problems)
    return opened, document


def check_attachments(
    opened: zipfile.ZipFile,
    document: doc.Document,
    store: AttachmentStore,
    limits: Limits,
    confirmed: Collection[str],
    problems: list[Problem],
    to_confirm: list[str],
) -> Checked:
    """Each file against the manifest's hash and size, then by its content as an upload is
    checked; stored (by the hash of what is stored: images lose their metadata) as it
    passes, and taken back by the caller if anything fails."""
    checked = Checked()
    listed = {item.sha256 for item in document.attachments}
    for name in opened.namelist():
        match = ATTACHMENT_NAME.fullmatch(name)
        if match and match.group(1) not in listed:
            problems.append(Problem(name, "is not in the attachments manifest"))
    filenames = {
        ref.sha256: ref.filename
        for item in document.evidence
        for version in item.versions
        for ref in version.attachments
    }
    for item in document.attachments:
        name = item.archive_name
        try:
            info = opened.getinfo(name)
        except KeyError:
            try:  # an export made before attachments were named with their extension
                info = opened.getinfo(item.older_archive_name)
            except KeyError:
                problems.append(Problem(name, "is missing"))
                continue
        if info.file_size != item.size:
            problems.append(Problem(name, "is not the size the manifest gives it"))
            continue
        if item.media_type not in limits.attachment_types:
            problems.append(Problem(name, f"is a {item.media_type}, not a type accepted here"))
            continue
        if item.size > limits.attachment_bytes:
            problems.append(Problem(name, "is larger than an attachment may be here"))
            continue
        try:
            data = opened.read(info)
        except UNREADABLE:
            problems.append(_unreadable(name))
            continue
        if hashlib.sha256(data).hexdigest() != item.sha256:
            problems.append(Problem(name, "has been changed: it does not match its SHA-256"))
            continue
        original = filenames.get(item.sha256, "attachment")
        extension = EXTENSIONS[item.media_type][0]
        try:
            file = check_upload(
                data,
                original
                if original.lower().endswith(EXTENSIONS[item.media_type])
                else f"{original}{extension}",
                allowed=limits.attachment_types,
                max_bytes=limits.attachment_bytes,
            )
        except AttachmentRefusedError as error:
            problems.append(Problem(name, str(error)))
            continue
        guard_text(
            {f"{name} (its name)": original, f"{name} ({original})": file.text},
            confirmed,
            problems,
            to_confirm,
        )
        sha256, created = store.put(file.content)
        if created:
            checked.created.append(sha256)
        checked.stored[item.sha256] = evidence_services.StoredFile(
            sha256, file.media_type, file.filename, file.size
        )
    return checked


def _unreadable(name: str) -> Problem:
    return Problem(
        name,
        "cannot be read: it is damaged, protected by a password, or compressed in a way this "
        "portfolio does not read",
    )


def guard_text(
    fields: dict[str, str],
    confirmed: Collection[str],
    problems: list[Problem],
    to_confirm: list[str],
) -> None:
    for where, result in check_fields(
        {key: value for key, value in fields.items() if value}, confirmed
    ).items():
        problems.append(Problem(where, result.message()))
        to_confirm += [finding.number for finding in result.to_confirm]


def free_text(document: doc.Document) -> dict[str, str]:
    """Every text that comes in, by where it is in portfolio.json."""
    # The organisation's name goes into every record brought in (evidence, procedures,
    # sign-offs as their previous employer), so it is checked like any other text.
    texts: dict[str, str] = {"portfolio.json: source.organisation": document.source.organisation}
    for index, item in enumerate(document.evidence):
        latest = item.latest
        position = item.versions.index(latest)
        where = f"portfolio.json: evidence[{index}].versions[{position}]"
        texts[f"{where}.title"] = latest.title
        texts[f"{where}.body"] = latest.body
    for index, line in enumerate(document.procedures):
        texts[f"portfolio.json: procedures[{index}].setting"] = line.setting
        texts[f"portfolio.json: procedures[{index}].witness"] = line.witness
    for index, sign_off in enumerate(document.sign_offs):
        where = f"portfolio.json: sign_offs[{index}]"
        texts[f"{where}.assessor.name"] = sign_off.assessor.name
        texts[f"{where}.transcribed_source"] = sign_off.transcribed_source or ""
        # Shown as written in the record brought in: where it was made, who saw and typed it.
        texts[f"{where}.previous_employer"] = sign_off.previous_employer or ""
        texts[f"{where}.original_seen_by"] = sign_off.original_seen_by or ""
        texts[f"{where}.transcribed_by"] = sign_off.transcribed_by or ""
        if sign_off.local_acceptance is not None:
            acceptance = sign_off.local_acceptance
            texts[f"{where}.local_acceptance.observer"] = acceptance.observer
            texts[f"{where}.local_acceptance.setting"] = acceptance.setting or ""
        if sign_off.minimum_override is not None:
            texts[f"{where}.minimum_override.overridden_by"] = (
                sign_off.minimum_override.overridden_by
            )
    for index, qualification in enumerate(document.qualifications):
        texts[f"portfolio.json: qualifications[{index}].title"] = qualification.title
    return texts


def check_values(document: doc.Document, problems: list[Problem], *, today: dt.date) -> None:
    """Values this installation must understand to bring an item in, and dates it can."""
    kinds = {kind.value for kind in EvidenceKind}
    for index, item in enumerate(document.evidence):
        position = item.versions.index(item.latest)
        if item.latest.kind not in kinds:
            problems.append(
                Problem(
                    f"portfolio.json: evidence[{index}].versions[{position}].kind",
                    f"{item.latest.kind!r} is not a kind of evidence",
                )
            )
    outcomes = {outcome.value for outcome in ProcedureOutcome}
    for index, line in enumerate(document.procedures):
        # A procedure not yet performed would count towards a minimum the day it is dated.
        if line.performed_on > today:
            problems.append(
                Problem(
                    f"portfolio.json: procedures[{index}].performed_on",
                    f"{long_date(line.performed_on)} is after today: a procedure is recorded "
                    "once it has been performed",
                )
            )
        if line.outcome not in outcomes:
            problems.append(
                Problem(
                    f"portfolio.json: procedures[{index}].outcome",
                    f"{line.outcome!r} is not an outcome",
                )
            )
    levels = {level.value for level in SupervisionLevel}
    for index, sign_off in enumerate(document.sign_offs):
        if sign_off.outcome == "competent" and sign_off.supervision not in levels:
            problems.append(
                Problem(
                    f"portfolio.json: sign_offs[{index}].supervision",
                    f"{sign_off.supervision!r} is not a supervision level",
                )
            )


def _limit(column: InstrumentedAttribute[str] | InstrumentedAttribute[str | None]) -> int:
    """The length the column holds (PostgreSQL refuses a longer value)."""
    kind = column.property.columns[0].type
    if not isinstance(kind, String) or kind.length is None:
        raise TypeError(f"{column} has no length")
    return kind.length


def check_lengths(document: doc.Document, problems: list[Problem]) -> None:
    """Every text that is stored in a column of limited length fits it: the format allows
    longer (300 characters) than some columns here hold."""
    values: list[tuple[str, str | None, int]] = [
        (
            "source.organisation",
            document.source.organisation,
            # Recorded with the import, and as the previous employer of its sign-offs.
            min(
                _limit(PortfolioImport.source_organisation),
                _limit(SignOffDecision.previous_employer),
            ),
        ),
    ]
    for index, item in enumerate(document.evidence):
        position = item.versions.index(item.latest)
        values.append(
            (
                f"evidence[{index}].versions[{position}].title",
                item.latest.title,
                _limit(EvidenceVersion.title),
            )
        )
    for index, line in enumerate(document.procedures):
        values += [
            (f"procedures[{index}].setting", line.setting, _limit(ProcedureLine.setting)),
            (f"procedures[{index}].witness", line.witness, _limit(ProcedureLine.witness_name)),
        ]
    for index, sign_off in enumerate(document.sign_offs):
        where = f"sign_offs[{index}]"
        assessor = sign_off.assessor
        values += [
            (f"{where}.assessor.name", assessor.name, _limit(SignOffDecision.assessor_name)),
            (
                f"{where}.assessor.profession",
                assessor.profession,
                _limit(SignOffDecision.assessor_profession),
            ),
            (
                f"{where}.assessor.register_number",
                assessor.register_number,
                _limit(SignOffDecision.assessor_register_number),
            ),
            (
                f"{where}.previous_employer",
                sign_off.previous_employer,
                _limit(SignOffDecision.previous_employer),
            ),
        ]
    for index, qualification in enumerate(document.qualifications):
        values.append(
            (
                f"qualifications[{index}].code",
                qualification.code,
                _limit(PersonQualification.qualification_code),
            )
        )
    for where, value, limit in values:
        if value is not None and len(value) > limit:
            problems.append(
                Problem(f"portfolio.json: {where}", f"is longer than {limit} characters")
            )


def check_person(
    email: str, name: str | None, document: doc.Document, problems: list[Problem]
) -> None:
    """The email address and name a person added by the import would have, against the
    lengths their columns hold (the command line takes either as typed)."""
    if len(email) > _limit(User.email):
        problems.append(Problem("email", f"is longer than {_limit(User.email)} characters"))
    chosen, where = (
        (name, "name")
        if name and name.strip()
        else (
            document.person.name,
            "portfolio.json: person.name",
        )
    )
    if len(chosen.strip()) > _limit(User.name):
        problems.append(Problem(where, f"is longer than {_limit(User.name)} characters"))

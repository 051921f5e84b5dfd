"""Putting checked framework files into the database: all or nothing, idempotent.

A file whose (code, version) is already loaded with the same content changes nothing. The
same version with different content is refused: a published version never changes, so a
portfolio's record of "assessed against imaging-support 2026.1" always means one thing.
A new version is added beside the old ones, which are kept.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portfolio.audit.services import Auditor
from portfolio.frameworks.files import FileError, FrameworkFilesError, FrameworkSet, ParsedFile
from portfolio.frameworks.models import (
    Competency,
    Framework,
    FrameworkSource,
    FrameworkVersion,
    Pathway,
    Qualification,
    Scope,
)
from portfolio.frameworks.schema import FrameworkFile, QualificationsFile


class Outcome(enum.Enum):
    LOADED = "loaded"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class LoadResult:
    path: str
    code: str
    version: str
    outcome: Outcome

    def __str__(self) -> str:
        verb = "loaded" if self.outcome is Outcome.LOADED else "already loaded, unchanged"
        return f"{self.path}: {self.code} version {self.version} {verb}"


def canonical(model: BaseModel) -> str:
    return json.dumps(model.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))


def _existing(session: Session, parsed: ParsedFile) -> FrameworkVersion | None:
    return session.scalar(
        select(FrameworkVersion)
        .join(Framework, Framework.id == FrameworkVersion.framework_id)
        .where(Framework.code == parsed.code, FrameworkVersion.version == parsed.version)
    )


def plan(session: Session, framework_set: FrameworkSet) -> list[LoadResult]:
    """What loading would do, refusing a changed file whose version was not raised."""
    results, errors = [], []
    for parsed in framework_set.files:
        existing = _existing(session, parsed)
        if existing is None:
            results.append(LoadResult(parsed.path, parsed.code, parsed.version, Outcome.LOADED))
        elif existing.content_hash == parsed.content_hash:
            results.append(LoadResult(parsed.path, parsed.code, parsed.version, Outcome.UNCHANGED))
        else:
            errors.append(
                FileError(
                    parsed.path,
                    None,
                    "version",
                    parsed.lines.get(("version",)),
                    f"{parsed.code} version {parsed.version} is already loaded with different "
                    "content: give the changed file a new version",
                )
            )
    if errors:
        raise FrameworkFilesError(errors)
    return results


def load(auditor: Auditor, framework_set: FrameworkSet) -> list[LoadResult]:
    """Load every new version in the set. Flushes; the caller commits once, or rolls back."""
    session = auditor.session
    results = plan(session, framework_set)
    by_path = {parsed.path: parsed for parsed in framework_set.files}
    for result in results:
        if result.outcome is Outcome.LOADED:
            version = _insert(session, by_path[result.path])
            auditor.record(
                "framework.loaded",
                subject_type="framework_version",
                subject_id=version.id,
                organisation_id=None,
                changes={
                    "code": result.code,
                    "version": result.version,
                    "content_hash": version.content_hash,
                },
            )
    session.flush()
    return results


def _insert(session: Session, parsed: ParsedFile) -> FrameworkVersion:
    data = parsed.data
    framework = session.scalar(select(Framework).where(Framework.code == data.code))
    if framework is None:
        framework = Framework(code=data.code, kind=data.kind, title=data.title)
        session.add(framework)
        session.flush()
    else:
        framework.title = data.title
    sequence = (
        session.scalar(
            select(func.max(FrameworkVersion.sequence)).where(
                FrameworkVersion.framework_id == framework.id
            )
        )
        or 0
    ) + 1
    version = FrameworkVersion(
        framework_id=framework.id,
        version=data.version,
        sequence=sequence,
        title=data.title,
        published_on=data.published_on,
        description=data.description if isinstance(data, FrameworkFile) else data.title,
        nations=",".join(n.value for n in data.nations) if isinstance(data, FrameworkFile) else "",
        content_hash=parsed.content_hash,
    )
    session.add(version)
    session.flush()
    session.add_all(
        FrameworkSource(
            version_id=version.id,
            key=source.key,
            title=source.title,
            publisher=source.publisher,
            date=source.date,
            url=source.url,
        )
        for source in data.sources
    )
    if isinstance(data, FrameworkFile):
        session.add_all(
            Competency(
                version_id=version.id,
                code=item.code,
                title=item.title,
                domain=item.domain,
                level=item.level,
                position=position,
                definition=canonical(item),
            )
            for position, item in enumerate(data.competencies)
        )
        session.add_all(
            Scope(
                version_id=version.id,
                code=item.code,
                title=item.title,
                job_role=item.job_role,
                builds_on=item.builds_on,
                position=position,
                definition=canonical(item),
            )
            for position, item in enumerate(data.scopes)
        )
    elif isinstance(data, QualificationsFile):
        session.add_all(
            Qualification(
                version_id=version.id,
                code=item.code,
                title=item.title,
                framework=item.framework.value,
                level=item.level,
                position=position,
                definition=canonical(item),
            )
            for position, item in enumerate(data.qualifications)
        )
        session.add_all(
            Pathway(
                version_id=version.id,
                job_role=item.job_role,
                position=position,
                definition=canonical(item),
            )
            for position, item in enumerate(data.pathways)
        )
    session.flush()
    return version

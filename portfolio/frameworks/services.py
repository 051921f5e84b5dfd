"""A department's posts and an organisation's local policies. Audited; flush, never commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select

from portfolio.audit.services import Auditor
from portfolio.core.clock import long_date
from portfolio.core.errors import FieldError
from portfolio.core.identifiers import guard
from portfolio.core.roles import JobRole
from portfolio.frameworks.models import LocalPolicy, Post, PostCompetency
from portfolio.people.models import Department, Organisation


class FrameworkChangeError(FieldError):
    """A change that cannot be made, with the form field it belongs to."""


def save_post(
    auditor: Auditor,
    department: Department,
    *,
    name: str,
    job_role: JobRole,
    core_codes: Collection[str],
    optional_in_scope: Collection[str],
    post: Post | None = None,
    confirmed: Collection[str] = (),
) -> Post:
    """Create or change a post. Only optional items of the job role's scope can be made core."""
    name = name.strip()
    guard({"name": name}, confirmed)
    outside = set(core_codes) - set(optional_in_scope)
    if outside:
        raise FrameworkChangeError(
            "core_codes", f"{sorted(outside)[0]} is not an optional item of this job role's scope"
        )
    clash = auditor.session.scalar(
        select(Post.id).where(
            Post.department_id == department.id,
            func.lower(Post.name) == name.lower(),
            Post.id != (post.id if post else 0),
        )
    )
    if clash:
        raise FrameworkChangeError("name", "This department already has a post with this name")
    before = (
        {
            "name": post.name,
            "job_role": post.job_role.value,
            "department_id": post.department_id,
            "core": sorted(item.competency_code for item in post.core_items),
        }
        if post
        else None
    )
    if post is None:
        post = Post(department_id=department.id, name=name, job_role=job_role, core_items=[])
        auditor.session.add(post)
    post.name, post.job_role, post.department_id = name, job_role, department.id
    wanted = set(core_codes)
    post.core_items = [
        *[item for item in post.core_items if item.competency_code in wanted],
        *[
            PostCompetency(competency_code=code)
            for code in sorted(wanted - {item.competency_code for item in post.core_items})
        ],
    ]
    auditor.session.flush()
    after = {
        "name": post.name,
        "job_role": job_role.value,
        "department_id": department.id,
        "core": sorted(wanted),
    }
    if before != after:
        auditor.record(
            "post.created" if before is None else "post.updated",
            subject_type="post",
            subject_id=post.id,
            organisation_id=department.organisation_id,
            changes={"before": before, "after": after} if before else after,
        )
    return post


@dataclass(frozen=True)
class PolicyDetails:
    title: str
    effective_from: dt.date
    supervised_procedures: int | None
    reassessment_months: int | None
    countersignature_required: bool | None
    notes: str | None


def record_policy(
    auditor: Auditor,
    organisation: Organisation,
    competency_code: str,
    details: PolicyDetails,
    *,
    expires: bool,
    confirmed: Collection[str] = (),
) -> LocalPolicy:
    """Add the next version of an organisation's policy for a competency.

    Versions are never edited: a change is a new version from its effective date, so the
    rule any past sign-off was made under can always be shown.
    """
    guard({"title": details.title, "notes": details.notes or ""}, confirmed)
    session = auditor.session
    latest = session.scalar(
        select(LocalPolicy)
        .where(
            LocalPolicy.organisation_id == organisation.id,
            LocalPolicy.competency_code == competency_code,
        )
        .order_by(LocalPolicy.version.desc())
        .limit(1)
    )
    if latest is not None and details.effective_from < latest.effective_from:
        raise FrameworkChangeError(
            "effective_from",
            f"The date must be on or after version {latest.version}'s "
            f"({long_date(latest.effective_from)}); policies apply from their date onwards",
        )
    if details.reassessment_months is not None and not expires:
        raise FrameworkChangeError(
            "reassessment_months", "This competency does not expire, so it has no reassessment"
        )
    policy = LocalPolicy(
        organisation_id=organisation.id,
        competency_code=competency_code,
        version=(latest.version + 1) if latest else 1,
        title=details.title.strip(),
        effective_from=details.effective_from,
        supervised_procedures=details.supervised_procedures,
        reassessment_months=details.reassessment_months,
        countersignature_required=details.countersignature_required,
        notes=(details.notes or "").strip() or None,
        recorded_by_id=auditor.actor_id,
    )
    session.add(policy)
    session.flush()
    auditor.record(
        "local_policy.recorded",
        subject_type="local_policy",
        subject_id=policy.id,
        organisation_id=organisation.id,
        changes={
            "competency": competency_code,
            "version": policy.version,
            "effective_from": details.effective_from.isoformat(),
            "supervised_procedures": details.supervised_procedures,
            "reassessment_months": details.reassessment_months,
            "countersignature_required": details.countersignature_required,
        },
    )
    return policy

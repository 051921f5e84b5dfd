"""The order of supervision levels, and the words of standing (defined with the framework
data in `portfolio.frameworks.practice_terms`, re-exported here)."""

from __future__ import annotations

from collections.abc import Iterable

from portfolio.frameworks.practice_terms import (
    DesignationKind,
    EntitlementKind,
    Modality,
    PatientGroup,
)
from portfolio.standing.status import SupervisionLevel

__all__ = [
    "DesignationKind",
    "EntitlementKind",
    "Modality",
    "PatientGroup",
    "laxer",
    "strictest",
    "strictness",
]

# Strictest first: direct is stricter than indirect, which is stricter than remote.
_STRICTNESS = {
    SupervisionLevel.DIRECT: 2,
    SupervisionLevel.INDIRECT: 1,
    SupervisionLevel.REMOTE: 0,
}


def strictness(level: SupervisionLevel) -> int:
    """Higher is stricter."""
    return _STRICTNESS[level]


def strictest(levels: Iterable[SupervisionLevel | None]) -> SupervisionLevel | None:
    """The strictest of the levels given; None when none is given."""
    given = [level for level in levels if level is not None]
    return max(given, key=strictness, default=None)


def laxer(level: SupervisionLevel, than: SupervisionLevel) -> bool:
    """Whether `level` allows more autonomy than `than` (remote is laxer than indirect)."""
    return strictness(level) < strictness(than)

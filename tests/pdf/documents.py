"""Portfolio documents built by hand, for rendering without a database."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from portfolio.pdf.document import (
    CompetencyLine,
    Cover,
    Domain,
    EvidenceEntry,
    PortfolioDocument,
    ScopeLine,
    SignOffLine,
    Summary,
    Verification,
)
from portfolio.progress.rules import DomainProgress, Tally

ON = dt.date(2026, 3, 3)
# The PDF's top-level bookmarks, one a section, in order (appendices follow "Appendices").
SECTIONS = [
    "Competency portfolio",
    "Summary",
    "Current scope of practice",
    "Competencies by domain",
    "Sign-offs",
    "Supervised procedures",
    "Evidence",
    "Qualifications",
    "Care Certificate",
    "Appendices",
]


def sign_off(code: str = "CANN", **changes: Any) -> SignOffLine:
    line = SignOffLine(
        code=code,
        title="Peripheral intravenous cannulation",
        assessor="Sam Okafor",
        profession="Radiographer",
        register="Health and Care Professions Council (HCPC)",
        register_number="RA123456",
        register_checked_on=dt.date(2026, 2, 1),
        observed_on=dt.date(2026, 3, 1),
        recorded_on=dt.date(2026, 3, 1),
        supervision="Indirect supervision",
        conditions=("Adults only",),
        expires_on=dt.date(2028, 3, 1),
        countersignature="Priya Patel, 2 March 2026",
        transcribed=False,
        transcribed_from=None,
        how_signed="Entered their own password on the worker's device",
        assessed_against="Framework imaging-support version 2026.1",
        standing="In force",
    )
    return dataclasses.replace(line, **changes)


def small_document(*, evidence: int = 1, **changes: Any) -> PortfolioDocument:
    document = PortfolioDocument(
        cover=Cover(
            name="Chris Taylor",
            employee_number="E100",
            organisation="Northfield (test)",
            job_role="Assistant practitioner",
            post=None,
            afc_band="4",
            department="General radiography",
            supervisors=("Sam Okafor",),
            frameworks=("Imaging support, version 2026.1",),
            generated_at=dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC),
            generated_by="Priya Patel",
            on=ON,
        ),
        verification=Verification("TESTCODE", "https://portfolio.example/verify/TESTCODE"),
        summary=Summary(
            overall=Tally(1, 2),
            by_domain=(DomainProgress("Clinical procedures", Tally(1, 2)),),
            by_status=(("Competent", 1), ("Not started", 1)),
            care_certificate=None,
        ),
        scope=(
            ScopeLine(
                "CANN",
                "Peripheral intravenous cannulation",
                "Core",
                True,
                "Indirect supervision; Adults only",
                dt.date(2028, 3, 1),
                "Signed off on 1 March 2026",
            ),
        ),
        domains=(
            Domain(
                "Clinical procedures",
                (
                    CompetencyLine(
                        "CANN", "Cannulation", "Core", "competent", "Competent", "Signed off"
                    ),
                ),
            ),
        ),
        sign_offs=(sign_off(),),
        procedures=(),
        evidence=tuple(
            EvidenceEntry(
                kind="Reflective account",
                title=f"Reflection {number}",
                activity_on=ON,
                version=1,
                competencies=(("CANN", "Cannulation"),),
                text="What I did.\n\n" + "And what I learned from it. " * 40,
                images=(),
                files=(),
            )
            for number in range(evidence)
        ),
        qualifications=(),
        care_certificate=None,
        appendices=(),
        signed_off=(("CANN", "Peripheral intravenous cannulation"),),
    )
    return dataclasses.replace(document, **changes)

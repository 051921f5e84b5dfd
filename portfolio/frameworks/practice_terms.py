"""The words of the framework's practice rules: IR(ME)R entitlement kinds, modalities,
designations, patient groups and supervision levels. Plain enums, shared by the framework
schema and the standing engine (`portfolio.standing`), which imports them from here.
"""

from __future__ import annotations

import enum


class Level(enum.StrEnum):
    """A supervision level as the framework data writes it (`standing.status.SupervisionLevel`
    in the engine)."""

    DIRECT = "direct"
    INDIRECT = "indirect"
    REMOTE = "remote"


class EntitlementKind(enum.StrEnum):
    """The IR(ME)R operator tasks an employer entitles a person to carry out (duty-holder
    tasks under the employer's procedures, IR(ME)R 2017 reg 2 and Schedule 2)."""

    PATIENT_IDENTIFICATION = "patient_identification"
    PREGNANCY_ENQUIRY = "pregnancy_enquiry"  # pregnancy and breastfeeding enquiry
    EXPOSURE = "exposure"  # exposure for named examinations
    EQUIPMENT_QA = "equipment_qa"  # QA of radiological equipment
    IMAGE_PROCESSING = "image_processing"
    RADIOPHARMACEUTICAL_ADMINISTRATION = "radiopharmaceutical_administration"

    @property
    def label(self) -> str:
        return _ENTITLEMENT_LABELS[self]


_ENTITLEMENT_LABELS = {
    EntitlementKind.PATIENT_IDENTIFICATION: "patient identification",
    EntitlementKind.PREGNANCY_ENQUIRY: "pregnancy and breastfeeding enquiry",
    EntitlementKind.EXPOSURE: "exposure",
    EntitlementKind.EQUIPMENT_QA: "QA of radiological equipment",
    EntitlementKind.IMAGE_PROCESSING: "image processing",
    EntitlementKind.RADIOPHARMACEUTICAL_ADMINISTRATION: "radiopharmaceutical administration",
}


class Modality(enum.StrEnum):
    GENERAL_RADIOGRAPHY = "general_radiography"
    FLUOROSCOPY = "fluoroscopy"
    MAMMOGRAPHY = "mammography"
    CT = "ct"
    NUCLEAR_MEDICINE = "nuclear_medicine"
    DXA = "dxa"
    RADIOTHERAPY = "radiotherapy"

    @property
    def label(self) -> str:
        return {
            "general_radiography": "general radiography",
            "fluoroscopy": "fluoroscopy",
            "mammography": "mammography",
            "ct": "CT",
            "nuclear_medicine": "nuclear medicine",
            "dxa": "DXA",
            "radiotherapy": "radiotherapy",
        }[self.value]


class DesignationKind(enum.StrEnum):
    """Designations granted apart from competence (SoR Safety in MRI §2; MHRA guidelines)."""

    MR_AUTHORISED_PERSON = "mr_authorised_person"
    MR_SAFETY_SCREENING = "mr_safety_screening"  # the staff member's own MR safety screening

    @property
    def label(self) -> str:
        return {
            "mr_authorised_person": "MR Authorised Person designation",
            "mr_safety_screening": "staff MR safety screening",
        }[self.value]


class PatientGroup(enum.StrEnum):
    """Who the task is for. Where a child ends and an adult begins is the trust's setting."""

    ADULT = "adult"
    CHILD = "child"

    @property
    def label(self) -> str:
        return {"adult": "adults", "child": "children"}[self.value]


class AssessorList(enum.StrEnum):
    """A department's list of people approved to assess one competency (domain review section
    2b): kept by its educators instead of making registrants hold a support worker's sign-off."""

    CANNULATION_ASSESSOR = "cannulation_assessor"
    ANTT_ASSESSOR = "antt_assessor"
    BLS_INSTRUCTOR = "bls_instructor"
    MR_SAFETY_TRAINER = "mr_safety_trainer"

    @property
    def label(self) -> str:
        return {
            "cannulation_assessor": "Cannulation assessors",
            "antt_assessor": "ANTT assessors",
            "bls_instructor": "Basic life support instructors",
            "mr_safety_trainer": "MR safety trainers",
        }[self.value]

    @property
    def member(self) -> str:
        """One person on it: "an approved cannulation assessor"."""
        return {
            "cannulation_assessor": "an approved cannulation assessor",
            "antt_assessor": "an approved ANTT assessor",
            "bls_instructor": "an approved basic life support instructor",
            "mr_safety_trainer": "an approved MR safety trainer",
        }[self.value]

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

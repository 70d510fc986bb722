"""Cases for tests, made through the real actions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts import actions as account_actions
from consultations import actions
from consultations.access import case_access
from consultations.models import Case
from core.models import Country, DiagnosisCategory, Subspecialty

TRAUMA = {
    "urgency": "urgent",
    "age_value": 34,
    "age_unit": "years",
    "sex": "male",
    "presenting_complaint": "Head injury after a motorcycle crash",
    "history": "Rider without a helmet, lost consciousness at the scene, vomited twice.",
    "mechanism": "motorcycle",
    "gcs_eye": "3",
    "gcs_verbal": "4",
    "gcs_motor": "6",
    "pupil_left_mm": 3,
    "pupil_left_reaction": "brisk",
    "pupil_right_mm": 3,
    "pupil_right_reaction": "brisk",
    "systolic_bp": 130,
    "diastolic_bp": 80,
    "heart_rate": 90,
    "intracranial_bleed": "yes",
    "ct_findings": "Small left temporal extradural haematoma, 8 mm, no midline shift.",
    "question": "Can we observe here, or should we transfer for evacuation?",
}
IDENTITY = {"full_name": "Amina Juma Mollel", "hospital_number": "SRRH/2025/00123", "phone": "+255754123456"}


@pytest.fixture
def consultants(cast):
    """The two consultants of the cast, with their subspecialties and languages."""
    neurotrauma = Subspecialty.objects.get(code="neurotrauma")
    for consultant, languages in [
        (cast.neurosurgeon, ["en", "sw"]),
        (cast.consultant_china, ["zh-hans", "en"]),
    ]:
        account_actions.update_profile(
            consultant, {"languages_spoken": languages}, subspecialties=[neurotrauma]
        )
    return cast


@pytest.fixture
def make_case(consultants):
    cast = consultants

    def make(*, send: bool = False, category: str = "trauma", clinical=None, identity=None, by=None) -> Case:
        referrer = by or cast.referrer
        case = actions.create_draft(
            referrer,
            institution=cast.institutions["SRRH"],
            category=DiagnosisCategory.objects.get(code=category),
            clinical={**TRAUMA, "injury_at": timezone.now() - timedelta(hours=3), **(clinical or {})},
            identity={**IDENTITY, **(identity or {})},
        )
        if send:
            access = case_access(referrer, case)
            actions.record_consent(
                access,
                referrer,
                given_by="relative",
                relationship="brother",
                method="verbal",
                countries=Country.objects.all(),
            )
            actions.submit(case_access(referrer, case), referrer)
            case.refresh_from_db()
        return case

    return make

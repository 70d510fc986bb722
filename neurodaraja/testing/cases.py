"""Cases for every app's tests, made through the real consultation actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import pytest
from django.utils import timezone

from accounts import actions as account_actions
from accounts.models import User
from consultations import actions
from consultations.access import case_access
from consultations.actions import conferences
from consultations.models import Case, Conference, OnCallShift
from core.models import Country, DiagnosisCategory, Subspecialty
from neurodaraja.testing.personas import Personas

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


def with_profiles(cast: Personas) -> Personas:
    """The two consultants of the cast get their subspecialties and languages."""
    neurotrauma = Subspecialty.objects.get(code="neurotrauma")
    for consultant, languages in [
        (cast.neurosurgeon, ["en", "sw"]),
        (cast.consultant_china, ["zh-hans", "en"]),
    ]:
        account_actions.update_profile(
            consultant, {"languages_spoken": languages}, subspecialties=[neurotrauma]
        )
    return cast


def consent(case: Case, user: User, countries: Any = None) -> None:
    """The patient's written consent to a consultation abroad (to every country, unless named)."""
    actions.record_consent(
        case_access(user, case),
        user,
        given_by="patient",
        relationship="",
        method="written",
        countries=countries if countries is not None else Country.objects.all(),
    )


def case_for(
    cast: Personas,
    *,
    send: bool = False,
    category: str = "trauma",
    clinical: dict[str, Any] | None = None,
    identity: dict[str, Any] | None = None,
    by: User | None = None,
) -> Case:
    """A draft (or, with `send`, a sent case) from the referrer at SRRH, made by the real actions."""
    referrer = by or cast.referrer
    case = actions.create_draft(
        referrer,
        institution=cast.institutions["SRRH"],
        category=DiagnosisCategory.objects.get(code=category),
        clinical={**TRAUMA, "injury_at": timezone.now() - timedelta(hours=3), **(clinical or {})},
        identity={**IDENTITY, **(identity or {})},
    )
    if send:
        actions.record_consent(
            case_access(referrer, case),
            referrer,
            given_by="relative",
            relationship="brother",
            method="verbal",
            countries=Country.objects.all(),
        )
        actions.submit(case_access(referrer, case), referrer)
        case.refresh_from_db()
    return case


@pytest.fixture
def consultants(cast: Personas) -> Personas:
    """The cast, with the two consultants' subspecialties and languages."""
    return with_profiles(cast)


@pytest.fixture
def make_case(consultants: Personas) -> Callable[..., Case]:
    """`make_case(send=…, category=…, clinical=…, identity=…, by=…)`: see `case_for`."""
    return partial(case_for, consultants)


def assigned_to_china(cast: Personas, make_case: Callable[..., Case]) -> Case:
    """A sent case, assigned to the consultant in China (on call when it was sent)."""
    now = timezone.now()
    OnCallShift.objects.create(
        consultant=cast.consultant_china, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=9)
    )
    case = make_case(send=True)
    assert case.assignments.get().consultant == cast.consultant_china  # noqa: S101
    return case


def answered(cast: Personas, make_case: Callable[..., Case]) -> Case:
    """A case the consultant in China has answered (an opinion written in Chinese)."""
    case = assigned_to_china(cast, make_case)
    actions.give_opinion(
        case_access(cast.consultant_china, case),
        cast.consultant_china,
        {
            "impression": "硬膜外血肿",
            "recommendation": "transfer",
            "transfer_to": "Bugando Medical Centre",
            "timing": "within_24h",
            "advice": "Hourly neuro observations.",
            "confidence": "high",
        },
    )
    return case


def english(user: User) -> None:
    """The person reads English from now on (for assertions that read English text)."""
    account_actions.update_profile(user, {"preferred_language": "en"})


@pytest.fixture
def meeting(consultants: Personas) -> Conference:
    """A teaching round at SRRH, organised by its coordinator, nobody invited and no case yet."""
    return conferences.schedule(
        consultants.coordinator,
        institution=consultants.institutions["SRRH"],
        title="Teaching round",
        starts_at=datetime(2026, 12, 3, 11, 0, tzinfo=UTC),
        duration_minutes=60,
        video_link="",
    )

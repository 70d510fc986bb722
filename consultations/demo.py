"""Demonstration consultations: fictional patients, made through the real actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_DOMAIN
from accounts.models import Institution, User
from consultations import actions
from consultations.access import case_access
from consultations.models import Case, OnCallShift
from core.models import Country, DiagnosisCategory


def _person(local_part: str) -> User:
    return User.objects.get(email=f"{local_part}@{DEMO_DOMAIN}")


@dataclass(frozen=True)
class _Referral:
    """Who refers the demo cases, from where, and to which countries the consent reaches."""

    referrer: User
    institution: Institution
    countries: list[Country]

    def make(self, category: str, clinical: dict[str, Any], name: str, *, send: bool) -> Case:
        case = actions.create_draft(
            self.referrer,
            institution=self.institution,
            category=DiagnosisCategory.objects.get(code=category, specialty__code="neurosurgery"),
            clinical={"age_unit": "years", "intracranial_bleed": "unknown", **clinical},
            identity={"full_name": name, "hospital_number": f"DEMO-{name[-1]}"},
        )
        if send:
            actions.record_consent(
                case_access(self.referrer, case),
                self.referrer,
                given_by="relative",
                relationship="mother",
                method="verbal",
                countries=self.countries,
            )
            actions.submit(case_access(self.referrer, case), self.referrer)
            case.refresh_from_db()
        return case


@transaction.atomic
def load_demo() -> int:
    """Create the demo cases once; return how many were created (0 when they exist)."""
    referrer = _person("referrer")
    if Case.objects.filter(created_by=referrer).exists():
        return 0
    now = timezone.now()
    _put_consultants_on_call(now)
    referral = _Referral(referrer, Institution.objects.get(short_code="SRRH"), list(Country.objects.all()))
    trauma = _head_injury(now)
    referral.make(
        "trauma",
        {
            **trauma,
            "urgency": "emergency",
            "age_value": 24,
            "gcs_eye": "2",
            "gcs_verbal": "2",
            "gcs_motor": "5",
            "pupil_left_mm": 5,
            "pupil_left_reaction": "non_reactive",
            "question": "Falling GCS with a dilated left pupil: burr hole here, or transfer to Bugando?",
        },
        "Demo Patient A",
        send=True,
    )
    answered = referral.make(
        "trauma",
        {
            **trauma,
            "urgency": "urgent",
            "age_value": 41,
            "question": "Observe here, or transfer for evacuation?",
        },
        "Demo Patient B",
        send=True,
    )
    _advise_transfer(answered)
    referral.make(
        "hydrocephalus",
        {
            "urgency": "routine",
            "age_value": 8,
            "age_unit": "months",
            "sex": "female",
            "shunt_history": "shunt",
            "presenting_complaint": "Bulging fontanelle and vomiting, shunt placed 4 months ago",
            "question": "Shunt malfunction? Revise here or refer?",
        },
        "Demo Patient C",
        send=False,
    )
    return 3


def _put_consultants_on_call(now: datetime) -> None:
    for local_part in ("neurosurgeon", "consultant.qilu"):
        OnCallShift.objects.create(
            consultant=_person(local_part),
            starts_at=now - timedelta(hours=2),
            ends_at=now + timedelta(days=7),
        )


def _head_injury(now: datetime) -> dict[str, Any]:
    """A young man after a motorcycle crash with an extradural haematoma: the trauma cases' base."""
    return {
        "sex": "male",
        "mechanism": "motorcycle",
        "injury_at": now - timedelta(hours=5),
        "presenting_complaint": "Head injury, bodaboda crash, no helmet",
        "history": "Lost consciousness briefly, vomited twice, now drowsy.",
        "gcs_eye": "3",
        "gcs_verbal": "4",
        "gcs_motor": "6",
        "pupil_left_mm": 3,
        "pupil_left_reaction": "brisk",
        "pupil_right_mm": 3,
        "pupil_right_reaction": "brisk",
        "systolic_bp": 135,
        "diastolic_bp": 85,
        "heart_rate": 88,
        "intracranial_bleed": "yes",
        "ct_findings": "Left temporal extradural haematoma about 10 mm thick, 3 mm midline shift.",
    }


def _advise_transfer(case: Case) -> None:
    consultant = case.assignments.get().consultant
    actions.give_opinion(
        case_access(consultant, case),
        consultant,
        {
            "impression": "Small extradural haematoma in a conscious patient.",
            "recommendation": "transfer",
            "transfer_to": "Bugando Medical Centre",
            "timing": "within_24h",
            "advice": "Hourly neurological observations; repeat CT or transfer at once if GCS falls by 2.",
            "confidence": "high",
        },
    )

"""Red flags that suggest raising a case's urgency, and response deadlines (plain Python)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum


class Urgency(StrEnum):
    EMERGENCY = "emergency"
    URGENT = "urgent"
    ROUTINE = "routine"


ORDER = [Urgency.ROUTINE, Urgency.URGENT, Urgency.EMERGENCY]


class RedFlag(StrEnum):
    LOW_GCS = "low_gcs"  # GCS 8 or less
    FALLING_GCS = "falling_gcs"
    NON_REACTIVE_PUPIL = "non_reactive_pupil"
    UNEQUAL_PUPILS = "unequal_pupils"  # sizes 1 mm or more apart, or one sluggish and one brisk
    CUSHING_PATTERN = "cushing_pattern"  # high blood pressure with a slow pulse
    ANTICOAGULATED_BLEED = "anticoagulated_bleed"


# Pupils this far apart or more are unequal (the definition: "a difference of 1 mm or more").
UNEQUAL_PUPILS_MM = Decimal(1)
# The Cushing pattern is a rising blood pressure with a slowing pulse. A case records one set
# of vital signs, so the rise cannot be seen; a high pressure and a slow pulse at the same time
# are taken as the pattern. Neither number is in REFERENCES.md; both are the conventional adult
# definitions of standard teaching: hypertension is a systolic pressure of 140 mmHg or more,
# bradycardia a heart rate below 60 a minute. Children's normal pulse is faster, so in a child
# these thresholds catch only a marked pattern: the flag may miss one, it never invents one.
CUSHING_SYSTOLIC_MMHG = 140
CUSHING_HEART_RATE_BELOW = 60


@dataclass(frozen=True)
class TriageInput:
    gcs_total: int | None  # None when a component is not testable or missing
    gcs_falling: bool
    left_pupil_reaction: str  # "brisk", "sluggish", "non_reactive", "not_assessable", ""
    right_pupil_reaction: str
    on_anticoagulant_or_antiplatelet: bool
    intracranial_bleed: str  # "yes", "no", "unknown"
    # Sizes in mm, in half millimetres (Decimal from the model; int or float accepted).
    left_pupil_mm: Decimal | float | None = None
    right_pupil_mm: Decimal | float | None = None
    systolic_bp: int | None = None  # mmHg
    heart_rate: int | None = None  # per minute


def _mm(value: Decimal | float) -> Decimal:
    # Through str, so 4.5 (float) and Decimal("4.5") are the same number.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def unequal_pupils(case: TriageInput) -> bool:
    left, right = case.left_pupil_mm, case.right_pupil_mm
    if left is not None and right is not None and abs(_mm(left) - _mm(right)) >= UNEQUAL_PUPILS_MM:
        return True
    # A pupil that does not react at all is its own red flag; here one is slower than the other.
    return {case.left_pupil_reaction, case.right_pupil_reaction} == {"sluggish", "brisk"}


def cushing_pattern(case: TriageInput) -> bool:
    if case.systolic_bp is None or case.heart_rate is None:
        return False
    return case.systolic_bp >= CUSHING_SYSTOLIC_MMHG and case.heart_rate < CUSHING_HEART_RATE_BELOW


def red_flags(case: TriageInput) -> list[RedFlag]:
    flags = []
    if case.gcs_total is not None and case.gcs_total <= 8:
        flags.append(RedFlag.LOW_GCS)
    if case.gcs_falling:
        flags.append(RedFlag.FALLING_GCS)
    if "non_reactive" in (case.left_pupil_reaction, case.right_pupil_reaction):
        flags.append(RedFlag.NON_REACTIVE_PUPIL)
    if unequal_pupils(case):
        flags.append(RedFlag.UNEQUAL_PUPILS)
    if cushing_pattern(case):
        flags.append(RedFlag.CUSHING_PATTERN)
    if case.on_anticoagulant_or_antiplatelet and case.intracranial_bleed == "yes":
        flags.append(RedFlag.ANTICOAGULATED_BLEED)
    return flags


def suggested_urgency(chosen: Urgency, flags: list[RedFlag]) -> Urgency | None:
    """The urgency to suggest instead of the chosen one, or None if the choice stands.

    Any red flag makes a case an emergency; the referrer decides, the form only suggests.
    """
    if flags and chosen != Urgency.EMERGENCY:
        return Urgency.EMERGENCY
    return None


def response_deadline(submitted_at: datetime, urgency: Urgency, minutes: Mapping[str, int]) -> datetime:
    """When a consultant must have acknowledged the case."""
    return submitted_at + timedelta(minutes=minutes[urgency])

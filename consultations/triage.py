"""Red flags that suggest raising a case's urgency, and response deadlines (plain Python)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
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
    ANTICOAGULATED_BLEED = "anticoagulated_bleed"


@dataclass(frozen=True)
class TriageInput:
    gcs_total: int | None  # None when a component is not testable or missing
    gcs_falling: bool
    left_pupil_reaction: str  # "brisk", "sluggish", "non_reactive", "not_assessable", ""
    right_pupil_reaction: str
    on_anticoagulant_or_antiplatelet: bool
    intracranial_bleed: str  # "yes", "no", "unknown"


def red_flags(case: TriageInput) -> list[RedFlag]:
    flags = []
    if case.gcs_total is not None and case.gcs_total <= 8:
        flags.append(RedFlag.LOW_GCS)
    if case.gcs_falling:
        flags.append(RedFlag.FALLING_GCS)
    if "non_reactive" in (case.left_pupil_reaction, case.right_pupil_reaction):
        flags.append(RedFlag.NON_REACTIVE_PUPIL)
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

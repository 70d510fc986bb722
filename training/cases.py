"""What a consultation case offers its logbook entry: the case whose outcome records an operation
here gives the entry form its code, the operation's date where the reader is shown it (the
referring team), and the patient's age band and sex. Never an identity field."""

from __future__ import annotations

from typing import Any

from consultations.access import CaseAccess
from consultations.models import AgeUnit, Outcome
from training.models import AgeBand, Sex

BANDS = [(1, AgeBand.INFANT), (16, AgeBand.CHILD), (40, AgeBand.YOUNG), (65, AgeBand.MIDDLE)]


def operated_outcome(access: CaseAccess) -> Outcome | None:
    outcome = Outcome.objects.filter(case=access.case).first()
    return outcome if outcome and outcome.management == Outcome.Management.OPERATED_LOCALLY else None


def age_band(value: int | None, unit: str) -> str:
    if value is None:
        return ""
    years = value / 12 if unit == AgeUnit.MONTHS else value
    return next((band.value for limit, band in BANDS if years < limit), AgeBand.OLDER.value)


def prefill(access: CaseAccess) -> dict[str, Any]:
    """The entry form's initial values from the case (empty where the case does not hold them)."""
    case = access.case
    found: dict[str, Any] = {"case_code": case.code}
    band = age_band(case.age_value, case.age_unit)
    if band:
        found["age_band"] = band
    if case.sex in Sex.values:
        found["sex"] = case.sex
    outcome = operated_outcome(access)
    # The exact date only for those the case page shows it to (the referring team).
    if outcome is not None and outcome.operation_date and access.sees_identity:
        found["performed_on"] = outcome.operation_date
    return found

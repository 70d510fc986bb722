"""What an outcome may not say at once: the one statement of the consistency rules, read by the
outcome page and the API through the outcome action, so the two cannot disagree.

Plain values in, `{field: code}` out (the first problem found for each field); the Django layer
turns each code into a translated sentence (`consultations.actions.closing.OUTCOME_MESSAGES`).
The codes are the choices' values of `consultations.models.Outcome`, repeated here so that this
module imports no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

OPERATED_LOCALLY = "operated_locally"
CONSERVATIVE = "conservative"
DIED_BEFORE_TREATMENT = "died_before_treatment"
RECEIVING_HOSPITAL = "receiving_hospital"
DIED = "died"
STILL_ADMITTED = "still_admitted"
GOSE_DEAD = 1

# The 6-month GOS-E is taken between five and seven months after the injury (the usual window
# of the trials that use it); earlier, what was recorded is not a 6-month outcome.
SIX_MONTHS_AT_THE_EARLIEST = timedelta(days=150)

# Codes, one per contradiction. A field may carry only one: the first rule that fails.
NOT_OPERATED_DIED_FIRST = "not_operated_died_first"
NOT_OPERATED_CONSERVATIVE = "not_operated_conservative"
DIED_FIRST_MEANS_DIED = "died_first_means_died"
OPERATION_MISSING = "operation_missing"
OPERATED_HERE_NOT_BY_RECEIVER = "operated_here_not_by_receiver"
OPERATION_IN_FUTURE = "operation_in_future"
OPERATION_BEFORE_BIRTH = "operation_before_birth"
OPERATION_BEFORE_INJURY = "operation_before_injury"
OPERATION_BEFORE_ADMISSION = "operation_before_admission"
OPERATION_BEFORE_REFERRAL = "operation_before_referral"
ALIVE_NOT_GOSE_1 = "alive_not_gose_1"
DIED_MEANS_GOSE_1 = "died_means_gose_1"
NOT_DISCHARGED_YET = "not_discharged_yet"
DEAD_EARLIER_MEANS_GOSE_1 = "dead_earlier_means_gose_1"
SIX_MONTHS_NOT_YET = "six_months_not_yet"


@dataclass(frozen=True)
class OutcomeValues:
    management: str
    discharge_status: str
    operated_by: str = ""
    operation: str = ""
    operation_date: date | None = None
    gose_discharge: int | None = None
    gose_6_months: int | None = None


@dataclass(frozen=True)
class KnownDates:
    """What the record already says, each a calendar date where the referring hospital is."""

    today: date
    born_on: date | None = None
    injured_on: date | None = None
    admitted_on: date | None = None
    referred_on: date | None = None


def outcome_problems(outcome: OutcomeValues, known: KnownDates) -> dict[str, str]:
    """Each field that contradicts the rest of the outcome or the record, with why (a code)."""
    problems: dict[str, str] = {}

    def refuse(field: str, code: str) -> None:
        problems.setdefault(field, code)

    operation_fields = {
        "operated_by": bool(outcome.operated_by),
        "operation": bool(outcome.operation.strip()),
        "operation_date": outcome.operation_date is not None,
    }
    if outcome.management in (DIED_BEFORE_TREATMENT, CONSERVATIVE):
        code = (
            NOT_OPERATED_DIED_FIRST
            if outcome.management == DIED_BEFORE_TREATMENT
            else NOT_OPERATED_CONSERVATIVE
        )
        for field, filled in operation_fields.items():
            if filled:
                refuse(field, code)
    if outcome.management == DIED_BEFORE_TREATMENT and outcome.discharge_status != DIED:
        refuse("discharge_status", DIED_FIRST_MEANS_DIED)
    if outcome.management == OPERATED_LOCALLY:
        if not operation_fields["operation"]:
            refuse("operation", OPERATION_MISSING)
        if outcome.operated_by == RECEIVING_HOSPITAL:
            refuse("operated_by", OPERATED_HERE_NOT_BY_RECEIVER)

    when = outcome.operation_date
    if when is not None:
        if when > known.today:
            refuse("operation_date", OPERATION_IN_FUTURE)
        for earlier, code in (
            (known.born_on, OPERATION_BEFORE_BIRTH),
            (known.injured_on, OPERATION_BEFORE_INJURY),
            (known.admitted_on, OPERATION_BEFORE_ADMISSION),
            (known.referred_on, OPERATION_BEFORE_REFERRAL),
        ):
            if earlier is not None and when < earlier:
                refuse("operation_date", code)

    dead_at_discharge = outcome.discharge_status == DIED
    if outcome.gose_discharge is not None:
        if outcome.discharge_status == STILL_ADMITTED:
            refuse("gose_discharge", NOT_DISCHARGED_YET)
        elif dead_at_discharge and outcome.gose_discharge != GOSE_DEAD:
            refuse("gose_discharge", DIED_MEANS_GOSE_1)
        elif not dead_at_discharge and outcome.gose_discharge == GOSE_DEAD:
            refuse("gose_discharge", ALIVE_NOT_GOSE_1)
    if outcome.gose_6_months is not None:
        dead_before = dead_at_discharge or outcome.gose_discharge == GOSE_DEAD
        if dead_before and outcome.gose_6_months != GOSE_DEAD:
            refuse("gose_6_months", DEAD_EARLIER_MEANS_GOSE_1)
        start = known.injured_on or known.admitted_on or known.referred_on
        # A death is its own 6-month outcome, known as soon as it happens.
        too_early = start is not None and known.today < start + SIX_MONTHS_AT_THE_EARLIEST
        if too_early and not dead_before:
            refuse("gose_6_months", SIX_MONTHS_NOT_YET)
    return problems

"""The outcome's consistency rules, over plain values."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lib import outcome_rules as rules
from lib.outcome_rules import KnownDates, OutcomeValues, outcome_problems

TODAY = date(2026, 12, 1)
KNOWN = KnownDates(
    today=TODAY,
    born_on=date(1990, 5, 4),
    injured_on=TODAY - timedelta(days=10),
    admitted_on=TODAY - timedelta(days=9),
    referred_on=TODAY - timedelta(days=8),
)
DAY = timedelta(days=1)


def problems(known: KnownDates = KNOWN, **values: object) -> dict[str, str]:
    return outcome_problems(OutcomeValues(**{"discharge_status": "home", **values}), known)  # type: ignore[arg-type]


def test_a_consistent_outcome_has_no_problem():
    assert (
        problems(
            management="operated_locally",
            operated_by="local_surgeon",
            operation="Craniotomy",
            operation_date=TODAY - 7 * DAY,
            gose_discharge=6,
        )
        == {}
    )
    assert problems(management="died_before_treatment", discharge_status="died", gose_discharge=1) == {}
    assert problems(management="transferred", operated_by="receiving_hospital", operation="EVD") == {}


def test_the_contradictions_of_the_report_are_each_named():
    """Died before treatment, yet operated by a surgeon of the hospital, with an operation date in
    the future, alive and gone home, GOS-E 1."""
    assert problems(
        management="died_before_treatment",
        operated_by="local_surgeon",
        operation="Craniotomy",
        operation_date=TODAY + 3 * DAY,
        discharge_status="home",
        gose_discharge=1,
    ) == {
        "operated_by": rules.NOT_OPERATED_DIED_FIRST,
        "operation": rules.NOT_OPERATED_DIED_FIRST,
        "operation_date": rules.NOT_OPERATED_DIED_FIRST,
        "discharge_status": rules.DIED_FIRST_MEANS_DIED,
        "gose_discharge": rules.ALIVE_NOT_GOSE_1,
    }


@pytest.mark.parametrize(
    ("values", "field", "code"),
    [
        (
            {"management": "conservative", "operation": "Burr hole"},
            "operation",
            rules.NOT_OPERATED_CONSERVATIVE,
        ),
        (
            {"management": "conservative", "operated_by": "local_surgeon"},
            "operated_by",
            rules.NOT_OPERATED_CONSERVATIVE,
        ),
        ({"management": "operated_locally", "operation": "  "}, "operation", rules.OPERATION_MISSING),
        (
            {"management": "operated_locally", "operation": "EVD", "operated_by": "receiving_hospital"},
            "operated_by",
            rules.OPERATED_HERE_NOT_BY_RECEIVER,
        ),
        (
            {"management": "operated_locally", "operation": "EVD", "operation_date": TODAY + DAY},
            "operation_date",
            rules.OPERATION_IN_FUTURE,
        ),
        (
            {"management": "operated_locally", "operation": "EVD", "operation_date": TODAY - 11 * DAY},
            "operation_date",
            rules.OPERATION_BEFORE_INJURY,
        ),
        (
            {"management": "transferred", "operation": "EVD", "operation_date": date(1989, 1, 1)},
            "operation_date",
            rules.OPERATION_BEFORE_BIRTH,
        ),
        (
            {"management": "conservative", "discharge_status": "died", "gose_discharge": 3},
            "gose_discharge",
            rules.DIED_MEANS_GOSE_1,
        ),
        (
            {"management": "conservative", "discharge_status": "transferred", "gose_discharge": 1},
            "gose_discharge",
            rules.ALIVE_NOT_GOSE_1,
        ),
        (
            {"management": "conservative", "discharge_status": "still_admitted", "gose_discharge": 4},
            "gose_discharge",
            rules.NOT_DISCHARGED_YET,
        ),
        (
            {"management": "conservative", "discharge_status": "died", "gose_6_months": 4},
            "gose_6_months",
            rules.DEAD_EARLIER_MEANS_GOSE_1,
        ),
        (
            {
                "management": "conservative",
                "discharge_status": "home",
                "gose_discharge": 1,
                "gose_6_months": 5,
            },
            "gose_6_months",
            rules.DEAD_EARLIER_MEANS_GOSE_1,
        ),
        (
            {"management": "conservative", "gose_discharge": 6, "gose_6_months": 7},
            "gose_6_months",
            rules.SIX_MONTHS_NOT_YET,
        ),
    ],
)
def test_each_rule(values, field, code):
    assert problems(**values).get(field) == code


def test_an_operation_before_the_admission_or_the_referral():
    known = KnownDates(
        today=TODAY, injured_on=TODAY - 30 * DAY, admitted_on=TODAY - 5 * DAY, referred_on=TODAY - 2 * DAY
    )
    operated = {"management": "operated_locally", "operation": "Craniotomy"}
    assert problems(known, **operated, operation_date=TODAY - 6 * DAY) == {
        "operation_date": rules.OPERATION_BEFORE_ADMISSION
    }
    assert problems(known, **operated, operation_date=TODAY - 3 * DAY) == {
        "operation_date": rules.OPERATION_BEFORE_REFERRAL
    }
    assert problems(known, **operated, operation_date=TODAY - 2 * DAY) == {}
    assert problems(known, **operated, operation_date=TODAY) == {}


def test_the_6_month_outcome_once_six_months_have_passed_or_after_a_death():
    known = KnownDates(today=TODAY, injured_on=TODAY - 160 * DAY)
    assert problems(known, management="conservative", gose_6_months=7) == {}
    early = KnownDates(today=TODAY, referred_on=TODAY - 20 * DAY)
    assert problems(early, management="conservative", gose_6_months=7) == {
        "gose_6_months": rules.SIX_MONTHS_NOT_YET
    }
    assert problems(early, management="conservative", discharge_status="died", gose_6_months=1) == {}


def test_nothing_known_refuses_nothing_about_dates():
    assert (
        problems(
            KnownDates(today=TODAY), management="operated_locally", operation="EVD", operation_date=TODAY
        )
        == {}
    )

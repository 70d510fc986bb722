"""An outcome that contradicts itself or the record is refused, on the page and in the API alike,
field by field, and a refused outcome closes nothing, tells no one and records nothing."""

from __future__ import annotations

import json
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from consultations.actions.closing import OUTCOME_MESSAGES
from consultations.models import Outcome, Status
from core.models import AuditEntry, Notification
from lib import outcome_rules as rules
from neurodaraja.testing.api_clients import bearer_client
from neurodaraja.testing.cases import answered
from neurodaraja.testing.personas import sign_in

DAY = timedelta(days=1)


def today():
    return timezone.now().astimezone(ZoneInfo("Africa/Dar_es_Salaam")).date()


def long_ago(days: int):
    return timezone.now() - days * DAY


# (what the case says, the outcome, {field: code} expected among the refusals)
SCENARIOS = {
    "died before treatment yet operated, in the future, home with GOS-E 1": (
        {},
        lambda: {
            "management": "died_before_treatment",
            "operated_by": "local_surgeon",
            "operation": "Craniotomy",
            "operation_date": today() + 3 * DAY,
            "discharge_status": "home",
            "gose_discharge": 1,
        },
        {
            "operated_by": rules.NOT_OPERATED_DIED_FIRST,
            "operation": rules.NOT_OPERATED_DIED_FIRST,
            "operation_date": rules.NOT_OPERATED_DIED_FIRST,
            "discharge_status": rules.DIED_FIRST_MEANS_DIED,
            "gose_discharge": rules.ALIVE_NOT_GOSE_1,
        },
    ),
    "managed conservatively yet operated": (
        {},
        lambda: {"management": "conservative", "operation": "Burr hole", "discharge_status": "home"},
        {"operation": rules.NOT_OPERATED_CONSERVATIVE},
    ),
    "operated here without saying which operation": (
        {},
        lambda: {"management": "operated_locally", "discharge_status": "home"},
        {"operation": rules.OPERATION_MISSING},
    ),
    "operated here by the receiving hospital": (
        {},
        lambda: {
            "management": "operated_locally",
            "operation": "EVD",
            "operated_by": "receiving_hospital",
            "discharge_status": "home",
        },
        {"operated_by": rules.OPERATED_HERE_NOT_BY_RECEIVER},
    ),
    "operated in the future": (
        {},
        lambda: {
            "management": "operated_locally",
            "operation": "EVD",
            "operation_date": today() + DAY,
            "discharge_status": "home",
        },
        {"operation_date": rules.OPERATION_IN_FUTURE},
    ),
    "operated before the injury": (
        {"clinical": {"injury_at": long_ago(10)}},
        lambda: {
            "management": "operated_locally",
            "operation": "EVD",
            "operation_date": today() - 12 * DAY,
            "discharge_status": "home",
        },
        {"operation_date": rules.OPERATION_BEFORE_INJURY},
    ),
    "operated before the admission": (
        {"clinical": {"injury_at": long_ago(20)}, "identity": {"admitted_on": today() - 3 * DAY}},
        lambda: {
            "management": "operated_locally",
            "operation": "EVD",
            "operation_date": today() - 5 * DAY,
            "discharge_status": "home",
        },
        {"operation_date": rules.OPERATION_BEFORE_ADMISSION},
    ),
    "operated before the referral": (
        {"clinical": {"injury_at": long_ago(20)}, "identity": {"admitted_on": today() - 20 * DAY}},
        lambda: {
            "management": "operated_locally",
            "operation": "EVD",
            "operation_date": today() - 5 * DAY,
            "discharge_status": "home",
        },
        {"operation_date": rules.OPERATION_BEFORE_REFERRAL},
    ),
    "operated before birth": (
        {"identity": {"date_of_birth": today() - 40 * DAY}},
        lambda: {
            "management": "transferred",
            "operated_by": "receiving_hospital",
            "operation": "EVD",
            "operation_date": today() - 400 * DAY,
            "discharge_status": "transferred",
        },
        {"operation_date": rules.OPERATION_BEFORE_BIRTH},
    ),
    "died with GOS-E above 1": (
        {},
        lambda: {"management": "conservative", "discharge_status": "died", "gose_discharge": 4},
        {"gose_discharge": rules.DIED_MEANS_GOSE_1},
    ),
    "GOS-E at discharge while still admitted": (
        {},
        lambda: {"management": "conservative", "discharge_status": "still_admitted", "gose_discharge": 4},
        {"gose_discharge": rules.NOT_DISCHARGED_YET},
    ),
    "alive at 6 months after dying": (
        {},
        lambda: {"management": "conservative", "discharge_status": "died", "gose_6_months": 6},
        {"gose_6_months": rules.DEAD_EARLIER_MEANS_GOSE_1},
    ),
    "a 6-month GOS-E three hours after the injury": (
        {},
        lambda: {
            "management": "conservative",
            "discharge_status": "home",
            "gose_discharge": 6,
            "gose_6_months": 7,
        },
        {"gose_6_months": rules.SIX_MONTHS_NOT_YET},
    ),
}


def case_with(cast, make_case, setup):
    """An answered case (its consultant waits to hear the outcome) with the scenario's record."""

    def make(**kwargs):
        return make_case(**{**kwargs, **setup})

    return answered(cast, make)


def nothing_happened(case):
    case.refresh_from_db()
    assert case.status == Status.ANSWERED and case.closed_at is None
    assert not Outcome.objects.filter(case=case).exists()
    assert not Notification.objects.filter(kind="consultations.outcome").exists()
    assert not AuditEntry.objects.filter(action="consultations.outcome_recorded").exists()
    assert case.assignments.filter(ended_at__isnull=True).exists()


def as_form(outcome):
    return {name: "" if value is None else str(value) for name, value in outcome.items()}


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_page_refuses_a_contradiction_on_its_field(cast, make_case, scenario):
    setup, outcome, expected = SCENARIOS[scenario]
    case = case_with(cast, make_case, setup)
    response = sign_in(Client(), cast.referrer).post(
        f"/consultations/{case.code}/outcome/", as_form(outcome())
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    for field, code in expected.items():
        assert str(OUTCOME_MESSAGES[code]) in errors[field], (field, errors)
    nothing_happened(case)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_api_refuses_the_same_contradiction_on_the_same_field(cast, make_case, scenario):
    setup, outcome, expected = SCENARIOS[scenario]
    case = case_with(cast, make_case, setup)
    body = {"operated_by": "", "operation": "", **outcome()}
    response = bearer_client(cast.referrer).put(
        f"/api/v1/cases/{case.code}/outcome",
        data=json.dumps(body, default=str),
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    answer = response.json()
    assert answer["code"] == "invalid"
    found = {error["field"]: error["type"] for error in answer["detail"]}
    assert expected.items() <= found.items(), found
    assert all(error["message"] for error in answer["detail"])
    nothing_happened(case)


def test_a_consistent_outcome_is_recorded_on_the_page_and_closes_the_case(cast, make_case):
    case = case_with(cast, make_case, {})
    outcome = {
        "management": "operated_locally",
        "operated_by": "local_surgeon",
        "operation": "Craniotomy and evacuation",
        "operation_date": today().isoformat(),
        "discharge_status": "home",
        "gose_discharge": "6",
        "gose_6_months": "",
        "complications": "",
    }
    response = sign_in(Client(), cast.referrer).post(f"/consultations/{case.code}/outcome/", outcome)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert Notification.objects.filter(kind="consultations.outcome").exists()


def test_the_refusal_is_said_in_the_persons_language(cast, make_case):
    case = case_with(cast, make_case, {})
    outcome = {"management": "died_before_treatment", "discharge_status": "home", "gose_discharge": 1}
    for language, word in [("sw", "GOS-E"), ("zh-hans", "GOS-E")]:
        cast.referrer.preferred_language = language
        cast.referrer.save()
        client = sign_in(Client(), cast.referrer)
        page = client.post(f"/consultations/{case.code}/outcome/", as_form(outcome))
        english = "GOS-E 1 means dead, but the status at discharge says alive: correct one of them."
        assert page.status_code == 400
        message = page.context["form"].errors["gose_discharge"][0]
        assert word in message and message != english
        api = bearer_client(cast.referrer).put(
            f"/api/v1/cases/{case.code}/outcome",
            data=json.dumps({**outcome}),
            content_type="application/json",
        )
        assert message in {error["message"] for error in api.json()["detail"]}
    nothing_happened(case)

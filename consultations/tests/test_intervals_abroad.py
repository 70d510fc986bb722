"""Outside the referring team, intervals are ranges: with the time a case was sent (which the
consultant knows to the minute), "9 days from referral to operation" was the operation date and
"3 hours before referral" the time of injury.

The proof is by indistinguishability: two patients whose operation (or injury) fell on different
days (hours) within one range look exactly the same to the consultant abroad — the API answers,
the case page, the list, the FHIR bundle and the advice letter — so no combination of what they
receive gives the date. The referring team, who see the dates themselves, are told them.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from consultations import actions
from consultations.access import case_access
from consultations.models import INJURY_TO_REFERRAL, REFERRAL_TO_OPERATION, Case
from neurodaraja.testing.api_clients import bearer_client
from neurodaraja.testing.cases import answered
from neurodaraja.testing.pdf import pdf_text
from neurodaraja.testing.personas import sign_in

DAY = timedelta(days=1)


def sent_days_ago(case: Case, days: int) -> Case:
    """The case as if sent `days` ago, injured three hours before."""
    sent = timezone.now() - days * DAY
    Case.objects.filter(pk=case.pk).update(submitted_at=sent, injury_at=sent - timedelta(hours=3))
    case.refresh_from_db()
    return case


def record(cast, case, operated_on):
    actions.record_outcome(
        case_access(cast.referrer, case),
        cast.referrer,
        {
            "management": "operated_locally",
            "operated_by": "local_surgeon",
            "operation": "Craniotomy",
            "operation_date": operated_on,
            "discharge_status": "home",
            "gose_discharge": 6,
        },
    )


def _same_every_time(html: str) -> str:
    """The page without what changes at every request (form tokens, the script nonce) and the
    count of unread notifications (recording the outcome again told the consultant again)."""
    html = re.sub(r'(name="(?:csrfmiddlewaretoken|client_token)" value=")[^"]*', r"\1", html)
    html = re.sub(r'<span class="badge">\d+</span>', "", html)
    return re.sub(r'nonce="[^"]*"', "", html)


def everything_received(person, case) -> dict[str, object]:
    api = bearer_client(person)
    page = sign_in(Client(), person)
    letter = page.get(f"/consultations/{case.code}/letter.pdf")
    assert letter.status_code == 200
    return {
        "case": api.get(f"/api/v1/cases/{case.code}").json(),
        "list": api.get("/api/v1/cases").json(),
        "page": _same_every_time(page.get(f"/consultations/{case.code}/").content.decode()),
        "fhir": page.get(f"/consultations/{case.code}/fhir.json").json(),
        "letter": re.sub(r"Printed from NeuroDaraja on .*", "", pdf_text(letter.content), flags=re.S),
    }


@pytest.fixture
def case(cast, make_case):
    return sent_days_ago(answered(cast, make_case), 20)


def test_the_operation_date_cannot_be_recomputed_abroad(cast, case):
    referred_on = case.referred_on()
    record(cast, case, referred_on + 9 * DAY)
    first = everything_received(cast.consultant_china, case)
    team_first = bearer_client(cast.referrer).get(f"/api/v1/cases/{case.code}").json()
    record(cast, case, referred_on + 13 * DAY)  # another day of the same range
    assert everything_received(cast.consultant_china, case) == first
    outcome = first["case"]["outcome"]
    assert outcome["operation_date"] is None and outcome["days_from_referral_to_operation"] is None
    assert outcome["referral_to_operation"] == {
        "at_least": 8,
        "under": 29,
        "unit": "days",
        "label": "转诊后 1 至 4 周",  # in the consultant's language
    }
    assert "转诊后 1 至 4 周" in first["page"]
    # The team is told the date: the same comparison would have seen a change.
    team = bearer_client(cast.referrer).get(f"/api/v1/cases/{case.code}").json()["outcome"]
    assert team_first["outcome"]["operation_date"] == str(referred_on + 9 * DAY)
    assert team["operation_date"] == str(referred_on + 13 * DAY)
    assert team["days_from_referral_to_operation"] == 13


def test_the_time_of_injury_cannot_be_recomputed_abroad(cast, case):
    first = everything_received(cast.consultant_china, case)
    Case.objects.filter(pk=case.pk).update(injury_at=case.submitted_at - timedelta(hours=5, minutes=20))
    assert everything_received(cast.consultant_china, case) == first
    assert first["case"]["hours_from_injury_to_referral"] is None
    assert first["case"]["injury_to_referral"]["at_least"] == 3
    assert first["case"]["injury_to_referral"]["under"] == 6
    assert "injury_at" not in first["case"]["clinical"]
    assert "转诊前 3 至 6 小时" in first["page"]
    team = bearer_client(cast.referrer).get(f"/api/v1/cases/{case.code}").json()
    assert team["hours_from_injury_to_referral"] == 5


@pytest.mark.parametrize(("bands", "width"), [(INJURY_TO_REFERRAL, 3), (REFERRAL_TO_OPERATION, 3)])
def test_every_closed_range_is_at_least_three_units_wide_and_they_tile(bands, width):
    for band in bands:
        if band.at_least is not None and band.under is not None:
            assert band.under - band.at_least >= width, band
    for before, after in zip(bands, bands[1:], strict=False):
        assert before.under == after.at_least
    assert bands[-1].under is None

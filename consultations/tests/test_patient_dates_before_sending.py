"""The patient's own date of birth and admission date, written into the narrative, cannot leave the
hospital: the send page offers no tick for them, a forged tick keeps nothing, and the API says they
may not be kept; after sending, a tick cannot put them (or her name) in the thread either. Another
date (not hers) can still be kept and sent."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from consultations import actions
from consultations.access import case_access
from consultations.models import Case, Status
from core.errors import ActionError
from neurodaraja.testing.cases import consent
from neurodaraja.testing.personas import sign_in

BORN = date(1985, 3, 14)
HER_DATES = ["1985年3月14日", "1985-03-14", "14/03/1985"]
OTHER_DATE = "20/10/2026"  # the day of an earlier CT elsewhere, not one of hers


def admitted() -> date:
    return timezone.localdate() - timedelta(days=2)


def history(*dates: str) -> str:
    return "Headache since childhood. " + " ".join(f"Seen {written}." for written in dates)


def draft(make_case, cast, *dates: str) -> Case:
    case = make_case(
        clinical={"history": history(*dates)},
        identity={"date_of_birth": BORN, "admitted_on": admitted()},
    )
    consent(case, cast.referrer)
    return case


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def test_her_dates_are_hers_and_cannot_be_confirmed_away(cast, make_case):
    day = admitted()
    admission = f"{day.day} {day.strftime('%B')} {day.year}"
    case = draft(make_case, cast, *HER_DATES, admission, OTHER_DATE)
    findings = actions.identifier_findings(case)
    assert [(f.text, f.of_the_patient) for f in findings] == [
        *[(written, True) for written in HER_DATES],
        (admission, True),
        (OTHER_DATE, False),
    ]
    actions.confirm_identifiers(case_access(cast.referrer, case), cast.referrer, [f.key for f in findings])
    assert fresh(case).confirmed_identifier_keys == [findings[-1].key]  # only the other date
    with pytest.raises(ActionError) as refused:
        actions.submit(case_access(cast.referrer, fresh(case)), cast.referrer)
    assert refused.value.code == "identifiers"
    assert fresh(case).status == Status.DRAFT


def test_the_send_page_offers_no_tick_for_her_dates_and_a_forged_one_keeps_nothing(cast, make_case):
    case = draft(make_case, cast, *HER_DATES, OTHER_DATE)
    client = sign_in(Client(), cast.referrer)
    page = client.get(f"/consultations/{case.code}/send/").content.decode()
    assert page.count('name="keep"') == 1  # the other date only
    for written in HER_DATES:
        assert f"<mark>{written}</mark>" in page
    assert page.count("date of birth or admission date") == len(HER_DATES)
    keys = [f.key for f in actions.identifier_findings(case)]
    response = client.post(f"/consultations/{case.code}/send/", {"keep": keys})
    assert response.status_code == 400
    assert fresh(case).status == Status.DRAFT
    assert fresh(case).confirmed_identifier_keys == [keys[-1]]


def test_once_her_dates_are_removed_the_other_date_is_kept_and_sent(cast, make_case):
    case = draft(make_case, cast, *HER_DATES, OTHER_DATE)
    actions.update_draft(
        case_access(cast.referrer, case),
        cast.referrer,
        clinical={"history": history(OTHER_DATE)},
        identity={},
    )
    (other,) = actions.identifier_findings(fresh(case))
    assert other.text == OTHER_DATE and not other.of_the_patient
    client = sign_in(Client(), cast.referrer)
    response = client.post(f"/consultations/{case.code}/send/", {"keep": [other.key]})
    assert response.status_code == 302
    sent = fresh(case)
    assert sent.status == Status.OPEN and OTHER_DATE in sent.history


def test_another_hospitals_doctor_cannot_open_the_send_page(cast, make_case):
    case = draft(make_case, cast, *HER_DATES)
    assert sign_in(Client(), cast.outsider).get(f"/consultations/{case.code}/send/").status_code == 404


def call(client, method: str, path: str, body: dict | None = None):
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(f"/api/v1{path}", data=data, content_type="application/json")


def test_the_api_says_her_dates_may_not_be_kept(cast, make_case, api):
    case = draft(make_case, cast, *HER_DATES, OTHER_DATE)
    referrer = api(cast.referrer)
    found = call(referrer, "get", f"/cases/{case.code}/identifiers").json()
    assert [(f["text"], f["may_be_kept"]) for f in found] == [
        *[(written, False) for written in HER_DATES],
        (OTHER_DATE, True),
    ]
    remaining = call(
        referrer, "post", f"/cases/{case.code}/identifiers/confirm", {"keys": [f["key"] for f in found]}
    ).json()
    assert [f["text"] for f in remaining] == HER_DATES
    assert call(referrer, "post", f"/cases/{case.code}/submit").json()["code"] == "identifiers"
    assert fresh(case).status == Status.DRAFT


@pytest.mark.parametrize(
    ("written", "hers"),
    [("born 14/03/1985", "14/03/1985"), ("DOB 1985年3月14日", "1985年3月14日"), ("Amina is better", "Amina")],
)
def test_after_sending_a_tick_cannot_put_her_own_identifiers_in_the_thread(cast, make_case, written, hers):
    case = make_case(send=True, identity={"date_of_birth": BORN, "admitted_on": admitted()})
    team = case_access(cast.referrer, case)
    with pytest.raises(ActionError) as refused:
        actions.post_message(team, cast.referrer, f"Update: {written}", confirmed_identifiers=True)
    assert refused.value.code == "identifiers" and hers in str(refused.value.message)
    assert not case.messages.exists()


def test_after_sending_another_date_can_still_be_confirmed_in_the_thread(cast, make_case):
    case = make_case(send=True, identity={"date_of_birth": BORN, "admitted_on": admitted()})
    team = case_access(cast.referrer, case)
    with pytest.raises(ActionError):
        actions.post_message(team, cast.referrer, f"CT elsewhere on {OTHER_DATE}")
    actions.post_message(team, cast.referrer, f"CT elsewhere on {OTHER_DATE}", confirmed_identifiers=True)
    assert case.messages.get().body == f"CT elsewhere on {OTHER_DATE}"

"""The roster through the API is the roster of the on-call page: coordinators and the
administrator read every consultant's shifts, of every institution; a consultant their own;
anyone else is refused (403), as on the page. Each shift says whose it is and whether the reader
keeps it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from consultations.actions import rosters
from consultations.models import OnCallShift
from core.models import AuditEntry
from neurodaraja.testing.api_clients import call
from neurodaraja.testing.personas import sign_in

ROSTER = "/consultations/on-call/"


@pytest.fixture
def shifts(cast, consultants):
    start = (timezone.now() + timedelta(days=2)).replace(microsecond=0)
    moi = rosters.add_shift(cast.neurosurgeon, start, start + timedelta(hours=8))
    qilu = rosters.add_shift(
        cast.consultant_china, start + timedelta(days=1), start + timedelta(days=1, hours=8)
    )
    # Beyond the four weeks the page shows: in neither.
    rosters.add_shift(cast.consultant_china, start + timedelta(days=40), start + timedelta(days=40, hours=8))
    return {"moi": moi, "qilu": qilu}


def _api_ids(api, user) -> list[int]:
    response = call(api(user), "get", "/on-call/shifts")
    assert response.status_code == 200, response.json()
    return [shift["id"] for shift in response.json()]


def _page_ids(user, shifts) -> set[int]:
    html = sign_in(Client(), user).get(ROSTER).content.decode()
    # Each shift is listed once; the reader sees whose by the name beside it (coordinators) or
    # because the roster is their own (consultants).
    return {s.pk for s in shifts.values() if f'data-shift="{s.pk}"' in html}


@pytest.mark.parametrize("persona", ["coordinator", "outsider_coordinator", "admin"])
def test_coordinators_and_the_administrator_read_every_consultants_shifts(cast, api, shifts, persona):
    user = getattr(cast, persona)
    assert _api_ids(api, user) == [shifts["moi"].pk, shifts["qilu"].pk]
    assert _page_ids(user, shifts) == {shifts["moi"].pk, shifts["qilu"].pk}  # as the page shows them


@pytest.mark.parametrize(("persona", "own"), [("neurosurgeon", "moi"), ("consultant_china", "qilu")])
def test_a_consultant_reads_their_own_shifts_only(cast, api, shifts, persona, own):
    user = getattr(cast, persona)
    assert _api_ids(api, user) == [shifts[own].pk]
    assert _page_ids(user, shifts) == {shifts[own].pk}


@pytest.mark.parametrize("persona", ["referrer", "trainee", "outsider", "researcher"])
def test_anyone_who_reads_no_roster_is_refused_as_on_the_page(cast, api, shifts, persona):
    user = getattr(cast, persona)
    response = call(api(user), "get", "/on-call/shifts")
    assert response.status_code == 403 and response.json()["detail"]
    assert sign_in(Client(), user).get(ROSTER).status_code == 403


def test_each_shift_says_whose_it_is_and_who_keeps_it(cast, api, shifts):
    # SRRH's and MOI's coordinator keeps MOI's neurosurgeon's shifts, not Qilu's consultant's.
    body = {s["id"]: s for s in call(api(cast.coordinator), "get", "/on-call/shifts").json()}
    moi, qilu = body[shifts["moi"].pk], body[shifts["qilu"].pk]
    assert (moi["consultant_id"], moi["consultant"], moi["institution"], moi["may_change"]) == (
        cast.neurosurgeon.pk,
        cast.neurosurgeon.full_name,
        "MOI",
        True,
    )
    assert (qilu["institution"], qilu["may_change"]) == ("QILU", False)
    # KCMC's coordinator (another institution) reads both and keeps neither.
    other = call(api(cast.outsider_coordinator), "get", "/on-call/shifts").json()
    assert [s["may_change"] for s in other] == [False, False]
    own = call(api(cast.consultant_china), "get", "/on-call/shifts").json()
    assert [(s["consultant_id"], s["may_change"]) for s in own] == [(cast.consultant_china.pk, True)]


def test_an_ended_shift_is_not_listed(cast, api, consultants):
    now = timezone.now()
    # An ended shift can no longer be added (actions.rosters refuses it): history, as the demo holds it.
    OnCallShift.objects.create(
        consultant=cast.neurosurgeon, starts_at=now - timedelta(hours=10), ends_at=now - timedelta(hours=2)
    )
    current = rosters.add_shift(cast.neurosurgeon, now - timedelta(hours=1), now + timedelta(hours=7))
    assert _api_ids(api, cast.coordinator) == [current.pk]


def test_a_shift_is_removed_through_the_api_by_whoever_keeps_it_on_the_page(cast, api, shifts):
    # The neurosurgeon's shift: kept by him and by the coordinator of his hospital (MOI), as on the page.
    moi = shifts["moi"]
    for persona in ["consultant_china", "outsider_coordinator", "referrer", "admin"]:
        response = call(api(getattr(cast, persona)), "delete", f"/on-call/shifts/{moi.pk}")
        assert response.status_code in (403, 404), (persona, response.status_code)
    assert OnCallShift.objects.filter(pk=moi.pk).exists()
    assert call(api(cast.coordinator), "delete", f"/on-call/shifts/{moi.pk}").status_code == 204
    assert not OnCallShift.objects.filter(pk=moi.pk).exists()
    entry = AuditEntry.objects.get(action="consultations.shift_removed")
    assert entry.actor == cast.coordinator and entry.object_id == str(moi.pk)
    # A consultant removes their own.
    qilu = shifts["qilu"]
    assert call(api(cast.consultant_china), "delete", f"/on-call/shifts/{qilu.pk}").status_code == 204
    assert not OnCallShift.objects.filter(pk=qilu.pk).exists()

"""A conference discusses cases sent, open or closed (teaching often uses closed ones); those
invited read the de-identified case of a conference they attend, as a consultant abroad does,
and only while invited; everyone else is still refused."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import Client

from consultations import actions
from consultations.access import case_access, get_case_for_user
from consultations.actions import conferences
from consultations.models import ConferenceParticipant
from core.models import AuditEntry
from neurodaraja.testing.cases import IDENTITY, english
from neurodaraja.testing.personas import sign_in


@pytest.fixture
def closed_case(cast, make_case):
    case = make_case(send=True)
    actions.close_without_outcome(case_access(cast.coordinator, case), cast.coordinator, "Transferred")
    case.refresh_from_db()
    assert case.is_closed
    return case


def test_a_closed_case_can_be_put_on_a_conference(cast, meeting, closed_case):
    item = conferences.add_case(cast.coordinator, meeting, closed_case)
    assert item.case == closed_case


def test_the_page_offers_closed_cases_and_adds_one(cast, meeting, closed_case):
    coordinator = sign_in(Client(), cast.coordinator)
    english(cast.coordinator)
    page = coordinator.get(f"/conferences/{meeting.pk}/").content.decode()
    assert f'value="{closed_case.code}"' in page and "Closed" in page
    assert "Open case" not in page
    response = coordinator.post(f"/conferences/{meeting.pk}/cases/", {"case": closed_case.code})
    assert response.status_code == 302
    assert list(meeting.items.values_list("case__code", flat=True)) == [closed_case.code]


def test_a_draft_is_never_discussed(cast, make_case, meeting):
    draft = make_case()
    with pytest.raises(Http404):
        conferences.add_case(cast.coordinator, meeting, draft)
    coordinator = sign_in(Client(), cast.coordinator)
    english(cast.coordinator)
    page = coordinator.get(f"/conferences/{meeting.pk}/").content.decode()
    assert draft.code not in page
    response = coordinator.post(f"/conferences/{meeting.pk}/cases/", {"case": draft.code}, follow=True)
    assert "Choose a case from the list." in response.content.decode()
    assert not meeting.items.exists()


def test_an_invited_trainee_reads_the_case_without_the_identity(cast, meeting, closed_case):
    conferences.add_case(cast.coordinator, meeting, closed_case)
    conferences.invite(cast.coordinator, meeting, [cast.trainee])
    trainee = sign_in(Client(), cast.trainee)
    english(cast.trainee)
    listing = trainee.get(f"/conferences/{meeting.pk}/").content.decode()
    assert f'href="/consultations/{closed_case.code}/"' in listing
    response = trainee.get(f"/consultations/{closed_case.code}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert closed_case.presenting_complaint in page
    for identifier in IDENTITY.values():
        assert identifier not in page
    assert "Patient identity" not in page


def test_what_those_invited_read_is_in_the_trail(cast, meeting, closed_case):
    conferences.add_case(cast.coordinator, meeting, closed_case)
    conferences.invite(cast.coordinator, meeting, [cast.trainee])
    sign_in(Client(), cast.trainee).get(f"/consultations/{closed_case.code}/")
    entry = AuditEntry.objects.get(action="consultations.viewed", actor=cast.trainee)
    assert entry.object_id == str(closed_case.pk)


def test_an_invitee_reads_but_changes_nothing(cast, meeting, make_case):
    case = make_case(send=True)
    conferences.add_case(cast.coordinator, meeting, case)
    conferences.invite(cast.coordinator, meeting, [cast.trainee])
    access = get_case_for_user(cast.trainee, case.code)
    assert access.via_conference == meeting.pk
    assert not (access.in_referring_team or access.is_answering_consultant or access.coordinates_referrer)
    assert not access.may_discuss and not access.sees_identity
    trainee = sign_in(Client(), cast.trainee)
    for url, data in [
        ("messages/", {"body": "What was the GCS on arrival?"}),
        ("outcome/", {}),
        ("close/", {"reason": "x"}),
        ("opinion/", {}),
        ("acknowledge/", {}),
        ("edit/", {}),
    ]:
        assert trainee.post(f"/consultations/{case.code}/{url}", data).status_code in (403, 409), url
    assert not case.messages.exists()


def test_only_while_invited_and_only_the_cases_of_that_conference(cast, meeting, make_case, closed_case):
    other = make_case(send=True)
    conferences.add_case(cast.coordinator, meeting, closed_case)
    trainee = sign_in(Client(), cast.trainee)
    assert trainee.get(f"/consultations/{closed_case.code}/").status_code == 404  # not invited yet
    conferences.invite(cast.coordinator, meeting, [cast.trainee])
    assert trainee.get(f"/consultations/{closed_case.code}/").status_code == 200
    assert trainee.get(f"/consultations/{other.code}/").status_code == 404  # on no conference of hers
    ConferenceParticipant.objects.filter(conference=meeting, person=cast.trainee).delete()
    assert trainee.get(f"/consultations/{closed_case.code}/").status_code == 404


def test_others_are_still_refused(cast, meeting, closed_case):
    conferences.add_case(cast.coordinator, meeting, closed_case)
    conferences.invite(cast.coordinator, meeting, [cast.trainee])
    for persona in ["outsider", "outsider_coordinator", "researcher", "neurosurgeon", "admin"]:
        client = sign_in(Client(), getattr(cast, persona))
        assert client.get(f"/consultations/{closed_case.code}/").status_code == 404, persona
        assert client.get(f"/conferences/{meeting.pk}/").status_code == 404, persona

"""An invitation to a conference can be withdrawn by the conference's organisers (the
coordinators of the institution that holds it, who alone invite), on the page after a
confirmation and through the API. The person no longer sees the conference nor the cases on its
list (404), is told, and the trail says who withdrew whom. Someone marked present keeps that
record: they are unmarked first."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from consultations.actions import conferences
from consultations.models import ConferenceParticipant
from core.errors import ActionError
from core.models import AuditEntry, Notification
from neurodaraja.testing.api_clients import bearer_client
from neurodaraja.testing.cases import english
from neurodaraja.testing.personas import sign_in


@pytest.fixture
def discussed(cast, meeting, make_case):
    """The meeting lists a sent case; the trainee at MOI and the consultant in China are invited."""
    case = make_case(send=True)
    conferences.add_case(cast.coordinator, meeting, case)
    conferences.invite(cast.coordinator, meeting, [cast.trainee, cast.consultant_china])
    return case


def invited(meeting) -> set[int]:
    return set(meeting.participants.values_list("person_id", flat=True))


def withdraw_url(meeting, person) -> str:
    return f"/conferences/{meeting.pk}/participants/{person.pk}/withdraw/"


def test_the_page_asks_first_and_a_confirmed_post_withdraws(cast, meeting, discussed):
    english(cast.coordinator)
    coordinator = sign_in(Client(), cast.coordinator)
    listing = coordinator.get(f"/conferences/{meeting.pk}/").content.decode()
    assert f'href="{withdraw_url(meeting, cast.trainee)}"' in listing
    question = coordinator.get(withdraw_url(meeting, cast.trainee))
    assert question.status_code == 200
    page = question.content.decode()
    assert "Withdraw this invitation?" in page and cast.trainee.full_name in page
    assert 'name="confirm" value="yes"' in page
    # Neither the question nor a POST that does not confirm changes anything.
    assert coordinator.post(withdraw_url(meeting, cast.trainee), {}).status_code == 200
    assert cast.trainee.pk in invited(meeting)
    response = coordinator.post(withdraw_url(meeting, cast.trainee), {"confirm": "yes"}, follow=True)
    assert f"{cast.trainee.full_name} is no longer invited." in response.content.decode()
    assert cast.trainee.pk not in invited(meeting) and cast.consultant_china.pk in invited(meeting)


def test_the_invitee_then_no_longer_sees_the_conference_nor_its_case(cast, meeting, discussed):
    trainee = sign_in(Client(), cast.trainee)
    token = bearer_client(cast.trainee)
    assert trainee.get(f"/consultations/{discussed.code}/").status_code == 200
    assert token.get(f"/api/v1/cases/{discussed.code}").status_code == 200
    sign_in(Client(), cast.coordinator).post(withdraw_url(meeting, cast.trainee), {"confirm": "yes"})
    for url in [f"/consultations/{discussed.code}/", f"/conferences/{meeting.pk}/"]:
        assert trainee.get(url).status_code == 404, url
    for url in [f"/api/v1/cases/{discussed.code}", f"/api/v1/conferences/{meeting.pk}"]:
        assert token.get(url).status_code == 404, url
    # The consultant in China, still invited, still reads it.
    assert sign_in(Client(), cast.consultant_china).get(f"/conferences/{meeting.pk}/").status_code == 200


def test_the_person_is_told_and_the_trail_says_who_withdrew_whom(cast, meeting, discussed):
    conferences.withdraw_invitation(cast.coordinator, meeting.participants.get(person=cast.trainee))
    note = Notification.objects.filter(recipient=cast.trainee).latest("created_at")
    assert note.kind == "consultations.conference_withdrawn" and note.url == "/conferences/"
    entry = AuditEntry.objects.get(action="consultations.conference_invitation_withdrawn")
    assert entry.actor == cast.coordinator and entry.detail == {"invitee": cast.trainee.pk}
    assert entry.object_id == str(meeting.pk) and entry.institution == meeting.institution


def test_through_the_api(cast, meeting, discussed):
    path = f"/api/v1/conferences/{meeting.pk}/participants/{cast.trainee.pk}"
    answer = bearer_client(cast.coordinator).delete(path)
    assert answer.status_code == 200, answer.content
    assert cast.trainee.pk not in [p["person_id"] for p in answer.json()["participants"]]
    again = bearer_client(cast.coordinator).delete(path)  # no longer invited: nothing to withdraw
    assert again.status_code == 404


def test_only_the_organisers_withdraw(cast, meeting, discussed):
    before = invited(meeting)
    # Those invited see the conference but may not change it; others may not know it exists.
    assert (
        sign_in(Client(), cast.consultant_china)
        .post(withdraw_url(meeting, cast.trainee), {"confirm": "yes"})
        .status_code
        == 403
    )
    for persona in ["outsider_coordinator", "outsider", "neurosurgeon", "admin"]:
        client = sign_in(Client(), getattr(cast, persona))
        assert client.post(withdraw_url(meeting, cast.trainee), {"confirm": "yes"}).status_code == 404, (
            persona
        )
        path = f"/api/v1/conferences/{meeting.pk}/participants/{cast.trainee.pk}"
        assert bearer_client(getattr(cast, persona)).delete(path).status_code == 404, persona
    with pytest.raises(PermissionDenied):
        conferences.withdraw_invitation(
            cast.outsider_coordinator, meeting.participants.get(person=cast.trainee)
        )
    assert invited(meeting) == before
    assert not AuditEntry.objects.filter(action="consultations.conference_invitation_withdrawn").exists()


def test_someone_not_invited_has_nothing_to_withdraw(cast, meeting, discussed):
    coordinator = sign_in(Client(), cast.coordinator)
    assert coordinator.post(withdraw_url(meeting, cast.outsider), {"confirm": "yes"}).status_code == 404
    assert coordinator.get(f"/conferences/{meeting.pk}/participants/999999/withdraw/").status_code == 404


def test_someone_marked_present_keeps_the_record_until_unmarked(cast, meeting, discussed):
    english(cast.coordinator)
    conferences.record_attendance(cast.coordinator, meeting, [cast.trainee.pk])
    coordinator = sign_in(Client(), cast.coordinator)
    listing = coordinator.get(f"/conferences/{meeting.pk}/").content.decode()
    assert withdraw_url(meeting, cast.trainee) not in listing  # no link beside someone present
    response = coordinator.post(withdraw_url(meeting, cast.trainee), {"confirm": "yes"}, follow=True)
    assert "This person attended the conference" in response.content.decode()
    assert ConferenceParticipant.objects.get(conference=meeting, person=cast.trainee).attended
    api = bearer_client(cast.coordinator).delete(
        f"/api/v1/conferences/{meeting.pk}/participants/{cast.trainee.pk}"
    )
    assert api.status_code == 409 and json.loads(api.content)["code"] == "attended"
    with pytest.raises(ActionError):
        conferences.withdraw_invitation(cast.coordinator, meeting.participants.get(person=cast.trainee))
    conferences.record_attendance(cast.coordinator, meeting, [])
    conferences.withdraw_invitation(cast.coordinator, meeting.participants.get(person=cast.trainee))
    assert cast.trainee.pk not in invited(meeting)


def test_the_question_is_translated(cast, meeting, discussed):
    client = sign_in(Client(), cast.coordinator)
    cast.coordinator.preferred_language = "sw"
    cast.coordinator.save(update_fields=["preferred_language"])
    page = client.get(withdraw_url(meeting, cast.trainee)).content.decode()
    assert "Sitisha mwaliko huu?" in page and "Sitisha mwaliko" in page

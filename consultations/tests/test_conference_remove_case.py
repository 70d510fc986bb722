"""A conference's organisers take a case off its list, on the page after a confirmation and
through the API; those invited then no longer read it through this conference (another conference
they are invited to that lists it still opens it). The choices offer only what is not on the
conference yet: cases not listed, people not invited (the organiser is invited from the start),
and the organiser's own invitation cannot be withdrawn."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from consultations.actions import conferences
from consultations.models import ConferenceCase
from core.errors import ActionError
from core.models import AuditEntry
from neurodaraja.testing.api_clients import bearer_client
from neurodaraja.testing.cases import english
from neurodaraja.testing.personas import sign_in

REMOVED = "consultations.conference_case_removed"


@pytest.fixture
def listed(cast, meeting, make_case):
    """The meeting lists a sent case, summarised; the trainee at MOI is invited."""
    case = make_case(send=True)
    item = conferences.add_case(cast.coordinator, meeting, case)
    conferences.summarise(cast.coordinator, item, "Observed; good recovery.")
    conferences.invite(cast.coordinator, meeting, [cast.trainee])
    return item


def remove_url(item) -> str:
    return f"/conferences/{item.conference_id}/cases/{item.pk}/remove/"


def on_the_list(meeting) -> list[str]:
    return list(meeting.items.values_list("case__code", flat=True))


def offered(page: str, name: str) -> str:
    """The <select name=…> element of the page."""
    start = page.index(f'name="{name}"')
    return page[start : page.index("</select>", start)]


def test_the_page_asks_first_and_a_confirmed_post_takes_the_case_off(cast, meeting, listed):
    english(cast.coordinator)
    coordinator = sign_in(Client(), cast.coordinator)
    listing = coordinator.get(f"/conferences/{meeting.pk}/").content.decode()
    assert f'href="{remove_url(listed)}"' in listing and "Take it off the list" in listing
    question = coordinator.get(remove_url(listed))
    assert question.status_code == 200
    page = question.content.decode()
    assert "Take this case off the list?" in page and listed.case.code in page
    assert "The summary of its discussion is deleted with it." in page
    assert 'name="confirm" value="yes"' in page
    # Neither the question nor a POST that does not confirm changes anything.
    assert coordinator.post(remove_url(listed), {}).status_code == 200
    assert on_the_list(meeting) == [listed.case.code]
    assert not AuditEntry.objects.filter(action=REMOVED).exists()
    response = coordinator.post(remove_url(listed), {"confirm": "yes"}, follow=True)
    assert f"{listed.case.code} is off the list." in response.content.decode()
    assert on_the_list(meeting) == []
    # The case may go back on the list: it is offered again.
    assert f'value="{listed.case.code}"' in offered(response.content.decode(), "case")


def test_the_trail_says_who_took_which_case_off(cast, meeting, listed):
    conferences.remove_case(cast.coordinator, listed)
    entry = AuditEntry.objects.get(action=REMOVED)
    assert entry.actor == cast.coordinator and entry.detail == {"case": listed.case.code}
    assert entry.object_id == str(meeting.pk) and entry.institution == meeting.institution


def test_those_invited_no_longer_read_the_case(cast, meeting, listed):
    trainee, token = sign_in(Client(), cast.trainee), bearer_client(cast.trainee)
    code = listed.case.code
    assert trainee.get(f"/consultations/{code}/").status_code == 200
    conferences.remove_case(cast.coordinator, listed)
    assert trainee.get(f"/consultations/{code}/").status_code == 404
    assert token.get(f"/api/v1/cases/{code}").status_code == 404
    assert trainee.get(f"/consultations/{code}/fhir.json").status_code == 404
    # She is still invited to the conference itself.
    assert trainee.get(f"/conferences/{meeting.pk}/").status_code == 200


def test_another_conference_that_lists_the_case_still_opens_it(cast, meeting, listed):
    other = conferences.schedule(
        cast.coordinator,
        institution=cast.institutions["SRRH"],
        title="Regional review",
        starts_at=meeting.starts_at,
        duration_minutes=60,
        video_link="",
    )
    conferences.add_case(cast.coordinator, other, listed.case)
    conferences.invite(cast.coordinator, other, [cast.trainee])
    conferences.remove_case(cast.coordinator, listed)
    assert sign_in(Client(), cast.trainee).get(f"/consultations/{listed.case.code}/").status_code == 200


def test_through_the_api(cast, meeting, listed):
    path = f"/api/v1/conferences/{meeting.pk}/cases/{listed.pk}"
    answer = bearer_client(cast.coordinator).delete(path)
    assert answer.status_code == 200, answer.content
    assert answer.json()["cases"] == []
    again = bearer_client(cast.coordinator).delete(path)  # no longer on the list
    assert again.status_code == 404
    assert AuditEntry.objects.filter(action=REMOVED).count() == 1


def test_only_the_organisers_take_a_case_off(cast, meeting, listed):
    # Those invited see the conference but may not change it; others may not know it exists.
    assert sign_in(Client(), cast.trainee).post(remove_url(listed), {"confirm": "yes"}).status_code == 403
    path = f"/api/v1/conferences/{meeting.pk}/cases/{listed.pk}"
    assert bearer_client(cast.trainee).delete(path).status_code == 403
    for persona in ["outsider_coordinator", "outsider", "consultant_china", "neurosurgeon", "admin"]:
        user = getattr(cast, persona)
        assert sign_in(Client(), user).post(remove_url(listed), {"confirm": "yes"}).status_code == 404
        assert bearer_client(user).delete(path).status_code == 404, persona
    with pytest.raises(PermissionDenied):
        conferences.remove_case(cast.outsider_coordinator, listed)
    assert on_the_list(meeting) == [listed.case.code]
    assert not AuditEntry.objects.filter(action=REMOVED).exists()


def test_a_case_of_another_conference_is_not_on_this_one(cast, meeting, listed):
    other = conferences.schedule(
        cast.coordinator,
        institution=cast.institutions["SRRH"],
        title="Regional review",
        starts_at=meeting.starts_at,
        duration_minutes=60,
        video_link="",
    )
    coordinator = sign_in(Client(), cast.coordinator)
    url = f"/conferences/{other.pk}/cases/{listed.pk}/remove/"
    assert coordinator.get(url).status_code == 404
    assert coordinator.post(url, {"confirm": "yes"}).status_code == 404
    api = bearer_client(cast.coordinator).delete(f"/api/v1/conferences/{other.pk}/cases/{listed.pk}")
    assert api.status_code == 404
    assert coordinator.get(f"/conferences/{meeting.pk}/cases/999999/remove/").status_code == 404
    assert on_the_list(meeting) == [listed.case.code]


def test_a_case_taken_off_meanwhile_is_said_so(cast, meeting, listed):
    stale = ConferenceCase.objects.get(pk=listed.pk)
    conferences.remove_case(cast.coordinator, listed)
    with pytest.raises(ActionError) as refused:
        conferences.remove_case(cast.coordinator, stale)
    assert refused.value.code == "not_listed"
    assert AuditEntry.objects.filter(action=REMOVED).count() == 1


def test_the_case_choice_offers_only_cases_not_yet_listed(cast, meeting, listed, make_case):
    english(cast.coordinator)
    waiting = make_case(send=True)
    coordinator = sign_in(Client(), cast.coordinator)
    choice = offered(coordinator.get(f"/conferences/{meeting.pk}/").content.decode(), "case")
    assert f'value="{waiting.code}"' in choice
    assert f'value="{listed.case.code}"' not in choice
    # A case listed meanwhile (another tab) is answered plainly, and listed once.
    response = coordinator.post(f"/conferences/{meeting.pk}/cases/", {"case": listed.case.code}, follow=True)
    assert "This case is already on the list." in response.content.decode()
    assert on_the_list(meeting) == [listed.case.code]


def test_once_every_case_is_listed_no_empty_choice_is_shown(cast, meeting, listed):
    english(cast.coordinator)
    page = sign_in(Client(), cast.coordinator).get(f"/conferences/{meeting.pk}/").content.decode()
    assert 'name="case"' not in page and "Add the case" not in page


def test_the_invite_choice_offers_only_those_not_invited_yet(cast, meeting, listed):
    english(cast.coordinator)
    coordinator = sign_in(Client(), cast.coordinator)
    choice = offered(coordinator.get(f"/conferences/{meeting.pk}/").content.decode(), "people")
    assert f'value="{cast.consultant_china.pk}"' in choice
    assert f'value="{cast.trainee.pk}"' not in choice  # invited already
    assert f'value="{cast.coordinator.pk}"' not in choice  # the organiser herself
    # Choosing someone invited meeanwhile (another tab) invites nobody twice, and says so.
    response = coordinator.post(
        f"/conferences/{meeting.pk}/invite/", {"people": [cast.trainee.pk]}, follow=True
    )
    assert "Everyone you chose was already invited." in response.content.decode()
    assert meeting.participants.filter(person=cast.trainee).count() == 1


def test_the_organiser_stays_invited(cast, meeting, listed):
    english(cast.coordinator)
    coordinator = sign_in(Client(), cast.coordinator)
    own = f"/conferences/{meeting.pk}/participants/{cast.coordinator.pk}/withdraw/"
    listing = coordinator.get(f"/conferences/{meeting.pk}/").content.decode()
    assert f'href="{own}"' not in listing
    assert f'href="/conferences/{meeting.pk}/participants/{cast.trainee.pk}/withdraw/"' in listing
    for response in [
        coordinator.get(own, follow=True),
        coordinator.post(own, {"confirm": "yes"}, follow=True),
    ]:
        assert "The organiser stays invited to the conference." in response.content.decode()
    api = bearer_client(cast.coordinator).delete(
        f"/api/v1/conferences/{meeting.pk}/participants/{cast.coordinator.pk}"
    )
    assert api.status_code == 409 and json.loads(api.content)["code"] == "organiser"
    with pytest.raises(ActionError):
        conferences.withdraw_invitation(cast.coordinator, meeting.participants.get(person=cast.coordinator))
    assert meeting.participants.filter(person=cast.coordinator).exists()
    assert not AuditEntry.objects.filter(action="consultations.conference_invitation_withdrawn").exists()


@pytest.mark.parametrize(
    ("language", "question", "button"),
    [
        ("sw", "Iondoe kesi hii kwenye orodha?", "Iondoe kwenye orodha"),
        ("zh-hans", "确定将此病例移出讨论列表？", "移出讨论列表"),
    ],
)
def test_the_question_is_translated(cast, meeting, listed, language, question, button):
    cast.coordinator.preferred_language = language
    cast.coordinator.save(update_fields=["preferred_language"])
    page = sign_in(Client(), cast.coordinator).get(remove_url(listed)).content.decode()
    assert question in page and button in page

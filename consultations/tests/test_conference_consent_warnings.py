"""The patient's consent names the countries where the case may be seen; one invited to a
conference reads a listed case only where that consent covers them
(consultations.access.consent_allows). The organisers are told who will not see which case: beside
each case on the conference page, and when they add a case or invite someone, page and API."""

from __future__ import annotations

from html import unescape

import pytest
from django.test import Client

from consultations import actions
from consultations.access import case_access
from consultations.actions import conferences
from core.models import Country
from neurodaraja.testing.api_clients import bearer_client
from neurodaraja.testing.cases import consent, english
from neurodaraja.testing.personas import sign_in


@pytest.fixture
def tanzania_only(cast, make_case):
    """A case sent with the patient's consent to a consultation in Tanzania alone."""
    case = make_case()
    consent(case, cast.referrer, Country.objects.filter(code="TZ"))
    actions.submit(case_access(cast.referrer, case), cast.referrer)
    case.refresh_from_db()
    return case


def warning(cast, case) -> str:
    return (
        f"{cast.consultant_china.full_name} (China) will not see {case.code}: "
        "the patient's consent covers Tanzania only."
    )


def messages_of(response) -> str:
    """The messages at the top of the page the POST led to (the case list has its own notes)."""
    page = unescape(response.content.decode())
    return page.split('class="messages"')[1].split("</ul>")[0] if 'class="messages"' in page else ""


def page_of(client: Client, url: str, **kwargs) -> str:
    return unescape(client.get(url, **kwargs).content.decode())


def test_the_page_says_beside_the_case_who_will_not_see_it(cast, meeting, tanzania_only):
    conferences.add_case(cast.coordinator, meeting, tanzania_only)
    conferences.invite(cast.coordinator, meeting, [cast.consultant_china, cast.trainee])
    english(cast.coordinator)
    page = page_of(sign_in(Client(), cast.coordinator), f"/conferences/{meeting.pk}/")
    assert warning(cast, tanzania_only) in page
    # The trainee works in Tanzania, the organiser sees the case in her own right: neither is named.
    assert f"{cast.trainee.full_name} (" not in page and f"{cast.coordinator.full_name} (" not in page


def test_inviting_someone_the_consent_does_not_cover_warns(cast, meeting, tanzania_only):
    conferences.add_case(cast.coordinator, meeting, tanzania_only)
    english(cast.coordinator)
    coordinator = sign_in(Client(), cast.coordinator)
    response = coordinator.post(
        f"/conferences/{meeting.pk}/invite/", {"people": [cast.consultant_china.pk]}, follow=True
    )
    shown = messages_of(response)
    assert "1 person invited." in shown and warning(cast, tanzania_only) in shown
    # The invitation stands: the organiser may want him for the other cases.
    assert meeting.participants.filter(person=cast.consultant_china).exists()
    trainee_too = coordinator.post(
        f"/conferences/{meeting.pk}/invite/", {"people": [cast.trainee.pk]}, follow=True
    )
    assert "1 person invited." in messages_of(trainee_too) and "will not see" not in messages_of(trainee_too)


def test_adding_a_case_some_invitee_may_not_see_warns(cast, meeting, tanzania_only, make_case):
    conferences.invite(cast.coordinator, meeting, [cast.consultant_china])
    english(cast.coordinator)
    coordinator = sign_in(Client(), cast.coordinator)
    response = coordinator.post(
        f"/conferences/{meeting.pk}/cases/", {"case": tanzania_only.code}, follow=True
    )
    shown = messages_of(response)
    assert f"{tanzania_only.code} is on the list." in shown and warning(cast, tanzania_only) in shown
    # A case consented for every country warns of nobody.
    anywhere = make_case(send=True)
    response = coordinator.post(f"/conferences/{meeting.pk}/cases/", {"case": anywhere.code}, follow=True)
    shown = messages_of(response)
    assert f"{anywhere.code} is on the list." in shown and "will not see" not in shown


def test_the_invitee_outside_the_consent_is_not_led_to_the_case(cast, meeting, tanzania_only):
    item = conferences.add_case(cast.coordinator, meeting, tanzania_only)
    conferences.summarise(cast.coordinator, item, "Observed; good recovery.")
    conferences.invite(cast.coordinator, meeting, [cast.consultant_china, cast.trainee])
    abroad = sign_in(Client(), cast.consultant_china)
    page = page_of(abroad, f"/conferences/{meeting.pk}/")
    assert f'href="/consultations/{tanzania_only.code}/"' not in page
    assert "Observed; good recovery." not in page and "will not see" not in page
    assert abroad.get(f"/consultations/{tanzania_only.code}/").status_code == 404
    body = bearer_client(cast.consultant_china).get(f"/api/v1/conferences/{meeting.pk}").json()
    assert body["cases"][0]["summary"] == "" and body["cases"][0]["not_seen_by"] == []
    # The trainee in Tanzania reads it.
    trainee_page = page_of(sign_in(Client(), cast.trainee), f"/conferences/{meeting.pk}/")
    assert f'href="/consultations/{tanzania_only.code}/"' in trainee_page
    assert "Observed; good recovery." in trainee_page


def test_the_api_tells_the_organisers_who_will_not_see_each_case(cast, meeting, tanzania_only):
    conferences.invite(cast.coordinator, meeting, [cast.consultant_china, cast.trainee])
    answer = bearer_client(cast.coordinator).post(
        f"/api/v1/conferences/{meeting.pk}/cases",
        {"case": tanzania_only.code},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["cases"][0]["not_seen_by"] == [cast.consultant_china.pk]
    read = bearer_client(cast.coordinator).get(f"/api/v1/conferences/{meeting.pk}").json()
    assert read["cases"][0]["not_seen_by"] == [cast.consultant_china.pk]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sw", "{name} (China) hataiona {code}: ridhaa ya mgonjwa inahusu Tanzania pekee."),
        ("zh-hans", "{name}（中国）将无法查看 {code}：患者的知情同意仅涵盖坦桑尼亚。"),
    ],
)
def test_the_warning_is_translated(cast, meeting, tanzania_only, language, expected):
    conferences.add_case(cast.coordinator, meeting, tanzania_only)
    conferences.invite(cast.coordinator, meeting, [cast.consultant_china])
    cast.coordinator.preferred_language = language
    cast.coordinator.save(update_fields=["preferred_language"])
    page = page_of(sign_in(Client(), cast.coordinator), f"/conferences/{meeting.pk}/")
    assert expected.format(name=cast.consultant_china.full_name, code=tanzania_only.code) in page

"""The coordinator's certificate pages offer only what the actions then issue: the milestone
form lists the milestones ready to certify for the trainee chosen (actions.milestones_to_issue,
by issue_milestone's own rules), and a session's button shows exactly when someone who attended
is waiting for a certificate (actions.waiting_for_certificate, the rule issue_for_session uses)."""

from __future__ import annotations

import re

import pytest

from accounts import actions as accounts
from neurodaraja.testing.personas import sign_in
from training.certificates import actions
from training.certificates.models import Certificate
from training.certificates.tests.world import year_one
from training.sessions import actions as sessions
from training.sessions.tests.world import move_back, planned
from training.tests.world import training_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return training_world(cast)


def radios(html: str) -> set[str]:
    return set(re.findall(r'<input type="radio" name="stage" value="([^"]+)"', html))


def milestones_page(client, world):
    return client.get("/training/certificates/milestone/", {"for-enrolment": world.enrolment.pk})


def test_the_milestone_form_offers_only_the_milestones_the_action_issues(client, cast, world):
    # The trainee is in Year 2: Year 1 is completed; Year 2 and the whole programme are not.
    html = milestones_page(sign_in(client, cast.coordinator), world).content.decode()
    assert radios(html) == {str(world.first_year.pk)}
    assert str(world.second_year.pk) not in radios(html) and "programme" not in radios(html)
    assert "has not met every requirement" in html  # why the programme is not offered
    for value in radios(html):
        sent = client.post(
            "/training/certificates/milestone/", {"enrolment": world.enrolment.pk, "stage": value}
        )
        assert sent.status_code == 302
    assert Certificate.objects.get().stage == world.first_year


def test_a_milestone_already_certified_is_no_longer_offered_and_the_page_says_so(client, cast, world):
    accounts.update_profile(cast.coordinator, {"preferred_language": "sw"})
    year_one(cast, world)
    html = milestones_page(sign_in(client, cast.coordinator), world).content.decode()
    assert radios(html) == set()
    assert "Amani Kileo" in html and "Issue the certificate" not in html
    assert "has no milestone ready to certify yet" not in html  # said in Kiswahili


def test_the_first_visit_asks_for_the_trainee_and_offers_nothing_yet(client, cast, world):
    html = sign_in(client, cast.coordinator).get("/training/certificates/milestone/").content.decode()
    assert 'name="for-enrolment"' in html and radios(html) == set()


def test_another_institutions_coordinator_cannot_choose_the_trainee(client, cast, world):
    page = milestones_page(sign_in(client, cast.outsider_coordinator), world)
    assert page.status_code == 200 and radios(page.content.decode()) == set()


def held(cast, came, stayed_away=()):
    session = planned(cast, title="Raised ICP lecture")
    registrations = {
        person: sessions.register(person, session, "resident") for person in [*came, *stayed_away]
    }
    move_back(session)
    sessions.take_attendance(cast.coordinator, session, {registrations[p].pk for p in came})
    return session, registrations


def issue_button(html: str, session) -> bool:
    return f'action="/training/certificates/sessions/{session.pk}/"' in html


def test_the_session_button_shows_exactly_when_someone_is_waiting_for_a_certificate(client, cast):
    session, registrations = held(cast, [cast.trainee], [cast.neurosurgeon])
    sign_in(client, cast.coordinator)
    assert issue_button(client.get("/training/certificates/issued/").content.decode(), session)
    actions.issue_for_session(cast.coordinator, session)
    assert not issue_button(client.get("/training/certificates/issued/").content.decode(), session)
    # The attendance corrected: the neurosurgeon came, the trainee (certified) did not. As many
    # marked as certified, yet one waits: the button is offered, and the action issues.
    sessions.take_attendance(cast.coordinator, session, {registrations[cast.neurosurgeon].pk})
    assert issue_button(client.get("/training/certificates/issued/").content.decode(), session)
    done = client.post(f"/training/certificates/sessions/{session.pk}/")
    assert done.status_code == 302
    assert Certificate.objects.filter(session=session, holder=cast.neurosurgeon).exists()
    assert not issue_button(client.get("/training/certificates/issued/").content.decode(), session)

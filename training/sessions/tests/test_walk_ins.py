"""Someone who came without registering: a coordinator of the organising institution finds them
by name or e-mail (people with a role at a partner institution, a bounded list) and records them
as attended, even when every place is taken (they came), and is told so; nobody else may."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from core.errors import ActionError, FieldErrors
from core.models import AuditEntry
from neurodaraja.testing.api_clients import bearer_client, call
from neurodaraja.testing.personas import sign_in
from training.sessions import actions, queries
from training.sessions.models import Registration, Session
from training.sessions.tests.world import planned

pytestmark = pytest.mark.django_db


def under_way(cast, **changes):
    """A session that started ten minutes ago, the trainee registered."""
    session = planned(cast, **changes)
    actions.register(cast.trainee, session, "resident")
    start = timezone.now() - timedelta(minutes=10)
    Session.objects.filter(pk=session.pk).update(starts_at=start, ends_at=start + timedelta(hours=2))
    session.refresh_from_db()
    return session


def test_a_walk_in_is_recorded_as_attended_and_counted(cast):
    session = under_way(cast)
    done = actions.add_walk_in(cast.coordinator, session, cast.referrer, "medical-officer")
    registration = done.registration
    assert registration.attended and registration.walk_in and registration.status == "registered"
    assert not done.over_capacity and not done.outside_audience
    session.refresh_from_db()
    assert session.status == "held"
    assert queries.people_trained_by_cadre() == {"medical-officer": 1}
    assert AuditEntry.objects.filter(action="training_sessions.walk_in", actor=cast.coordinator).count() == 1


def test_a_walk_in_over_the_places_is_recorded_and_said_so(cast):
    session = under_way(cast, capacity=1)  # the trainee holds the one place
    done = actions.add_walk_in(cast.coordinator, session, cast.referrer, "nurse")
    assert done.over_capacity and done.registration.attended
    assert actions.places_taken(session) == 2


def test_a_walk_in_of_another_cadre_is_counted_and_said_so(cast):
    session = under_way(cast, audience=["resident"])
    assert actions.add_walk_in(cast.coordinator, session, cast.referrer, "nurse").outside_audience


def test_someone_on_the_list_already_is_not_added_twice(cast):
    session = under_way(cast)
    with pytest.raises(ActionError) as refused:
        actions.add_walk_in(cast.coordinator, session, cast.trainee, "resident")
    assert refused.value.code == "duplicate" and "tick them" in str(refused.value.message)
    assert Registration.objects.filter(session=session).count() == 1


def test_a_cancelled_registration_comes_back_as_a_walk_in(cast):
    session = planned(cast)
    actions.register(cast.referrer, session, "nurse")
    actions.cancel_registration(cast.referrer, session)
    start = timezone.now() - timedelta(minutes=10)
    Session.objects.filter(pk=session.pk).update(starts_at=start, ends_at=start + timedelta(hours=2))
    session.refresh_from_db()
    registration = actions.add_walk_in(cast.coordinator, session, cast.referrer, "nurse").registration
    assert registration.status == "registered" and registration.attended and registration.cancelled_at is None


def test_walk_ins_wait_for_the_session_and_need_a_cadre_and_a_partner_role(cast):
    coming = planned(cast)
    with pytest.raises(ActionError) as refused:
        actions.add_walk_in(cast.coordinator, coming, cast.referrer, "nurse")
    assert refused.value.code == "not_started"
    session = under_way(cast)
    stranger = User.objects.create_user(email="nobody@example.test", full_name="Nobody Here")
    with pytest.raises(FieldErrors) as refused_fields:
        actions.add_walk_in(cast.coordinator, session, stranger, "surgeon")
    assert {e["field"] for e in refused_fields.value.errors} == {"person", "cadre"}
    assert Registration.objects.filter(session=session).count() == 1


@pytest.mark.parametrize("person", ["consultant_china", "outsider_coordinator", "trainee", "neurosurgeon"])
def test_only_the_organising_institutions_coordinators_add_walk_ins(cast, person):
    session = under_way(cast)
    with pytest.raises(actions.PermissionDenied):
        actions.add_walk_in(getattr(cast, person), session, cast.referrer, "nurse")
    assert not Registration.objects.filter(participant=cast.referrer).exists()


def test_the_search_finds_partner_people_by_name_or_e_mail_not_those_listed(cast):
    session = under_way(cast)
    User.objects.create_user(email="juma.roleless@example.test", full_name="Neema Roleless")
    assert [p.full_name for p in actions.walk_in_candidates(session, "neema")] == ["Neema Mwakalinga"]
    assert [p.full_name for p in actions.walk_in_candidates(session, "REFERRER@example")] == [
        "Neema Mwakalinga"
    ]
    assert actions.walk_in_candidates(session, "Amani") == []  # the trainee is on the list
    assert actions.walk_in_candidates(session, "n") == []  # too short to search
    assert actions.walk_in_candidates(session, "李") == []  # Li Wen teaches it: not a walk-in
    untaught = under_way(cast, trainers=[])
    assert [p.full_name for p in actions.walk_in_candidates(untaught, "李")] == ["Li Wen 李文"]  # a surname


def test_the_search_is_bounded_and_reads_in_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    session = under_way(cast)
    for n in range(15):
        person = User.objects.create_user(email=f"nurse{n}@example.test", full_name=f"Nurse Walker {n:02}")
        person.memberships.create(institution=cast.institutions["SRRH"], role="referrer")
    with django_assert_max_num_queries(2):
        found = actions.walk_in_candidates(session, "walker")
        places = [[m.institution.short_code for m in p.memberships.all()] for p in found]
    assert len(found) == actions.WALK_IN_CANDIDATES_SHOWN + 1 and places[0] == ["SRRH"]


def test_a_coordinator_adds_a_walk_in_on_the_attendance_page(cast, client):
    session = under_way(cast, capacity=1)
    coordinator = sign_in(client, cast.coordinator)
    url = f"/training/sessions/{session.pk}/attendance/"
    page = coordinator.get(url, {"q": "Neema"}).content.decode()
    assert "Neema Mwakalinga" in page and "(SRRH, Tanzania)" in page
    assert "referrer@example.test" not in page  # found by e-mail, not shown it
    added = coordinator.post(
        f"/training/sessions/{session.pk}/walk-in/",
        {"person": cast.referrer.pk, "cadre": "medical-officer", "q": "Neema"},
        follow=True,
    )
    text = added.content.decode()
    assert "Neema Mwakalinga is recorded as attended." in text
    assert "Every place was already taken: the session now has 2 people for 1 places." in text
    assert "Came without registering" in text
    assert Registration.objects.get(participant=cast.referrer).attended


def test_a_walk_in_without_a_cadre_is_refused_and_the_search_kept(cast, client):
    session = under_way(cast)
    coordinator = sign_in(client, cast.coordinator)
    page = coordinator.post(
        f"/training/sessions/{session.pk}/walk-in/", {"person": cast.referrer.pk, "cadre": "", "q": "Neema"}
    )
    text = page.content.decode()
    assert page.status_code == 400 and "There is a problem" in text and "Neema Mwakalinga" in text
    assert 'value="Neema"' in text
    assert not Registration.objects.filter(participant=cast.referrer).exists()


@pytest.mark.parametrize(
    ("person", "list_status"), [("consultant_china", 200), ("outsider_coordinator", 403)]
)
def test_the_walk_in_page_and_api_refuse_trainers_and_other_institutions(cast, client, person, list_status):
    session = under_way(cast)
    who = getattr(cast, person)
    reader = sign_in(client, who)
    listed = reader.get(f"/training/sessions/{session.pk}/attendance/", {"q": "Neema"})
    assert listed.status_code == list_status  # the trainer reads the list, with no search to add
    assert 'name="person"' not in listed.content.decode()
    assert "Neema Mwakalinga" not in listed.content.decode()
    posted = reader.post(
        f"/training/sessions/{session.pk}/walk-in/", {"person": cast.referrer.pk, "cadre": "nurse"}
    )
    assert posted.status_code == 403
    api = bearer_client(who)
    base = f"/training/sessions/{session.pk}"
    assert call(api, "get", f"{base}/walk-in-candidates?q=Neema").status_code == 403
    assert (
        call(api, "post", f"{base}/walk-ins", {"person": cast.referrer.pk, "cadre": "nurse"}).status_code
        == 403
    )
    assert not Registration.objects.filter(participant=cast.referrer).exists()


def test_the_api_finds_and_adds_a_walk_in(cast):
    session = under_way(cast, capacity=1)
    api = bearer_client(cast.coordinator)
    base = f"/training/sessions/{session.pk}"
    found = call(api, "get", f"{base}/walk-in-candidates?q=neema").json()
    assert found == [{"id": cast.referrer.pk, "name": "Neema Mwakalinga", "places": ["SRRH, Tanzania"]}]
    added = call(api, "post", f"{base}/walk-ins", {"person": cast.referrer.pk, "cadre": "nurse"})
    assert added.status_code == 201
    body = added.json()
    assert body["over_capacity"] is True and body["attendee"]["walk_in"] is True
    assert body["attendee"]["attended"] is True
    again = call(api, "post", f"{base}/walk-ins", {"person": cast.referrer.pk, "cadre": "nurse"})
    assert again.status_code == 409
    unknown = call(api, "post", f"{base}/walk-ins", {"person": 999999, "cadre": "nurse"})
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["field"] == "person"

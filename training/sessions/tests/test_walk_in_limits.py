"""Who may be recorded as having come, and when: nobody records their own attendance, the
session's trainers taught it (they are not its participants), and walk-ins are recorded from
the session's start until a week after its end, never for a session long past; trainers get
no attendance certificate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import formats, timezone, translation

from accounts import actions as accounts
from core.errors import ActionError
from neurodaraja.testing.api_clients import bearer_client, call
from neurodaraja.testing.personas import sign_in
from training.certificates import actions as certificates
from training.sessions import actions
from training.sessions.models import Registration, Session
from training.sessions.tests.world import move_back, planned

pytestmark = pytest.mark.django_db


def started(cast, minutes_ago: float = 10, **changes):
    session = planned(cast, **changes)
    start = timezone.now() - timedelta(minutes=minutes_ago)
    Session.objects.filter(pk=session.pk).update(starts_at=start, ends_at=start + timedelta(hours=2))
    session.refresh_from_db()
    return session


def test_a_coordinator_cannot_record_herself_as_a_walk_in(cast):
    session = started(cast)
    with pytest.raises(ActionError) as refused:
        actions.add_walk_in(cast.coordinator, session, cast.coordinator, "neurosurgeon")
    assert refused.value.code == "own_attendance"
    assert "your own attendance" in str(refused.value.message)
    assert not Registration.objects.filter(session=session).exists()


def test_the_sessions_trainer_is_not_a_walk_in(cast):
    session = started(cast)
    with pytest.raises(ActionError) as refused:
        actions.add_walk_in(cast.coordinator, session, cast.consultant_china, "neurosurgeon")
    assert refused.value.code == "trainer"
    assert cast.consultant_china.full_name in str(refused.value.message)
    assert not Registration.objects.filter(session=session).exists()


def test_nobody_is_offered_as_a_walk_in_who_may_not_be_one(cast):
    session = started(cast)

    def found(person):
        return actions.walk_in_candidates(session, person.full_name, exclude=cast.coordinator)

    assert found(cast.consultant_china) == [] and found(cast.coordinator) == []
    assert found(cast.referrer) == [cast.referrer]


def test_walk_ins_are_not_recorded_before_the_start(cast):
    session = started(cast, minutes_ago=-10)  # starts in ten minutes
    with pytest.raises(ActionError) as refused:
        actions.add_walk_in(cast.coordinator, session, cast.referrer, "nurse")
    assert refused.value.code == "not_started"
    assert "once the session has started" in str(refused.value.message)


def test_walk_ins_are_recorded_up_to_a_week_after_the_end(cast):
    session = started(cast, minutes_ago=6 * 24 * 60)
    assert actions.add_walk_in(cast.coordinator, session, cast.referrer, "nurse").registration.attended


def test_a_session_two_months_ago_gains_no_walk_ins(cast):
    session = move_back(planned(cast), days=60)
    with pytest.raises(ActionError) as refused:
        actions.add_walk_in(cast.coordinator, session, cast.referrer, "nurse")
    assert refused.value.code == "walk_ins_closed"
    assert "7 days" in str(refused.value.message)
    assert not Registration.objects.filter(session=session).exists()


def test_the_list_does_not_tick_the_coordinator_or_a_trainer(cast):
    session = planned(cast)
    own = actions.register(cast.coordinator, session, "neurosurgeon")
    taught = actions.register(cast.consultant_china, session, "neurosurgeon")
    move_back(session)
    for registration, code in ((own, "own_attendance"), (taught, "trainer")):
        with pytest.raises(ActionError) as refused:
            actions.take_attendance(cast.coordinator, session, {registration.pk})
        assert refused.value.code == code
    assert not Registration.objects.filter(session=session, attended=True).exists()


def test_the_api_refuses_a_trainer_or_oneself_as_a_walk_in(cast):
    session = started(cast)
    api = bearer_client(cast.coordinator)
    for person in (cast.coordinator, cast.consultant_china):
        answer = call(
            api, "post", f"/training/sessions/{session.pk}/walk-ins", {"person": person.pk, "cadre": "nurse"}
        )
        assert answer.status_code == 409
    assert not Registration.objects.filter(session=session).exists()


def test_a_trainer_marked_as_attended_gets_no_attendance_certificate(cast):
    session = planned(cast)
    taught = actions.register(cast.consultant_china, session, "neurosurgeon")
    came = actions.register(cast.trainee, session, "resident")
    move_back(session)
    # Marked before trainers were refused on the list.
    Registration.objects.filter(pk__in=[taught.pk, came.pk]).update(attended=True)
    issued = certificates.issue_for_session(cast.coordinator, session)
    assert [certificate.holder for certificate in issued] == [cast.trainee]
    assert list(certificates.waiting_for_certificate(session.registrations.all())) == []


def test_a_walk_in_is_listed_as_came_without_registering_not_registered(cast, client):
    session = started(cast)
    actions.add_walk_in(cast.coordinator, session, cast.referrer, "nurse")
    page = (
        sign_in(client, cast.coordinator).get(f"/training/sessions/{session.pk}/attendance/").content.decode()
    )
    line = page[page.index("Neema Mwakalinga") :]
    line = line[: line.index("</li>")]
    assert "Came without registering" in line and "Registered" not in line


def test_the_list_says_on_which_day_someone_was_ticked(cast, client):
    session = planned(cast)
    registration = actions.register(cast.trainee, session, "resident")
    move_back(session, days=60)
    actions.take_attendance(cast.coordinator, session, {registration.pk})
    ticked = datetime(2026, 10, 1, 18, 32, tzinfo=UTC)
    Registration.objects.filter(pk=registration.pk).update(checked_in_at=ticked)
    page = (
        sign_in(client, cast.coordinator).get(f"/training/sessions/{session.pk}/attendance/").content.decode()
    )
    with translation.override("en"):
        shown = formats.date_format(
            timezone.localtime(ticked, ZoneInfo(cast.coordinator.time_zone)), "SHORT_DATETIME_FORMAT"
        )
    assert "21:32" in shown and "2026" in shown  # Dar es Salaam, UTC+3
    assert f"Ticked on the list {shown}" in page


def test_a_code_typed_after_the_session_says_check_in_closed(cast, client):
    session = planned(cast)
    actions.register(cast.trainee, session, "resident")
    move_back(session, days=2)
    with pytest.raises(ActionError) as refused:
        actions.check_in(cast.trainee, session.check_in_code)
    assert refused.value.code == "closed"
    closes = actions.when(session.ends_at + actions.CHECK_IN_MARGIN)
    assert f"Check-in for “Burr holes workshop” closed at {closes}." in str(refused.value.message)
    assert not Registration.objects.get(session=session, participant=cast.trainee).attended
    # In Kiswahili on the page too.
    accounts.update_profile(cast.trainee, {"preferred_language": "sw"})
    page = sign_in(client, cast.trainee).post("/training/sessions/check-in/", {"code": session.check_in_code})
    assert "Kuingia kwenye" in page.content.decode()


def test_a_past_sessions_code_is_not_confirmed_to_someone_without_a_place(cast):
    session = move_back(planned(cast), days=2)
    with pytest.raises(ActionError) as refused:
        actions.check_in(cast.referrer, session.check_in_code)
    assert refused.value.code == "wrong_code"


def test_a_trainer_does_not_check_in_to_the_session_they_teach(cast):
    session = planned(cast)
    registration = actions.register(cast.consultant_china, session, "neurosurgeon")
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    with pytest.raises(ActionError) as refused:
        actions.check_in(cast.consultant_china, session.check_in_code)
    assert refused.value.code == "trainer"
    registration.refresh_from_db()
    assert not registration.attended


def test_the_api_does_not_offer_the_coordinator_or_a_trainer_as_a_walk_in(cast):
    session = started(cast)
    api = bearer_client(cast.coordinator)
    for person in (cast.coordinator, cast.consultant_china):
        url = f"/training/sessions/{session.pk}/walk-in-candidates?q={person.email}"
        assert call(api, "get", url).json() == [], person

"""Registering: a place while there are places, then the waiting list, which moves up (and tells
the person) when someone cancels; a second registration, a cancelled or past session, or a cadre
the session is not for are refused with a clear message and change nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from core.errors import ActionError, FieldErrors
from core.models import Notification
from training.sessions import actions
from training.sessions.models import RegistrationStatus
from training.sessions.tests.world import move_back, planned, session_data


def test_a_full_session_puts_people_on_the_waiting_list_in_order(cast):
    session = planned(cast, capacity=1)
    first = actions.register(cast.trainee, session, "resident")
    second = actions.register(cast.referrer, session, "medical-officer")
    third = actions.register(cast.outsider, session, "clinical-officer")
    assert first.status == RegistrationStatus.REGISTERED and first.position is None
    assert (second.status, second.position) == (RegistrationStatus.WAITING, 1)
    assert (third.status, third.position) == (RegistrationStatus.WAITING, 2)


def test_a_cancelled_place_goes_to_the_first_waiting_who_is_told(cast):
    session = planned(cast, capacity=1)
    actions.register(cast.trainee, session, "resident")
    second = actions.register(cast.referrer, session, "medical-officer")
    third = actions.register(cast.outsider, session, "clinical-officer")
    actions.cancel_registration(cast.trainee, session)
    second.refresh_from_db()
    third.refresh_from_db()
    assert (second.status, second.position) == (RegistrationStatus.REGISTERED, None)
    assert (third.status, third.position) == (RegistrationStatus.WAITING, 1)
    assert (
        Notification.objects.filter(recipient=cast.referrer, kind="training_sessions.promoted").count() == 1
    )
    assert not Notification.objects.filter(
        recipient=cast.outsider, kind="training_sessions.promoted"
    ).exists()


def test_more_places_move_the_waiting_list_up(cast):
    session = planned(cast, capacity=1)
    actions.register(cast.trainee, session, "resident")
    waiting = actions.register(cast.referrer, session, "medical-officer")
    actions.change_session(cast.coordinator, session, session_data(cast, capacity=2))
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.REGISTERED


def test_registering_twice_is_told_not_doubled(cast):
    session = planned(cast)
    actions.register(cast.trainee, session, "resident")
    with pytest.raises(ActionError, match="already registered") as refused:
        actions.register(cast.trainee, session, "resident")
    assert refused.value.code == "duplicate"
    assert session.registrations.count() == 1


def test_one_who_cancelled_may_register_again(cast):
    session = planned(cast)
    actions.register(cast.trainee, session, "resident")
    actions.cancel_registration(cast.trainee, session)
    again = actions.register(cast.trainee, session, "resident")
    assert again.status == RegistrationStatus.REGISTERED and session.registrations.count() == 1


def test_a_cancelled_session_takes_no_registration_and_tells_those_registered(cast):
    session = planned(cast)
    actions.register(cast.trainee, session, "resident")
    actions.cancel_session(cast.coordinator, session, "Trainer's flight cancelled")
    assert Notification.objects.filter(recipient=cast.trainee, kind="training_sessions.cancelled").exists()
    with pytest.raises(ActionError, match="cancelled"):
        actions.register(cast.referrer, session, "medical-officer")
    assert session.registrations.count() == 1


def test_a_session_that_has_started_takes_no_registration(cast):
    session = move_back(planned(cast))
    with pytest.raises(ActionError, match="already started"):
        actions.register(cast.trainee, session, "resident")
    assert not session.registrations.exists()


def test_a_session_for_nurses_refuses_a_resident(cast):
    session = planned(cast, audience=["nurse", "clinical-officer"])
    with pytest.raises(FieldErrors) as refused:
        actions.register(cast.trainee, session, "resident")
    assert refused.value.errors[0]["field"] == "cadre"
    assert not session.registrations.exists()


def test_a_video_link_that_is_not_https_is_refused(cast):
    with pytest.raises(FieldErrors) as refused:
        planned(cast, video_link="http://meet.example.org/x")
    assert [e["field"] for e in refused.value.errors] == ["video_link"]


def test_a_session_ending_before_it_starts_is_refused(cast):
    start = timezone.now() + timezone.timedelta(days=3)
    with pytest.raises(FieldErrors) as refused:
        planned(cast, starts_at=start, ends_at=start - timezone.timedelta(hours=1))
    assert [e["field"] for e in refused.value.errors] == ["ends_at"]


def test_only_the_organising_institutions_coordinator_plans_there(cast):
    with pytest.raises(actions.PermissionDenied):
        actions.create_session(
            cast.outsider_coordinator,
            actions.SessionData(
                title="x",
                starts_at=timezone.now() + timezone.timedelta(days=1),
                ends_at=timezone.now() + timezone.timedelta(days=1, hours=1),
                institution=cast.institutions["MOI"],
                capacity=3,
                venue="MOI",
            ),
        )

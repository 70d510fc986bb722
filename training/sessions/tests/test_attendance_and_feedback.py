"""Attendance by the coordinator's list and by the check-in code typed on a phone; feedback once
per participant who came; the supervisor's follow-up weeks later; case conferences counted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from consultations.access import conferences_for
from consultations.models import Conference, ConferenceParticipant
from core.errors import ActionError
from core.models import Notification
from neurodaraja.testing.api_clients import bearer_client, call
from neurodaraja.testing.personas import sign_in
from training.sessions import access, actions, queries
from training.sessions.models import CheckIn, FollowUp
from training.sessions.tests.world import attended, move_back, planned
from training.tests.world import training_world

RATINGS = {"relevance": 5, "teaching": 4, "practical": 4, "organisation": 3}


def running(cast):
    session = planned(cast)
    registration = actions.register(cast.trainee, session, "resident")
    start = timezone.now() - timedelta(minutes=10)
    type(session).objects.filter(pk=session.pk).update(starts_at=start, ends_at=start + timedelta(hours=2))
    session.refresh_from_db()
    return session, registration


def test_the_check_in_code_is_short_and_unguessable(cast):
    codes = {planned(cast).check_in_code for _i in range(5)}
    assert len(codes) == 5 and all(len(code) == 6 and code.isalnum() for code in codes)


def test_a_participant_checks_in_with_the_code_during_the_session(cast):
    session, registration = running(cast)
    done = actions.check_in(cast.trainee, session.check_in_code.lower())
    registration.refresh_from_db()
    session.refresh_from_db()
    assert not done.already and registration.attended and registration.checked_in_by == CheckIn.CODE
    assert session.status == "held"


def test_a_second_check_in_is_told_not_refused(cast):
    session, registration = running(cast)
    actions.check_in(cast.trainee, session.check_in_code)
    first = registration.__class__.objects.get(pk=registration.pk).checked_in_at
    again = actions.check_in(cast.trainee, session.check_in_code)
    assert again.already and again.registration.checked_in_at == first


def test_an_early_check_in_leaves_registration_open_until_the_start(cast, client):
    session = planned(cast)
    actions.register(cast.trainee, session, "resident")
    start = timezone.now() + timedelta(minutes=20)  # the code works from half an hour before
    type(session).objects.filter(pk=session.pk).update(starts_at=start, ends_at=start + timedelta(hours=2))
    session.refresh_from_db()
    actions.check_in(cast.trainee, session.check_in_code)
    client.force_login(cast.referrer)
    page = client.get(f"/training/sessions/{session.pk}/").content.decode()
    assert f"/training/sessions/{session.pk}/register/" in page
    assert actions.register(cast.referrer, session, "resident").status == "registered"


def test_the_code_does_not_work_before_the_session(cast):
    session = planned(cast)
    actions.register(cast.trainee, session, "resident")
    with pytest.raises(ActionError) as refused:
        actions.check_in(cast.trainee, session.check_in_code)
    assert refused.value.code == "wrong_code"


def test_wrong_codes_are_slowed_down(cast):
    session, _registration = running(cast)
    for _i in range(actions.WRONG_CODES_ALLOWED):
        with pytest.raises(ActionError, match="not right"):
            actions.check_in(cast.trainee, "ZZZZZZ")
    with pytest.raises(ActionError) as refused:
        actions.check_in(cast.trainee, session.check_in_code)  # even the right one, for a while
    assert refused.value.status == 429


def test_one_without_a_place_is_told_to_ask_the_coordinator(cast):
    session, _registration = running(cast)
    with pytest.raises(ActionError) as refused:
        actions.check_in(cast.referrer, session.check_in_code)
    assert refused.value.code == "not_registered"


def test_the_coordinators_list_records_who_came(cast):
    session, registration = running(cast)
    assert actions.take_attendance(cast.coordinator, session, {registration.pk}) == 1
    registration.refresh_from_db()
    assert registration.attended and registration.checked_in_by == CheckIn.LIST
    actions.take_attendance(cast.coordinator, session, set())
    registration.refresh_from_db()
    assert not registration.attended


@pytest.mark.parametrize("person", ["consultant_china", "outsider_coordinator", "trainee", "neurosurgeon"])
def test_only_the_organising_institutions_coordinators_take_attendance(cast, person):
    # The trainer (the consultant in China), another institution's coordinator, a participant,
    # a consultant of the same hospital: refused, nothing marked.
    session, registration = running(cast)
    with pytest.raises(actions.PermissionDenied):
        actions.take_attendance(getattr(cast, person), session, {registration.pk})
    registration.refresh_from_db()
    assert not registration.attended and session.status == "planned"


def test_a_trainer_does_not_mark_their_own_attendance(cast):
    session = planned(cast, trainers=[cast.neurosurgeon])
    own = actions.register(cast.neurosurgeon, session, "neurosurgeon")
    start = timezone.now() - timedelta(minutes=10)
    type(session).objects.filter(pk=session.pk).update(starts_at=start, ends_at=start + timedelta(hours=2))
    session.refresh_from_db()
    with pytest.raises(actions.PermissionDenied):
        actions.take_attendance(cast.neurosurgeon, session, {own.pk})
    own.refresh_from_db()
    assert not own.attended


def test_the_trainer_reads_the_attendance_list_without_boxes_to_tick(cast, client):
    session, registration = running(cast)
    actions.take_attendance(cast.coordinator, session, {registration.pk})
    url = f"/training/sessions/{session.pk}/attendance/"
    page = sign_in(client, cast.consultant_china).get(url).content.decode()
    assert "Amani Kileo" in page and 'type="checkbox"' not in page and '<form method="post"' not in page
    assert client.post(url, {"attended": []}).status_code == 403
    registration.refresh_from_db()
    assert registration.attended
    client.logout()
    assert 'type="checkbox"' in sign_in(client, cast.coordinator).get(url).content.decode()


@pytest.mark.parametrize(("person", "status"), [("consultant_china", 403), ("outsider_coordinator", 403)])
def test_the_api_refuses_attendance_to_trainers_and_other_institutions(cast, person, status):
    session, registration = running(cast)
    answer = call(
        bearer_client(getattr(cast, person)),
        "put",
        f"/training/sessions/{session.pk}/attendance",
        {"attended": [registration.pk]},
    )
    assert answer.status_code == status
    registration.refresh_from_db()
    assert not registration.attended
    # The trainer still reads it.
    seen = call(bearer_client(cast.consultant_china), "get", f"/training/sessions/{session.pk}/attendance")
    assert seen.status_code == 200


def test_feedback_is_given_once(cast):
    registration = attended(cast, cast.trainee)
    actions.give_feedback(cast.trainee, registration.session, RATINGS, "Useful")
    with pytest.raises(ActionError) as refused:
        actions.give_feedback(cast.trainee, registration.session, RATINGS)
    assert refused.value.code == "duplicate"


def test_feedback_needs_attendance_and_ratings_from_1_to_5(cast):
    registration = attended(cast, cast.trainee)
    with pytest.raises(ActionError):
        actions.give_feedback(cast.referrer, registration.session, RATINGS)
    with pytest.raises(actions.FieldErrors):
        actions.give_feedback(cast.trainee, registration.session, RATINGS | {"teaching": 6})


@pytest.mark.parametrize(
    "comment", ["patient Juma (0754 999 888) was shown", "电话13812345678", "write to juma.h@gmail.com"]
)
def test_feedback_naming_a_patient_is_refused_and_can_be_sent_again(cast, comment):
    registration = attended(cast, cast.trainee)
    with pytest.raises(actions.FieldErrors) as refused:
        actions.give_feedback(cast.trainee, registration.session, RATINGS, comment)
    assert [error["field"] for error in refused.value.errors] == ["comment"]
    actions.give_feedback(cast.trainee, registration.session, RATINGS, "Useful burr-hole practice")


def test_a_follow_up_answer_naming_a_patient_is_refused(cast):
    training_world(cast)
    registration = attended(cast, cast.trainee)
    actions.ask_follow_ups(timezone.now() + actions.follow_up_after() + timedelta(days=1))
    question = FollowUp.objects.get(registration=registration)
    with pytest.raises(actions.FieldErrors):
        actions.answer_follow_up(cast.neurosurgeon, question, "yes", "call 0754 222 333")
    question.refresh_from_db()
    assert question.answered_at is None


def test_the_supervisor_is_asked_weeks_later_whether_practice_changed(cast):
    training_world(cast)
    registration = attended(cast, cast.trainee)
    assert actions.ask_follow_ups() == 0  # too early
    later = timezone.now() + actions.follow_up_after() + timedelta(days=1)
    assert actions.ask_follow_ups(later) == 1
    assert actions.ask_follow_ups(later) == 0  # once
    question = FollowUp.objects.get(registration=registration)
    assert question.supervisor == cast.neurosurgeon
    assert Notification.objects.filter(
        recipient=cast.neurosurgeon, kind="training_sessions.follow_up"
    ).exists()
    actions.answer_follow_up(cast.neurosurgeon, question, "yes", "Now places burr holes alone")
    with pytest.raises(ActionError):
        actions.answer_follow_up(cast.neurosurgeon, question, "no")


def test_held_sessions_include_case_conferences_with_their_attendance(cast):
    registration = attended(cast, cast.trainee)
    conference = Conference.objects.create(
        title="Weekly neurotrauma conference",
        starts_at=timezone.now() - timedelta(days=2),
        institution=cast.institutions["MOI"],
        organiser=cast.coordinator,
    )
    ConferenceParticipant.objects.create(conference=conference, person=cast.neurosurgeon, attended=True)
    ConferenceParticipant.objects.create(conference=conference, person=cast.trainee, attended=False)
    held = {(item.kind, item.id): item.attended for item in queries.held_sessions()}
    assert held == {("session", registration.session_id): 1, ("case-conference", conference.pk): 1}
    assert queries.people_trained_by_cadre() == {"resident": 1}


def test_a_planned_session_not_yet_held_is_not_counted(cast):
    move_back(planned(cast))
    assert queries.held_sessions() == []


def test_a_readers_view_of_held_sessions_counts_each_attendee_once(cast):
    session = planned(cast, trainers=[cast.consultant_china, cast.neurosurgeon])
    for person in (cast.trainee, cast.referrer):
        actions.register(person, session, "resident")
    move_back(session)
    actions.take_attendance(
        cast.coordinator, session, set(session.registrations.values_list("pk", flat=True))
    )
    conference = Conference.objects.create(
        title="Weekly neurotrauma conference",
        starts_at=timezone.now() - timedelta(days=2),
        institution=cast.institutions["MOI"],
        organiser=cast.coordinator,
    )
    for person in (cast.coordinator, cast.neurosurgeon, cast.trainee):
        ConferenceParticipant.objects.create(conference=conference, person=person, attended=True)
    for reader in (cast.coordinator, cast.consultant_china, cast.trainee):
        held = queries.held_sessions(
            sessions=access.sessions_visible_to(reader), conferences=conferences_for(reader)
        )
        counts = {item.kind: item.attended for item in held}
        assert counts.get("session") == 2, reader
        assert counts.get("case-conference") in {3, None}, reader


def test_a_follow_up_answer_over_the_limit_is_refused_not_cut(cast):
    training_world(cast)
    registration = attended(cast, cast.trainee)
    actions.ask_follow_ups(timezone.now() + actions.follow_up_after() + timedelta(days=1))
    question = FollowUp.objects.get(registration=registration)
    with pytest.raises(actions.FieldErrors) as refused:
        actions.answer_follow_up(cast.neurosurgeon, question, "yes", "x" * (actions.COMMENT_LIMIT + 1))
    assert refused.value.errors == [
        {
            "field": "comment",
            "message": "Keep it to 2,000 characters or fewer: this has 2,001.",
            "type": "invalid",
        }
    ]
    question.refresh_from_db()
    assert question.answered_at is None and question.comment == ""
    actions.answer_follow_up(cast.neurosurgeon, question, "yes", "y" * actions.COMMENT_LIMIT)
    question.refresh_from_db()
    assert len(question.comment) == actions.COMMENT_LIMIT

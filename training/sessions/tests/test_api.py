"""The sessions' JSON API: the same actions and refusals as the pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from neurodaraja.testing.api_clients import bearer_client, call
from training.sessions import actions
from training.sessions.models import Registration, Session
from training.sessions.tests.world import attended, others_answer, planned, sessions_world

pytestmark = pytest.mark.django_db


def body(**changes):
    start = timezone.now() + timedelta(days=9)
    return {
        "title": "Spine workshop",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=3)).isoformat(),
        "institution": "MOI",
        "capacity": 1,
        "venue": "MOI skills laboratory",
    } | changes


def test_a_coordinator_plans_a_session_and_sees_its_code(cast):
    coordinator = bearer_client(cast.coordinator)
    answer = call(coordinator, "post", "/training/sessions", body(trainers=[cast.consultant_china.pk]))
    assert answer.status_code == 201, answer.content
    made = answer.json()
    assert made["check_in_code"] == Session.objects.get().check_in_code and made["trainers"] == [
        "Li Wen 李文"
    ]
    seen = call(bearer_client(cast.trainee), "get", f"/training/sessions/{made['id']}").json()
    assert seen["check_in_code"] is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"video_link": "http://meet.example.org/x", "venue": ""}, "video_link"),
        ({"ends_at": (timezone.now() + timedelta(days=1)).isoformat()}, "ends_at"),
    ],
)
def test_bad_sessions_are_refused_by_field(cast, changes, field):
    answer = call(bearer_client(cast.coordinator), "post", "/training/sessions", body(**changes))
    assert answer.status_code == 422
    assert field in [error["field"] for error in answer.json()["detail"]]
    assert not Session.objects.exists()


def test_registration_the_waiting_list_and_a_second_registration(cast):
    session = planned(cast, capacity=1)
    trainee, referrer = bearer_client(cast.trainee), bearer_client(cast.referrer)
    first = call(trainee, "post", f"/training/sessions/{session.pk}/registration", {"cadre": "resident"})
    assert first.status_code == 201 and first.json()["status"] == "registered"
    second = call(referrer, "post", f"/training/sessions/{session.pk}/registration", {"cadre": "nurse"})
    assert second.json() == {
        "session": session.pk,
        "status": "waiting",
        "position": 1,
        "attended": False,
    }
    again = call(trainee, "post", f"/training/sessions/{session.pk}/registration", {"cadre": "resident"})
    assert again.status_code == 409 and again.json()["code"] == "duplicate"
    assert call(trainee, "delete", f"/training/sessions/{session.pk}/registration").status_code == 200
    assert Registration.objects.get(participant=cast.referrer).status == "registered"


def test_check_in_twice_says_already_and_wrong_codes_slow_down(cast):
    session = planned(cast)
    actions.register(cast.trainee, session, "resident")
    start = timezone.now() - timedelta(minutes=5)
    Session.objects.filter(pk=session.pk).update(starts_at=start, ends_at=start + timedelta(hours=1))
    trainee = bearer_client(cast.trainee)
    first = call(trainee, "post", "/training/sessions/check-in", {"code": session.check_in_code})
    again = call(trainee, "post", "/training/sessions/check-in", {"code": session.check_in_code})
    assert first.json()["already_checked_in"] is False and again.status_code == 200
    assert again.json()["already_checked_in"] is True
    for _i in range(actions.WRONG_CODES_ALLOWED):
        assert call(trainee, "post", "/training/sessions/check-in", {"code": "QQQQQQ"}).status_code == 400
    assert call(trainee, "post", "/training/sessions/check-in", {"code": "QQQQQQ"}).status_code == 429


def test_feedback_once_and_the_held_list_with_attendance(cast):
    registration = attended(cast, cast.trainee)
    trainee = bearer_client(cast.trainee)
    ratings = {"relevance": 5, "teaching": 5, "practical": 4, "organisation": 4}
    url = f"/training/sessions/{registration.session_id}/feedback"
    assert call(trainee, "post", url, ratings).status_code == 201
    assert call(trainee, "post", url, ratings).status_code == 409
    assert call(trainee, "post", url, ratings | {"teaching": 0}).status_code in {409, 422}
    held = call(trainee, "get", "/training/held-sessions").json()
    assert held == [
        {
            "kind": "session",
            "id": registration.session_id,
            "title": "Raised ICP lecture",
            "starts_at": held[0]["starts_at"],
            "ends_at": held[0]["ends_at"],
            "attended": 1,
        }
    ]


def test_the_evaluation_names_no_participant_to_trainers_and_gives_coordinators_the_answers(cast):
    world = sessions_world(cast)
    actions.give_feedback(
        cast.trainee,
        world.held,
        {"relevance": 5, "teaching": 4, "practical": 3, "organisation": 4},
        "Useful.",
    )
    actions.answer_follow_up(cast.neurosurgeon, world.follow_up, "partly", "Reads CT scans alone now.")
    url = f"/training/sessions/{world.held.pk}/evaluation"
    # Two answers could be told apart: held back.
    others_answer(cast, world.held, people=("referrer",))
    few = call(bearer_client(cast.coordinator), "get", url).json()
    assert few["feedback_count"] == 2 and few["feedback_held_back"] is True
    assert few["ratings"] == [] and few["comments"] == [] and few["comments_total"] == 0
    others_answer(cast, world.held, people=("researcher",))
    mine = call(bearer_client(cast.coordinator), "get", url).json()
    assert mine["feedback_count"] == 3 and mine["comments"] == ["Useful."] and not mine["feedback_held_back"]
    assert mine["ratings"][2] == {"question": "practical", "mean": 3.7, "scores": [0, 0, 1, 2, 0]}
    assert mine["practice_changed"] == {"partly": 1}
    assert [(a["participant"], a["comment"]) for a in mine["follow_up_answers"]] == [
        ("Amani Kileo", "Reads CT scans alone now.")
    ]
    trainer = call(bearer_client(cast.consultant_china), "get", url).json()
    assert trainer["comments"] == ["Useful."] and trainer["follow_up_answers"] is None
    assert "Amani" not in str(trainer)
    assert call(bearer_client(cast.trainee), "get", url).status_code == 403
    assert call(bearer_client(cast.outsider_coordinator), "get", url).status_code == 403

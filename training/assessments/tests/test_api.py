"""The assessments' JSON API: the trainee asks (with the same refusals as the page), the assessor
lists, completes or declines, anyone reads the scale in their language, coordinators count."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accounts import actions as accounts
from neurodaraja.testing.api_clients import bearer_client, call
from training.actions import local_today
from training.assessments.models import Assessment, Status
from training.assessments.tests.world import assessment_world, requested

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return assessment_world(cast)


def payload(cast, world, **changes):
    return {
        "enrolment": world.training.enrolment.pk,
        "kind": "epa",
        "assessor": cast.neurosurgeon.pk,
        "observed_on": (local_today(cast.trainee) - timedelta(days=1)).isoformat(),
        "institution": "moi",
        "competency": "epa-raised-icp",
    } | changes


def test_a_trainee_asks_and_the_assessor_completes_through_the_api(cast, world):
    trainee, assessor = bearer_client(cast.trainee), bearer_client(cast.neurosurgeon)
    created = call(trainee, "post", "/training/assessments", payload(cast, world))
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "requested" and body["competency"] == "epa-raised-icp" and not body["overdue"]
    waiting = call(assessor, "get", "/training/assessments/to-complete").json()
    assert [a["id"] for a in waiting] == [body["id"]]
    done = call(
        assessor,
        "post",
        f"/training/assessments/{body['id']}/completion",
        {"rating": 5, "narrative": "Led the team."},
    )
    assert done.status_code == 200 and done.json()["rating_label"] == "5 – May supervise others doing it"
    again = call(
        assessor, "post", f"/training/assessments/{body['id']}/completion", {"rating": 1, "narrative": "x"}
    )
    assert again.status_code == 409
    mine = call(trainee, "get", f"/training/assessments/{body['id']}").json()
    assert mine["status"] == "completed" and mine["narrative"] == "Led the team."


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"assessor": "self"}, "assessor"),
        ({"observed_on": "future"}, "observed_on"),
        ({"summary": "Mother's phone +255 754 123 456"}, "summary"),
        ({"competency": "no-such-epa"}, "competency"),
        ({"institution": "XXX"}, "institution"),
    ],
)
def test_bad_requests_are_refused_by_field_and_save_nothing(cast, world, changes, field):
    if changes.get("assessor") == "self":
        changes = {"assessor": cast.trainee.pk}
    if changes.get("observed_on") == "future":
        changes = {"observed_on": (local_today(cast.trainee) + timedelta(days=1)).isoformat()}
    answer = call(
        bearer_client(cast.trainee), "post", "/training/assessments", payload(cast, world, **changes)
    )
    assert answer.status_code == 422
    assert [error["field"] for error in answer.json()["detail"]] == [field]
    assert Assessment.objects.count() == 0


def test_a_completion_with_an_identifier_is_refused_and_the_request_stays_open(cast, world):
    asked = requested(cast, world)
    answer = call(
        bearer_client(cast.neurosurgeon),
        "post",
        f"/training/assessments/{asked.pk}/completion",
        {"rating": 3, "narrative": "Operated on 01/02/2025."},
    )
    assert answer.status_code == 422 and answer.json()["detail"][0]["field"] == "narrative"
    assert Assessment.objects.get().status == Status.REQUESTED


def test_the_scale_is_given_in_the_readers_language(cast):
    accounts.update_profile(cast.consultant_china, {"preferred_language": "zh-hans"})
    levels = call(bearer_client(cast.consultant_china), "get", "/training/assessments/scale").json()
    assert [level["rating"] for level in levels] == [1, 2, 3, 4, 5]
    assert levels[0]["label"] != "1 – Observes only: may not yet do it"


def test_coordinators_count_per_assessor(cast, world):
    asked = requested(cast, world)
    call(
        bearer_client(cast.neurosurgeon),
        "post",
        f"/training/assessments/{asked.pk}/decline",
        {"reason": "Away."},
    )
    requested(cast, world, kind="cbd")
    (row,) = call(bearer_client(cast.coordinator), "get", "/training/assessments/assessors").json()
    assert row == {
        "assessor": cast.neurosurgeon.full_name,
        "completed": 0,
        "declined": 1,
        "waiting": 1,
        "overdue": 0,
        "median_days_to_complete": None,
    }
    assert (
        call(bearer_client(cast.outsider_coordinator), "get", "/training/assessments/assessors").json() == []
    )

"""The logbook's JSON API: one's own entries, logging (with the same refusals as the page),
duplicating, the supervisor's queue and decision, and the procedure list with honest codes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from neurodaraja.testing.api_clients import bearer_client, call
from training import actions
from training.models import EntryStatus, LogbookEntry, Procedure
from training.tests.world import logged, training_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return training_world(cast)


def payload(cast, world, **changes):
    return {
        "enrolment": world.enrolment.pk,
        "performed_on": "2025-05-04",
        "institution": "MOI",
        "urgency": "emergency",
        "age_band": "16-39",
        "sex": "male",
        "diagnosis": "Acute subdural haematoma",
        "procedures": ["craniotomy-asdh"],
        "supervision": "S-TU",
        "supervisor": cast.neurosurgeon.pk,
        "reflection": "Fast decompression.",
    } | changes


def test_a_trainee_logs_lists_and_duplicates_entries(cast, world):
    trainee = bearer_client(cast.trainee)
    created = call(trainee, "post", "/training/entries", payload(cast, world))
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == "pending" and body["procedures"] == ["craniotomy-asdh"]
    copy = call(trainee, "post", f"/training/entries/{body['id']}/duplicate", {"performed_on": "2025-05-05"})
    assert (
        copy.status_code == 201
        and copy.json()["reflection"] == ""
        and copy.json()["performed_on"] == "2025-05-05"
    )
    listed = call(trainee, "get", "/training/entries").json()
    assert [e["performed_on"] for e in listed] == ["2025-05-05", "2025-05-04"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"supervision": "T"}, "supervision"),
        ({"performed_on": "2999-01-01"}, "performed_on"),
        ({"reflection": "Call his wife on +255 754 123 456"}, "reflection"),
        ({"procedures": ["brain-transplant"]}, "procedures"),
        ({"institution": "NOWHERE"}, "institution"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_logged(cast, world, changes, field):
    answer = call(bearer_client(cast.trainee), "post", "/training/entries", payload(cast, world, **changes))
    assert answer.status_code == 422
    assert field in [error["field"] for error in answer.json()["detail"]]
    assert not LogbookEntry.objects.exists()


def test_the_trainee_as_supervisor_is_refused(cast, world):
    answer = call(
        bearer_client(cast.trainee),
        "post",
        "/training/entries",
        payload(cast, world, supervisor=cast.trainee.pk),
    )
    assert answer.status_code == 422 and "own entry" in answer.json()["detail"][0]["message"]


def test_a_duplicate_dated_in_the_future_is_refused(cast, world):
    entry = logged(cast, world)
    tomorrow = (actions.local_today(cast.trainee) + timedelta(days=1)).isoformat()
    answer = call(
        bearer_client(cast.trainee),
        "post",
        f"/training/entries/{entry.pk}/duplicate",
        {"performed_on": tomorrow},
    )
    assert answer.status_code == 422 and LogbookEntry.objects.count() == 1


def test_the_supervisor_reads_the_queue_and_decides(cast, world):
    entry = logged(cast, world)
    supervisor = bearer_client(cast.neurosurgeon)
    assert [e["id"] for e in call(supervisor, "get", "/training/queue").json()] == [entry.pk]
    refused = call(supervisor, "post", f"/training/entries/{entry.pk}/validation", {"decision": "reject"})
    assert refused.status_code == 422 and LogbookEntry.objects.get().status == EntryStatus.PENDING
    done = call(supervisor, "post", f"/training/entries/{entry.pk}/validation", {"decision": "confirm"})
    assert done.status_code == 200 and done.json()["status"] == "confirmed"
    assert done.json()["validated_at"] and done.json()["time_to_validation_hours"] == 0.0
    again = call(supervisor, "post", f"/training/entries/{entry.pk}/validation", {"decision": "confirm"})
    assert again.status_code == 409
    assert call(supervisor, "get", "/training/queue").json() == []


def test_the_procedure_list_gives_standard_codes_only_where_known(cast):
    listed = {p["code"]: p for p in call(bearer_client(cast.trainee), "get", "/training/procedures").json()}
    assert listed["vp-shunt"]["icd9cm3"] == "02.34" and listed["vp-shunt"]["paediatric_bellwether"]
    assert listed["etv"]["icd9cm3"] == "" and all(p["icd10pcs"] == "" for p in listed.values())
    assert Procedure.objects.count() == len(listed) >= 12


def test_the_operations_are_in_the_openapi_description(cast):
    paths = call(bearer_client(cast.trainee), "get", "/openapi.json").json()["paths"]
    for path in [
        "/api/v1/training/entries",
        "/api/v1/training/entries/{entry_id}/duplicate",
        "/api/v1/training/entries/{entry_id}/validation",
        "/api/v1/training/queue",
    ]:
        assert path in paths

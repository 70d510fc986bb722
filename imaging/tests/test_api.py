"""The imaging endpoints of the JSON API: only the case's referring team may start a batch or
read what became of it; everyone else learns nothing, not even that the case exists."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client

from accounts.actions import create_api_token
from conftest import verified_device
from imaging.models import Upload, UploadBatch

OUTSIDERS = ("outsider", "outsider_coordinator", "consultant_china", "trainee", "researcher")


def token_client(user) -> Client:
    if user.requires_two_factor:
        verified_device(user)
    _token, raw = create_api_token(user, name="tests", valid_days=30)
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")


def test_the_referrer_starts_a_batch_and_is_told_where_to_send_the_files(cast, make_case):
    case = make_case(send=True)
    answer = token_client(cast.referrer).post(f"/api/v1/cases/{case.code}/upload-batches")
    assert answer.status_code == 201
    body = answer.json()
    assert body["upload_url"].endswith("/api/v1/uploads/")
    assert UploadBatch.objects.get(pk=body["id"]).case == case


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_no_one_outside_the_referring_team_may_start_a_batch(cast, make_case, persona):
    case = make_case(send=True)
    answer = token_client(getattr(cast, persona)).post(f"/api/v1/cases/{case.code}/upload-batches")
    assert answer.status_code == 404
    assert not UploadBatch.objects.exists()


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_no_one_outside_the_referring_team_may_read_a_batch(cast, make_case, persona):
    case = make_case(send=True)
    batch = UploadBatch.objects.create(case=case, user=cast.referrer)
    Upload.objects.create(batch=batch, name="PATIENT_NAME.zip", length=10)
    answer = token_client(getattr(cast, persona)).get(f"/api/v1/upload-batches/{batch.pk}")
    assert answer.status_code == 404
    assert "PATIENT_NAME" not in answer.content.decode()


def test_without_a_token_nothing_is_answered(cast, make_case):
    case = make_case(send=True)
    assert Client().post(f"/api/v1/cases/{case.code}/upload-batches").status_code == 401
    batch = UploadBatch.objects.create(case=case, user=cast.referrer)
    assert Client().get(f"/api/v1/upload-batches/{batch.pk}").status_code == 401


def test_a_guessed_batch_or_case_is_not_found(cast, make_case):
    client = token_client(cast.referrer)
    assert client.get(f"/api/v1/upload-batches/{uuid.uuid4()}").status_code == 404
    assert client.get("/api/v1/upload-batches/not-a-uuid").status_code in (404, 422)
    assert client.post("/api/v1/cases/ND-NOPE-0000/upload-batches").status_code == 404


def test_the_batch_says_what_became_of_each_file_in_the_users_language(cast, make_case):
    case = make_case(send=True)
    batch = UploadBatch.objects.create(case=case, user=cast.referrer)
    Upload.objects.create(
        batch=batch,
        name="cd.zip",
        length=10,
        offset=10,
        state=Upload.State.DONE,
        outcome={
            "stored": 3,
            "duplicates": 1,
            "skipped": [
                {"name": "../evil", "problem": "unsafe_path"},
                {"name": "DICOMDIR", "refusal": "directory"},
            ],
        },
    )
    cast.referrer.preferred_language = "sw"
    cast.referrer.save(update_fields=["preferred_language"])
    answer = token_client(cast.referrer).get(f"/api/v1/upload-batches/{batch.pk}")
    upload = answer.json()["uploads"][0]
    assert upload["stored"] == 3 and upload["duplicates"] == 1
    assert [s["name"] for s in upload["skipped"]] == ["../evil", "DICOMDIR"]
    assert upload["skipped"][0]["message"].startswith("Njia ya faili hili ndani ya zip")


def test_a_closed_case_takes_no_new_imaging(cast, make_case):
    from consultations.models import Case, Status

    case = make_case(send=True)
    Case.objects.filter(pk=case.pk).update(status=Status.CLOSED)
    answer = token_client(cast.referrer).post(f"/api/v1/cases/{case.code}/upload-batches")
    assert answer.status_code == 409 and not UploadBatch.objects.exists()

"""The certificates' JSON API: the same actions as the pages, with the same refusals as
{detail, code} answers, in the caller's language."""

from __future__ import annotations

import pytest

from neurodaraja.testing.api_clients import bearer_client, call
from training.certificates.models import Certificate
from training.certificates.tests.world import fresh_lookups, year_one
from training.tests.world import training_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    fresh_lookups()
    return training_world(cast)


def test_a_coordinator_certifies_a_stage_and_the_holder_lists_and_downloads_it(cast, world):
    coordinator = bearer_client(cast.coordinator)
    body = {"enrolment": world.enrolment.pk, "stage": world.first_year.pk}
    answer = call(coordinator, "post", "/training/certificates/milestones", body)
    assert answer.status_code == 201
    issued = answer.json()
    assert issued["title"] == "Completed Year 1 of the programme MMed Neurosurgery"
    assert issued["verification_url"].endswith(f"/verify/{issued['code']}/")
    holder = bearer_client(cast.trainee)
    assert [c["code"] for c in call(holder, "get", "/training/certificates").json()] == [issued["code"]]
    pdf = call(holder, "get", f"/training/certificates/{issued['code']}/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert [c["code"] for c in call(coordinator, "get", "/training/certificates/issued").json()] == [
        issued["code"]
    ]


def test_refusals_are_said_with_their_code(cast, world):
    coordinator = bearer_client(cast.coordinator)
    not_met = call(
        coordinator, "post", "/training/certificates/milestones", {"enrolment": world.enrolment.pk}
    )
    assert not_met.status_code == 409 and not_met.json()["code"] == "not_met"
    assert "0 of 3 validated" in not_met.json()["detail"]
    other_stage = call(
        coordinator,
        "post",
        "/training/certificates/milestones",
        {"enrolment": world.enrolment.pk, "stage": 999999},
    )
    assert other_stage.status_code == 422
    year_one(cast, world)
    twice = call(
        coordinator,
        "post",
        "/training/certificates/milestones",
        {"enrolment": world.enrolment.pk, "stage": world.first_year.pk},
    )
    assert twice.status_code == 409 and twice.json()["code"] == "duplicate"
    assert Certificate.objects.count() == 1


def test_revoking_through_the_api_needs_a_reason_and_happens_once(cast, world):
    certificate = year_one(cast, world)
    coordinator = bearer_client(cast.coordinator)
    path = f"/training/certificates/{certificate.shown_code}/revocation"
    assert call(coordinator, "post", path, {"reason": ""}).status_code == 422
    answer = call(coordinator, "post", path, {"reason": "Wrong stage."})
    assert answer.status_code == 200 and answer.json()["revoked_at"]
    again = call(coordinator, "post", path, {"reason": "Again."})
    assert again.status_code == 409 and again.json()["code"] == "already_revoked"
    check = call(
        bearer_client(cast.outsider), "get", f"/training/certificate-checks/{certificate.shown_code}"
    )
    assert check.json()["revoked"] is True and "reason" not in check.json()

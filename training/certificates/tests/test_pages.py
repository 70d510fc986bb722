"""The holder's and the coordinators' pages: the list with its downloads, issuing a milestone and
revoking, with the refusals said on the page and nothing changed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import actions as accounts
from neurodaraja.testing.pages import PAGE_BUDGET, compressed, static_size
from neurodaraja.testing.personas import sign_in
from training.certificates import actions
from training.certificates.models import Certificate
from training.certificates.tests.world import fresh_lookups, year_one
from training.tests.world import training_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    fresh_lookups()
    return training_world(cast)


def test_the_holder_lists_their_certificates_with_their_downloads(client, cast, world):
    certificate = year_one(cast, world)
    page = sign_in(client, cast.trainee).get("/training/certificates/").content.decode()
    assert "Completed Year 1 of the programme MMed Neurosurgery" in page
    assert f"/training/certificates/{certificate.shown_code}.pdf" in page
    assert f"/verify/{certificate.shown_code}/" in page
    assert "/revoke/" not in page


def test_someone_else_sees_none_of_them(client, cast, world):
    year_one(cast, world)
    page = sign_in(client, cast.outsider).get("/training/certificates/").content.decode()
    assert "Amani Kileo" not in page and ".pdf" not in page


def test_the_list_takes_the_same_queries_however_many_certificates(client, cast, world):
    sign_in(client, cast.coordinator)
    year_one(cast, world)
    with CaptureQueriesContext(connection) as one:
        client.get("/training/certificates/issued/")
    actions.revoke(cast.coordinator, Certificate.objects.get(), "Misspelt.")
    year_one(cast, world)  # issued again: two on the list
    with CaptureQueriesContext(connection) as two:
        assert client.get("/training/certificates/issued/").content.decode().count('.pdf"') == 2
    assert len(two) == len(one)


def test_a_coordinator_issues_a_milestone_from_the_page(client, cast, world):
    sign_in(client, cast.coordinator)
    response = client.post(
        "/training/certificates/milestone/", {"enrolment": world.enrolment.pk, "stage": world.first_year.pk}
    )
    assert response.status_code == 302 and response["Location"] == "/training/certificates/issued/"
    certificate = Certificate.objects.get()
    assert certificate.stage == world.first_year
    assert certificate.shown_code in client.get("/training/certificates/issued/").content.decode()


def test_a_milestone_not_reached_is_refused_on_the_page_in_the_readers_language(client, cast, world):
    accounts.update_profile(cast.coordinator, {"preferred_language": "sw"})
    sign_in(client, cast.coordinator)
    response = client.post(
        "/training/certificates/milestone/", {"enrolment": world.enrolment.pk, "stage": "programme"}
    )
    assert response.status_code == 200
    assert "bado hajatimiza masharti yote" in response.content.decode()
    assert 'value="programme"' not in response.content.decode()  # sent from a page left open: not offered
    assert not Certificate.objects.exists()


def test_issuing_twice_from_the_page_says_it_is_already_issued(client, cast, world):
    first = year_one(cast, world)
    sign_in(client, cast.coordinator)
    response = client.post(
        "/training/certificates/milestone/", {"enrolment": world.enrolment.pk, "stage": world.first_year.pk}
    )
    assert first.shown_code in response.content.decode() and "already holds" in response.content.decode()
    assert Certificate.objects.count() == 1


def test_a_coordinator_revokes_with_a_reason_from_the_page(client, cast, world):
    certificate = year_one(cast, world)
    sign_in(client, cast.coordinator)
    url = f"/training/certificates/{certificate.shown_code}/revoke/"
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200 and "This field is required" in empty.content.decode()
    assert client.post(url, {"reason": "Issued by mistake."}).status_code == 302
    certificate.refresh_from_db()
    assert certificate.is_revoked and certificate.revoked_reason == "Issued by mistake."
    again = client.get(url).content.decode()
    assert "already been revoked" in again
    twice = client.post(url, {"reason": "Again."}).content.decode()
    assert "already been revoked" in twice
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "Issued by mistake."
    holder = sign_in(client, cast.trainee).get("/training/certificates/").content.decode()
    assert "Revoked" in holder and "Issued by mistake." in holder


def test_each_page_stays_under_the_page_budget(client, cast, world):
    certificate = year_one(cast, world)
    sign_in(client, cast.coordinator)
    for url in [
        "/training/certificates/",
        "/training/certificates/issued/",
        "/training/certificates/milestone/",
        f"/training/certificates/{certificate.shown_code}/revoke/",
        f"/verify/{certificate.shown_code}/",
        "/verify/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert compressed(response.content) + static_size() < PAGE_BUDGET, url

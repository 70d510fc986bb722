"""Coordinators and administrators browse and filter the audit trail, each within their scope."""

from __future__ import annotations

from accounts import actions
from accounts import audit_actions as acts
from core.audit import record


def test_the_coordinator_sees_their_institutions_and_their_people_only(cast, as_user):
    record(acts.SIGNED_IN, actor=cast.referrer, target=cast.referrer)  # SRRH person
    record(acts.SIGNED_IN, actor=cast.outsider, target=cast.outsider)  # KCMC person
    actions.invite_person(
        cast.outsider_coordinator,
        institution=cast.institutions["KCMC"],
        email="kcmc.new@example.test",
        roles=["referrer"],
        language="sw",
    )
    page = as_user(cast.coordinator).get("/audit/").content.decode()
    assert "referrer@example.test" in page
    assert "outsider@example.test" not in page
    assert "kcmc.coord@example.test" not in page


def test_the_administrator_sees_everything(cast, as_user):
    record(acts.SIGNED_IN, actor=cast.outsider, target=cast.outsider)
    page = as_user(cast.admin).get("/audit/").content.decode()
    assert "outsider@example.test" in page and "admin@example.test" in page


def test_filters_by_action_person_and_dates(cast, as_user):
    record(acts.SIGNED_IN, actor=cast.referrer, target=cast.referrer)
    client = as_user(cast.admin)
    page = client.get("/audit/", {"action": "accounts.signed_in"}).content.decode()
    assert "referrer@example.test" in page and "<td>Role given</td>" not in page
    page = client.get("/audit/", {"actor": "referrer@"}).content.decode()
    assert "<td>Signed in</td>" in page and "<td>Role given</td>" not in page
    page = client.get("/audit/", {"actor": "nobody-here@"}).content.decode()
    assert "No entries match" in page
    page = client.get("/audit/", {"date_from": "2000-01-01", "date_to": "2000-01-02"}).content.decode()
    assert "No entries match" in page


def test_impossible_filters_are_explained(cast, as_user):
    response = as_user(cast.admin).get("/audit/", {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert "The end date is before the start date" in response.content.decode()
    response = as_user(cast.admin).get("/audit/", {"date_from": "not-a-date"})
    assert response.status_code == 200
    assert "No entries match" in response.content.decode()


def test_the_list_is_paged_with_a_fixed_number_of_queries(cast, as_user, django_assert_max_num_queries):
    client = as_user(cast.admin)
    for _ in range(60):
        record(acts.SIGNED_IN, actor=cast.referrer, target=cast.referrer)
    with django_assert_max_num_queries(12):
        response = client.get("/audit/")
    assert "Page 1 of" in response.content.decode()
    assert client.get("/audit/", {"page": "2"}).status_code == 200
    assert client.get("/audit/", {"page": "9999"}).status_code == 200

"""Coordinators manage the people of their own institutions: roles, deactivation."""

from __future__ import annotations

import pytest

from accounts import actions
from accounts.models import Membership, Role
from core.errors import ActionError
from core.models import AuditEntry


def test_the_people_list_shows_only_my_institutions(cast, as_user):
    page = as_user(cast.coordinator).get("/people/").content.decode()
    assert "Neema Mwakalinga" in page  # SRRH
    assert "Amani Kileo" in page  # MOI
    assert "Said Hamisi" not in page  # KCMC, another hospital
    assert "Li Wen" not in page


def test_the_people_list_filters_by_role_and_name(cast, as_user):
    client = as_user(cast.coordinator)
    page = client.get("/people/", {"role": "trainee"}).content.decode()
    assert "Amani Kileo" in page and "Neema Mwakalinga" not in page
    page = client.get("/people/", {"q": "neema"}).content.decode()
    assert "Neema Mwakalinga" in page and "Amani Kileo" not in page


def test_the_people_list_query_count_does_not_grow_with_people(cast, as_user, django_assert_max_num_queries):
    client = as_user(cast.admin)
    with django_assert_max_num_queries(12):
        client.get("/people/")
    for number in range(15):
        person = actions.create_person(
            email=f"p{number}@example.test", full_name=f"P {number}", password=None
        )
        actions.add_role(cast.admin, person, cast.institutions["MOI"], Role.TRAINEE)
    with django_assert_max_num_queries(12):
        client.get("/people/")


def test_a_role_is_given_and_audited(cast, as_user):
    client = as_user(cast.coordinator)
    response = client.post(
        f"/people/{cast.trainee.pk}/", {"institution": cast.institutions["SRRH"].pk, "role": "referrer"}
    )
    assert response.status_code == 302
    assert Membership.objects.filter(
        user=cast.trainee, institution__short_code="SRRH", role="referrer"
    ).exists()
    entry = AuditEntry.objects.filter(action="accounts.role_added").latest("id")
    assert entry.actor == cast.coordinator and entry.detail == {"role": "referrer"}
    assert entry.institution.short_code == "SRRH"


def test_giving_the_same_role_twice_says_so(cast, as_user):
    client = as_user(cast.coordinator)
    response = client.post(
        f"/people/{cast.trainee.pk}/", {"institution": cast.institutions["MOI"].pk, "role": "trainee"}
    )
    assert response.status_code == 400
    assert "already has that role" in response.content.decode()


def test_a_role_at_another_hospital_cannot_be_given(cast, as_user):
    client = as_user(cast.coordinator)
    response = client.post(
        f"/people/{cast.trainee.pk}/", {"institution": cast.institutions["KCMC"].pk, "role": "referrer"}
    )
    assert response.status_code == 400
    assert not Membership.objects.filter(user=cast.trainee, institution__short_code="KCMC").exists()


def test_a_coordinator_cannot_make_an_administrator(cast, as_user):
    client = as_user(cast.coordinator)
    response = client.post(
        f"/people/{cast.trainee.pk}/", {"institution": cast.institutions["MOI"].pk, "role": "administrator"}
    )
    assert response.status_code == 400
    assert not cast.trainee.memberships.filter(role="administrator").exists()


def test_a_role_is_removed_and_audited(cast, as_user):
    membership = cast.trainee.memberships.get()
    response = as_user(cast.coordinator).post(f"/people/roles/{membership.pk}/remove/")
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEntry.objects.filter(action="accounts.role_removed", detail__role="trainee").exists()


def test_the_last_administrator_keeps_the_role(cast):
    membership = cast.admin.memberships.get(role=Role.ADMINISTRATOR)
    with pytest.raises(ActionError, match="last administrator"):
        actions.remove_role(cast.admin, membership)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_deactivation_signs_the_person_out_revokes_tokens_and_is_audited(cast, as_user):
    token, _raw = actions.create_api_token(cast.referrer, name="phone", valid_days=None)
    response = as_user(cast.coordinator).post(f"/people/{cast.referrer.pk}/active/", {"active": "false"})
    assert response.status_code == 302
    cast.referrer.refresh_from_db()
    token.refresh_from_db()
    assert not cast.referrer.is_active and token.revoked_at is not None
    assert AuditEntry.objects.filter(action="accounts.deactivated", object_id=str(cast.referrer.pk)).exists()


def test_reactivation(cast, as_user):
    actions.deactivate_person(cast.coordinator, cast.referrer)
    as_user(cast.coordinator).post(f"/people/{cast.referrer.pk}/active/", {"active": "true"})
    cast.referrer.refresh_from_db()
    assert cast.referrer.is_active


def test_nobody_deactivates_themselves(cast):
    with pytest.raises(ActionError, match="your own account"):
        actions.deactivate_person(cast.coordinator, cast.coordinator)


def test_a_person_who_also_works_elsewhere_needs_an_administrator(cast):
    actions.add_role(cast.admin, cast.referrer, cast.institutions["KCMC"], Role.REFERRER)
    with pytest.raises(ActionError, match="ask an administrator"):
        actions.deactivate_person(cast.coordinator, cast.referrer)
    actions.deactivate_person(cast.admin, cast.referrer)
    cast.referrer.refresh_from_db()
    assert not cast.referrer.is_active


def test_the_invitations_page_lists_open_invitations_of_my_institutions(cast, as_user):
    actions.invite_person(
        cast.coordinator,
        institution=cast.institutions["SRRH"],
        email="a@example.test",
        roles=["referrer"],
        language="sw",
    )
    actions.invite_person(
        cast.outsider_coordinator,
        institution=cast.institutions["KCMC"],
        email="b@example.test",
        roles=["referrer"],
        language="sw",
    )
    page = as_user(cast.coordinator).get("/people/invitations/").content.decode()
    assert "a@example.test" in page and "b@example.test" not in page

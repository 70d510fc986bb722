"""Paths found in review: each was a way around a rule; each stays closed."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import actions
from accounts.models import Invitation, Membership, Role
from core.errors import ActionError
from core.models import AuditEntry
from neurodaraja.testing.personas import verified_device
from neurodaraja.testing.sign_in import code_for, post_password


def test_a_session_that_never_proved_the_authenticator_cannot_replace_it(cast):
    device = None
    for url in ["/accounts/security/two-factor/", "/", "/accounts/security/recovery-codes/"]:
        # A consultant signs in on a ward computer before having an authenticator…
        ward_computer = Client()
        ward_computer.force_login(cast.neurosurgeon)  # password only: no authenticator yet
        # …then sets one up elsewhere.
        device = device or verified_device(cast.neurosurgeon)
        response = ward_computer.get(url)
        assert response.status_code == 302 and response["Location"] == "/accounts/login/", url
        assert ward_computer.get("/")["Location"].startswith("/accounts/login/")  # signed out
    assert TOTPDevice.objects.filter(user=cast.neurosurgeon).get() == device


def test_an_unverified_session_cannot_turn_off_optional_two_factor(cast, client):
    client.force_login(cast.trainee)  # signed in before the authenticator existed
    device = actions.start_totp_enrolment(cast.trainee)
    actions.confirm_totp_enrolment(cast.trainee, device, code_for(device))
    response = client.post("/accounts/security/two-factor/remove/", follow=True)
    assert "sign in again" in response.content.decode()
    assert actions.has_second_factor(cast.trainee)


@override_settings(AXES_FAILURE_LIMIT=3)
def test_changing_the_case_of_the_address_does_not_escape_the_lockout(cast, client):
    for email in ["referrer@example.test", "REFERRER@example.test", "Referrer@Example.Test "]:
        post_password(client, email, "wrong")
    assert post_password(client, "rEfErReR@example.test").status_code == 429


def test_an_api_token_stops_working_when_its_owner_needs_a_second_factor(cast):
    _token, raw = actions.create_api_token(cast.trainee, name="script", valid_days=None)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/me").status_code == 200
    actions.add_role(cast.admin, cast.trainee, cast.institutions["MOI"], Role.COORDINATOR)
    assert client.get("/api/v1/memberships").status_code == 401
    verified_device(cast.trainee)
    assert client.get("/api/v1/memberships").status_code == 200


def test_coordinators_see_only_their_institutions_entries(cast, as_user):
    # A person who works at SRRH and KCMC: what they did at SRRH is not KCMC's business.
    actions.add_role(cast.admin, cast.coordinator, cast.institutions["KCMC"], Role.REFERRER)
    actions.invite_person(
        cast.coordinator,
        institution=cast.institutions["SRRH"],
        email="x@example.test",
        roles=["referrer"],
        language="sw",
    )
    page = as_user(cast.outsider_coordinator).get("/audit/", {"action": "accounts.invited"}).content.decode()
    assert "No entries match" in page


def test_a_coordinator_cannot_give_or_remove_their_own_roles(cast, as_user):
    with pytest.raises(ActionError, match="your own roles"):
        actions.add_role(cast.coordinator, cast.coordinator, cast.institutions["MOI"], Role.CONSULTANT)
    with pytest.raises(ActionError, match="your own roles"):
        actions.remove_role(
            cast.coordinator, cast.coordinator.memberships.get(institution__short_code="SRRH")
        )
    response = as_user(cast.coordinator).post(
        f"/people/{cast.coordinator.pk}/", {"institution": cast.institutions["MOI"].pk, "role": "consultant"}
    )
    assert response.status_code == 400
    assert not cast.coordinator.memberships.filter(role=Role.CONSULTANT).exists()


def test_a_person_page_shows_only_roles_at_my_institutions(cast, as_user):
    actions.add_role(cast.admin, cast.referrer, cast.institutions["KCMC"], Role.REFERRER)
    page = as_user(cast.coordinator).get(f"/people/{cast.referrer.pk}/").content.decode()
    assert "Sekou Toure" in page and "Kilimanjaro" not in page


def test_an_invitation_dies_with_its_senders_rights(cast, client):
    invitation, raw = actions.invite_person(
        cast.coordinator,
        institution=cast.institutions["SRRH"],
        email="new@example.test",
        roles=["referrer"],
        language="sw",
    )
    actions.remove_role(cast.admin, cast.coordinator.memberships.get(institution__short_code="SRRH"))
    response = client.get(f"/accounts/invitation/{raw}/")
    assert response.status_code == 410
    assert "no longer valid" in response.content.decode()
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is None


def test_the_last_active_administrator_cannot_be_deactivated(cast):
    second = actions.create_person(email="it2@example.test", full_name="IT Two", password=None)
    actions.add_role(cast.admin, second, cast.institutions["MOI"], Role.ADMINISTRATOR)
    actions.deactivate_person(second, cast.admin)  # one of two: allowed
    root = actions.create_person(email="root@example.test", full_name="Root", password=None)
    root.is_superuser = True
    root.save()
    with pytest.raises(ActionError, match="last administrator"):
        actions.deactivate_person(root, second)
    second.refresh_from_db()
    assert second.is_active


def test_people_filters_apply_to_the_same_membership(cast, as_user):
    # The trainee is a trainee at MOI and (now) a referrer at SRRH: "referrer at MOI" finds nobody.
    actions.add_role(cast.admin, cast.trainee, cast.institutions["SRRH"], Role.REFERRER)
    page = (
        as_user(cast.coordinator)
        .get("/people/", {"institution": cast.institutions["MOI"].pk, "role": "referrer"})
        .content.decode()
    )
    assert "Amani Kileo" not in page


def test_the_admin_never_shows_authenticator_secrets_and_audits_device_removal(cast, as_user):
    device = verified_device(cast.referrer)
    client = as_user(cast.admin)
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in page
    response = client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="admin.deleted", object_type="otp_totp.totpdevice").exists()


def test_roles_cannot_be_changed_behind_the_rules_in_the_admin(cast, as_user):
    page = as_user(cast.admin).get(f"/admin/accounts/user/{cast.referrer.pk}/change/").content.decode()
    assert "memberships-0-role" not in page  # shown read-only, changed on the People pages
    assert Membership.objects.filter(user=cast.referrer).count() == 1


def test_api_refuses_blank_names_and_consultant_fields_for_others(cast):
    _token, raw = actions.create_api_token(cast.referrer, name="x", valid_days=None)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = client.patch("/api/v1/me", data='{"full_name": "   "}', content_type="application/json")
    assert response.status_code == 422
    response = client.patch(
        "/api/v1/me", data='{"languages_spoken": ["en"]}', content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "languages_spoken"
    cast.referrer.refresh_from_db()
    assert cast.referrer.full_name == "Neema Mwakalinga" and cast.referrer.languages_spoken == []


def test_plain_text_emails_are_not_html_escaped(cast, mailoutbox):
    cast.institutions["SRRH"].name = "St. Mary's & Sekou Toure"
    cast.institutions["SRRH"].save()
    actions.invite_person(
        cast.coordinator,
        institution=cast.institutions["SRRH"],
        email="x@example.test",
        roles=["referrer"],
        language="en",
    )
    (message,) = mailoutbox
    assert "St. Mary's & Sekou Toure" in message.subject and "St. Mary's & Sekou Toure" in message.body
    assert "&amp;" in message.alternatives[0][0]  # the HTML part is still escaped

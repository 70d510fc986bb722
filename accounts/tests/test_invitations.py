"""Coordinators invite people by e-mail; the one-time link creates the account."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from accounts import actions
from accounts.models import Invitation, Membership, Role, User
from core.errors import ActionError
from core.models import AuditEntry
from neurodaraja.testing.personas import PASSWORD

NEW_PASSWORD = "Mwanza-neuro-2026"


def invite(cast, email="amina@example.test", roles=("referrer",), code="SRRH", language="sw"):
    mail.outbox.clear()
    invitation, raw = actions.invite_person(
        cast.coordinator, institution=cast.institutions[code], email=email, roles=roles, language=language
    )
    return invitation, f"/accounts/invitation/{raw}/"


def accept(client, link, **fields):
    data = {
        "full_name": "Dr Amina Said",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "preferred_language": "sw",
        "time_zone": "Africa/Dar_es_Salaam",
        "phone": "0754 123 456",
        **fields,
    }
    return client.post(link, data)


def test_the_coordinator_invites_from_the_people_page(cast, as_user):
    client = as_user(cast.coordinator)
    mail.outbox.clear()
    response = client.post(
        "/people/invite/",
        {
            "email": "Amina@Example.test",
            "full_name": "Dr Amina Said",
            "institution": cast.institutions["SRRH"].pk,
            "roles": ["referrer"],
            "language": "sw",
        },
    )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="amina@example.test")
    assert invitation.roles == ["referrer"]
    assert AuditEntry.objects.filter(action="accounts.invited", object_id=str(invitation.pk)).exists()
    (message,) = mail.outbox
    assert message.to == ["amina@example.test"]
    assert "/accounts/invitation/inv_" in message.body
    assert message.alternatives and "/accounts/invitation/inv_" in message.alternatives[0][0]


def test_the_invitation_email_is_in_the_invitees_language(cast):
    invite(cast, email="english@example.test", language="en")
    (english,) = mail.outbox
    invite(cast, email="chinese@example.test", language="zh-hans")
    (chinese,) = mail.outbox
    invite(cast, email="swahili@example.test", language="sw")
    (swahili,) = mail.outbox
    assert "Invitation to join" in english.subject
    assert re.search(r"[\u4e00-\u9fff]", chinese.subject) and re.search(r"[\u4e00-\u9fff]", chinese.body)
    assert swahili.subject != english.subject and "Invitation" not in swahili.body


def test_the_link_creates_the_account_with_its_roles_and_signs_in(cast, client):
    invitation, link = invite(cast)
    assert client.get(link).status_code == 200
    response = accept(client, link)
    assert response.status_code == 302 and response["Location"] == "/"
    person = User.objects.get(email="amina@example.test")
    assert person.full_name == "Dr Amina Said"
    assert person.phone == "+255754123456"  # typed the local way, stored internationally
    assert person.check_password(NEW_PASSWORD)
    assert list(person.memberships.values_list("institution__short_code", "role")) == [("SRRH", "referrer")]
    assert client.get("/").status_code == 200
    invitation.refresh_from_db()
    assert invitation.accepted_by == person


def test_a_consultant_goes_straight_to_two_factor_setup(cast, client):
    _invitation, link = invite(cast, roles=["consultant"], code="MOI")
    response = accept(client, link)
    assert response["Location"] == "/accounts/security/two-factor/"


def test_a_used_link_is_refused(cast, client):
    _invitation, link = invite(cast)
    accept(client, link)
    response = accept(Client(), link, full_name="Someone Else")
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert User.objects.filter(email="amina@example.test").count() == 1


def test_an_expired_link_is_refused(cast, client):
    invitation, link = invite(cast)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(link)
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert accept(client, link).status_code == 410
    assert not User.objects.filter(email="amina@example.test").exists()


def test_a_withdrawn_link_is_refused(cast, client):
    invitation, link = invite(cast)
    actions.withdraw_invitation(cast.coordinator, invitation)
    assert client.get(link).status_code == 410


def test_a_new_invitation_replaces_the_open_one(cast, client):
    _first, first_link = invite(cast)
    _second, second_link = invite(cast)
    assert client.get(first_link).status_code == 410
    assert client.get(second_link).status_code == 200


def test_a_forged_link_is_not_found(cast, client):
    invite(cast)
    assert client.get("/accounts/invitation/inv_guessed-token/").status_code == 404


def test_a_weak_or_mismatched_password_keeps_what_was_typed(cast, client):
    _invitation, link = invite(cast)
    response = accept(client, link, password1="12345678", password2="12345678")
    assert response.status_code == 400
    assert "Dr Amina Said" in response.content.decode()  # nothing typed is lost
    response = accept(client, link, password2="something-else-2026")
    assert "do not match" in response.content.decode()
    response = accept(client, link, phone="12")
    assert "valid phone number" in response.content.decode()
    assert not User.objects.filter(email="amina@example.test").exists()


def test_someone_with_an_account_signs_in_first_and_gains_the_roles(cast, client):
    _invitation, link = invite(cast, email="trainee@example.test", roles=["referrer"])
    assert "Sign in" in client.get(link).content.decode()
    client.post("/accounts/login/", {"username": "trainee@example.test", "password": PASSWORD})
    response = client.post(link)
    assert response.status_code == 302
    assert Membership.objects.filter(user=cast.trainee, role=Role.REFERRER).exists()


def test_a_link_opened_while_signed_in_as_someone_else_is_refused(cast, as_user):
    _invitation, link = invite(cast)
    client = as_user(cast.referrer)
    response = client.post(link)
    assert response.status_code == 409
    assert not User.objects.filter(email="amina@example.test").exists()


def test_inviting_to_another_hospital_is_refused(cast, as_user):
    client = as_user(cast.coordinator)
    response = client.post(
        "/people/invite/",
        {
            "email": "x@example.test",
            "institution": cast.institutions["KCMC"].pk,
            "roles": ["referrer"],
            "language": "en",
        },
    )
    assert response.status_code == 400
    assert not Invitation.objects.filter(email="x@example.test").exists()
    with pytest.raises(PermissionDenied):
        actions.invite_person(
            cast.coordinator,
            institution=cast.institutions["KCMC"],
            email="x@example.test",
            roles=["referrer"],
            language="en",
        )


def test_only_an_administrator_invites_an_administrator(cast):
    with pytest.raises(ActionError) as refused:
        invite(cast, roles=["administrator"])
    assert refused.value.code == "administrator_only"
    invitation, _raw = actions.invite_person(
        cast.admin,
        institution=cast.institutions["MOI"],
        email="it@example.test",
        roles=["administrator"],
        language="en",
    )
    assert invitation.roles == ["administrator"]


def test_inviting_someone_who_already_has_the_roles_says_so(cast):
    with pytest.raises(ActionError, match="already holds these roles"):
        invite(cast, email="referrer@example.test", roles=["referrer"])


def test_an_invitation_without_roles_is_refused(cast, as_user):
    client = as_user(cast.coordinator)
    response = client.post(
        "/people/invite/",
        {"email": "x@example.test", "institution": cast.institutions["SRRH"].pk, "language": "en"},
    )
    assert response.status_code == 400
    assert re.search(r"This field is required", response.content.decode())

"""Signing in: password, second factor, lockout, deactivated accounts, and the audit of each."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from accounts import actions
from core.models import AuditEntry
from neurodaraja.testing.personas import verified_device
from neurodaraja.testing.sign_in import code_for, post_password


def test_a_referrer_signs_in_with_a_password_and_it_is_audited(cast, client):
    response = post_password(client, "REFERRER@example.test")
    assert response.status_code == 302 and response["Location"] == "/"
    entry = AuditEntry.objects.filter(action="accounts.signed_in").latest("id")
    assert entry.actor == cast.referrer
    assert entry.ip_address == "127.0.0.1"
    assert client.get("/").status_code == 200


def test_a_wrong_password_is_refused_clearly_and_audited(cast, client):
    response = post_password(client, "referrer@example.test", "wrong-password")
    assert response.status_code == 400
    assert "The e-mail address or password is not right" in response.content.decode()
    entry = AuditEntry.objects.filter(action="accounts.sign_in_failed").latest("id")
    assert entry.actor == cast.referrer
    assert entry.detail == {"known_account": True}


def test_a_failed_sign_in_for_an_unknown_address_stores_no_address(cast, client):
    post_password(client, "typo-or-password@example.test", "whatever")
    entry = AuditEntry.objects.filter(action="accounts.sign_in_failed").latest("id")
    assert entry.actor is None
    assert "typo-or-password" not in str(entry.detail) and entry.actor_label == ""


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("sw", "Anwani ya barua pepe au nenosiri si sahihi."),
        ("zh-hans", "电子邮箱或密码不正确，请重试。"),
    ],
)
def test_the_message_is_translated(cast, client, language, message):
    client.cookies["django_language"] = language
    response = post_password(client, "referrer@example.test", "wrong-password")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_deactivated_account_is_told_so_only_with_the_right_password(cast, client):
    actions.deactivate_person(cast.coordinator, cast.referrer)
    response = post_password(client, "referrer@example.test")
    assert response.status_code == 400
    assert "deactivated" in response.content.decode()
    response = post_password(client, "referrer@example.test", "wrong-password")
    assert "deactivated" not in response.content.decode()


def test_a_deactivated_person_is_signed_out_of_open_sessions(cast, as_user):
    client = as_user(cast.referrer)
    assert client.get("/").status_code == 200
    actions.deactivate_person(cast.coordinator, cast.referrer)
    assert client.get("/").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_from_that_address(cast, client):
    for _ in range(2):
        assert post_password(client, "referrer@example.test", "wrong").status_code == 400
    response = post_password(client, "referrer@example.test", "wrong")
    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    # Even the right password is refused until the pause ends.
    assert post_password(client, "referrer@example.test").status_code == 429
    assert AuditEntry.objects.filter(action="accounts.locked_out", actor=cast.referrer).exists()
    # A colleague behind the same hospital address is not locked out.
    assert post_password(Client(), "trainee@example.test").status_code == 302


def test_the_next_address_must_be_on_this_site(cast, client):
    response = post_password(client, "referrer@example.test", next="https://evil.example/")
    assert response["Location"] == "/"
    response = post_password(Client(), "trainee@example.test", next="/institutions/")
    assert response["Location"] == "/institutions/"


def test_a_person_with_an_authenticator_gives_a_code_before_being_signed_in(cast, client):
    device = verified_device(cast.neurosurgeon)
    response = post_password(client, "neuro@example.test")
    assert response["Location"] == "/accounts/login/verify/"
    # Not signed in yet: the home page still asks for sign-in.
    assert client.get("/")["Location"].startswith("/accounts/login/")
    response = client.post("/accounts/login/verify/", {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_wrong_code_is_refused_and_audited(cast, client):
    verified_device(cast.neurosurgeon)
    post_password(client, "neuro@example.test")
    response = client.post("/accounts/login/verify/", {"code": "000000"})
    assert response.status_code == 400
    assert "That code is not right" in response.content.decode()
    assert AuditEntry.objects.filter(action="accounts.second_factor_failed", actor=cast.neurosurgeon).exists()
    assert client.get("/").status_code == 302


def test_a_recovery_code_signs_in_once(cast, client):
    device = actions.start_totp_enrolment(cast.neurosurgeon)
    codes = actions.confirm_totp_enrolment(cast.neurosurgeon, device, code_for(device))
    post_password(client, "neuro@example.test")
    response = client.post("/accounts/login/verify/", {"code": codes[0].upper()})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="accounts.recovery_code_used").exists()
    second = Client()
    post_password(second, "neuro@example.test")
    assert second.post("/accounts/login/verify/", {"code": codes[0]}).status_code == 400


def test_the_second_step_expires(cast, client, monkeypatch):
    verified_device(cast.neurosurgeon)
    post_password(client, "neuro@example.test")
    session = client.session
    session["pending_second_factor"]["since"] -= 3600
    session.save()
    response = client.get("/accounts/login/verify/")
    assert response["Location"] == "/accounts/login/"


def test_the_second_step_without_a_password_goes_back_to_sign_in(client):
    assert client.get("/accounts/login/verify/")["Location"] == "/accounts/login/"


@pytest.mark.parametrize("persona", ["neurosurgeon", "coordinator", "admin", "consultant_china"])
def test_roles_that_need_a_second_factor_must_set_it_up_first(cast, client, persona):
    user = getattr(cast, persona)
    response = post_password(client, user.email)
    assert response["Location"] == "/accounts/security/two-factor/"
    for url in ["/", "/people/", "/accounts/profile/", "/admin/"]:
        assert client.get(url)["Location"] == "/accounts/security/two-factor/", url
    assert client.get("/accounts/security/two-factor/").status_code == 200


def test_a_role_given_during_a_session_requires_the_second_factor_at_once(cast, as_user):
    client = as_user(cast.trainee)
    actions.add_role(cast.coordinator, cast.trainee, cast.institutions["MOI"], "consultant")
    assert client.get("/")["Location"] == "/accounts/security/two-factor/"


def test_sign_out_is_audited(cast, as_user):
    client = as_user(cast.referrer)
    response = client.post("/accounts/logout/")
    assert response["Location"] == "/accounts/login/"
    assert AuditEntry.objects.filter(action="accounts.signed_out", actor=cast.referrer).exists()
    assert client.get("/").status_code == 302


def test_demo_accounts_show_their_code_only_in_demo_mode(client, settings, db):
    from accounts.demo import DEMO_PASSWORD, current_demo_code, load_demo

    load_demo()
    email = "neurosurgeon@demo.neurodaraja.test"
    post_password(client, email, DEMO_PASSWORD)
    settings.DEMO_MODE = False
    assert current_demo_code(email) not in client.get("/accounts/login/verify/").content.decode()
    settings.DEMO_MODE = True
    page = client.get("/accounts/login/verify/").content.decode()
    assert current_demo_code(email) in page
    assert client.post("/accounts/login/verify/", {"code": current_demo_code(email)}).status_code == 302

"""Setting up, using and removing two-factor sign-in, from a phone."""

from __future__ import annotations

from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import actions
from core.models import AuditEntry
from neurodaraja.testing.sign_in import code_for, post_password


def test_setup_page_works_on_a_phone_without_a_camera(cast, client):
    post_password(client, "neuro@example.test")
    page = client.get("/accounts/security/two-factor/").content.decode()
    device = TOTPDevice.objects.get(user=cast.neurosurgeon, confirmed=False)
    assert 'href="otpauth://totp/' in page  # opens the authenticator app on the same phone
    assert "<svg" in page  # the picture to scan from a computer screen
    assert device.config_url.split("secret=")[1][:4] in page  # the key to type by hand
    # Reloading keeps the same key, so a half-finished set-up is not lost.
    client.get("/accounts/security/two-factor/")
    assert TOTPDevice.objects.filter(user=cast.neurosurgeon).count() == 1


def test_confirming_with_the_app_code_turns_it_on_and_shows_recovery_codes(cast, client):
    post_password(client, "neuro@example.test")
    client.get("/accounts/security/two-factor/")
    device = TOTPDevice.objects.get(user=cast.neurosurgeon)
    response = client.post("/accounts/security/two-factor/", {"code": code_for(device)})
    assert response.status_code == 200
    codes = list(StaticToken.objects.filter(device__user=cast.neurosurgeon).values_list("token", flat=True))
    assert len(codes) == 10
    assert all(code in response.content.decode() for code in codes)
    assert client.get("/").status_code == 200  # the session is now verified
    assert AuditEntry.objects.filter(action="accounts.two_factor_enabled", actor=cast.neurosurgeon).exists()


def test_a_wrong_confirmation_code_keeps_it_off(cast, client):
    post_password(client, "neuro@example.test")
    client.get("/accounts/security/two-factor/")
    response = client.post("/accounts/security/two-factor/", {"code": "123"})
    assert response.status_code == 400
    assert not actions.has_second_factor(cast.neurosurgeon)
    assert client.get("/")["Location"] == "/accounts/security/two-factor/"


def test_recovery_codes_can_be_renewed_and_old_ones_stop_working(cast, as_user):
    device = actions.start_totp_enrolment(cast.trainee)
    old = actions.confirm_totp_enrolment(cast.trainee, device, code_for(device))
    client = as_user(cast.trainee)
    response = client.post("/accounts/security/recovery-codes/")
    new = list(StaticToken.objects.filter(device__user=cast.trainee).values_list("token", flat=True))
    assert set(new).isdisjoint(old)
    assert all(code in response.content.decode() for code in new)


def test_required_two_factor_cannot_be_turned_off(cast, as_user):
    client = as_user(cast.coordinator)
    response = client.post("/accounts/security/two-factor/remove/", follow=True)
    assert "cannot be turned off" in response.content.decode()
    assert actions.has_second_factor(cast.coordinator)


def test_optional_two_factor_can_be_turned_off(cast, as_user):
    device = actions.start_totp_enrolment(cast.trainee)
    actions.confirm_totp_enrolment(cast.trainee, device, code_for(device))
    client = as_user(cast.trainee)
    client.post("/accounts/security/two-factor/remove/")
    assert not actions.has_second_factor(cast.trainee)
    assert AuditEntry.objects.filter(action="accounts.two_factor_disabled", actor=cast.trainee).exists()


def test_renewing_codes_without_two_factor_says_what_to_do(cast, as_user):
    client = as_user(cast.trainee)
    response = client.post("/accounts/security/recovery-codes/", follow=True)
    assert "Set up two-factor sign-in first" in response.content.decode()

"""Creating an API token asks for the password again (or a fresh second-factor code), so a stolen
session cookie is not enough to mint a token that outlives the session (issue 10)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import actions
from accounts.models import ApiToken
from core.errors import ActionError
from core.models import AuditEntry
from neurodaraja.testing.personas import PASSWORD
from neurodaraja.testing.sign_in import code_for, post_password

TOKENS = "/accounts/tokens/"


def new_token(client: Client, **fields: str):
    return client.post(TOKENS, {"name": "Phone app", "valid_days": "30", **fields})


def stolen(client: Client) -> Client:
    """Someone else's browser holding a copy of the signed-in session cookie."""
    thief = Client()
    thief.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return thief


def test_a_stolen_session_without_the_password_creates_no_token(cast, as_user):
    thief = stolen(as_user(cast.referrer))
    assert thief.get(TOKENS).status_code == 200  # the session itself works

    response = new_token(thief)

    assert response.status_code == 400
    assert "Type your password to create a token." in response.content.decode()
    assert response.context["new_token"] is None
    assert not ApiToken.objects.exists()
    assert not AuditEntry.objects.filter(action="accounts.api_token_created").exists()


def test_with_the_password_the_token_is_created(cast, as_user):
    response = new_token(as_user(cast.referrer), password=PASSWORD)

    assert response.status_code == 200
    token = ApiToken.objects.get(user=cast.referrer)
    raw = response.context["new_token"]
    assert raw.startswith("nd_") and raw in response.content.decode()
    assert PASSWORD not in response.content.decode()  # the password is not sent back
    assert AuditEntry.objects.filter(action="accounts.api_token_created", object_id=str(token.pk)).exists()


def test_a_wrong_password_is_refused_plainly_and_audited(cast, as_user):
    response = new_token(stolen(as_user(cast.referrer)), password="my-best-guess")

    assert response.status_code == 400
    assert "That password is not right, so no token was created." in response.content.decode()
    assert response.context["form"]["name"].value() == "Phone app"  # what was typed stays
    assert not ApiToken.objects.exists()
    failed = AuditEntry.objects.filter(action="accounts.sign_in_failed", actor=cast.referrer)
    assert failed.count() == 1
    assert failed.get().detail == {"known_account": True, "purpose": "api_token"}


@override_settings(AXES_FAILURE_LIMIT=3)
def test_wrong_passwords_are_throttled_like_sign_in(cast, as_user):
    thief = stolen(as_user(cast.referrer))
    for _ in range(2):
        assert new_token(thief, password="guess").status_code == 400
    assert new_token(thief, password="guess").status_code == 429
    # Even the right password is refused until the pause ends, here and on the sign-in page.
    assert new_token(thief, password=PASSWORD).status_code == 429
    assert post_password(Client(), "referrer@example.test").status_code == 429
    assert not ApiToken.objects.exists()
    assert AuditEntry.objects.filter(action="accounts.locked_out", actor=cast.referrer).exists()


def test_a_person_with_a_second_factor_may_give_a_fresh_code_instead(cast, as_user):
    client = as_user(cast.neurosurgeon)
    device = TOTPDevice.objects.get(user=cast.neurosurgeon, confirmed=True)
    assert 'name="code"' in client.get(TOKENS).content.decode()

    response = new_token(client, code=code_for(device))

    assert response.status_code == 200
    assert ApiToken.objects.filter(user=cast.neurosurgeon).count() == 1
    # The same code cannot be used twice (someone who saw it over a shoulder).
    again = new_token(client, code=code_for(device))
    assert again.status_code == 400
    assert ApiToken.objects.filter(user=cast.neurosurgeon).count() == 1


def test_a_wrong_code_is_refused_and_audited(cast, as_user):
    response = new_token(stolen(as_user(cast.neurosurgeon)), code="000000")

    assert response.status_code == 400
    assert "That code is not right, so no token was created." in response.content.decode()
    assert not ApiToken.objects.exists()
    entry = AuditEntry.objects.filter(action="accounts.second_factor_failed", actor=cast.neurosurgeon).get()
    assert entry.detail == {"step": "reauthenticate"}


def test_without_a_second_factor_a_code_is_not_asked_and_not_accepted(cast, as_user):
    client = as_user(cast.referrer)
    assert 'name="code"' not in client.get(TOKENS).content.decode()
    assert new_token(client, code="123456").status_code == 400
    assert not ApiToken.objects.exists()


def test_the_action_itself_refuses_without_proof(cast):
    with pytest.raises(ActionError) as refused:
        actions.create_own_api_token(cast.referrer, name="x", valid_days=None)
    assert refused.value.code == "reauthentication_required"
    with pytest.raises(ActionError) as refused:
        actions.create_own_api_token(cast.referrer, name="x", valid_days=None, password="wrong")
    assert refused.value.code == "wrong_password"
    assert AuditEntry.objects.filter(action="accounts.sign_in_failed", actor=cast.referrer).exists()
    token, raw = actions.create_own_api_token(cast.referrer, name="x", valid_days=None, password=PASSWORD)
    assert token.user == cast.referrer and raw.startswith("nd_")


@pytest.mark.parametrize(
    ("language", "asked", "wrong"),
    [
        ("sw", "Andika nenosiri lako ili kuunda tokeni.", "Nenosiri hilo si sahihi, kwa hiyo hakuna tokeni"),
        ("zh-hans", "请输入密码以创建令牌。", "密码不正确，因此未创建令牌"),
    ],
)
def test_the_refusals_are_in_the_persons_language(cast, as_user, language, asked, wrong):
    cast.referrer.preferred_language = language
    cast.referrer.save(update_fields=["preferred_language"])
    client = as_user(cast.referrer)
    assert asked in new_token(client).content.decode()
    assert wrong in new_token(client, password="guess").content.decode()

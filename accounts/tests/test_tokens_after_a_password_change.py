"""A new password shuts out whoever knew the old one: the person's API tokens are revoked and
their other sessions end, whether the password was changed on the security page or by a reset link."""

from __future__ import annotations

from django.core import mail
from django.test import Client

from accounts import actions
from core.models import AuditEntry
from neurodaraja.testing.personas import PASSWORD, sign_in

NEW = "Bugando-night-shift-7"


def token_works(raw: str) -> bool:
    return Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me").status_code == 200


def test_changing_the_password_revokes_tokens_and_ends_other_sessions(cast):
    _token, raw = actions.create_api_token(cast.trainee, name="phone", valid_days=30)
    _other, raw_other = actions.create_api_token(cast.trainee, name="laptop", valid_days=None)
    someone_elses = actions.create_api_token(cast.referrer, name="phone", valid_days=30)[1]
    elsewhere = sign_in(Client(), cast.trainee)  # the ward computer, still signed in
    here = sign_in(Client(), cast.trainee)
    assert token_works(raw) and token_works(raw_other)
    response = here.post(
        "/accounts/security/password/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert not token_works(raw) and not token_works(raw_other)
    assert token_works(someone_elses)
    assert AuditEntry.objects.filter(action="accounts.api_token_revoked", actor=cast.trainee).count() == 2
    assert here.get("/").status_code == 200  # the person who changed it stays signed in
    assert elsewhere.get("/").status_code == 302  # every other session is signed out


def test_a_reset_link_revokes_tokens_too(cast, client):
    _token, raw = actions.create_api_token(cast.trainee, name="phone", valid_days=30)
    mail.outbox.clear()
    client.post("/accounts/password-reset/", {"email": "trainee@example.test"})
    (message,) = mail.outbox
    link = message.body[message.body.index("/accounts/reset/") :].split()[0]
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert not token_works(raw)


def test_a_failed_change_revokes_nothing(cast):
    _token, raw = actions.create_api_token(cast.trainee, name="phone", valid_days=30)
    here = sign_in(Client(), cast.trainee)
    response = here.post(
        "/accounts/security/password/",
        {"old_password": "wrong-password", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 200
    assert token_works(raw)


def shown_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_the_person_is_told_their_tokens_were_revoked(cast):
    actions.create_api_token(cast.trainee, name="phone", valid_days=30)
    actions.create_api_token(cast.trainee, name="laptop", valid_days=30)
    response = sign_in(Client(), cast.trainee).post(
        "/accounts/security/password/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
        follow=True,
    )
    (message,) = shown_messages(response)
    assert "signed out everywhere else" in message
    assert "your 2 API tokens were revoked" in message


def test_someone_without_tokens_is_not_told_of_tokens(cast):
    response = sign_in(Client(), cast.trainee).post(
        "/accounts/security/password/",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
        follow=True,
    )
    (message,) = shown_messages(response)
    assert "signed out everywhere else" in message and "token" not in message


def test_a_reset_link_says_so_too_in_the_persons_language(cast, client):
    actions.create_api_token(cast.trainee, name="phone", valid_days=30)
    actions.update_profile(cast.trainee, {"preferred_language": "sw"})
    mail.outbox.clear()
    client.post("/accounts/password-reset/", {"email": "trainee@example.test"})
    (message,) = mail.outbox
    link = message.body[message.body.index("/accounts/reset/") :].split()[0]
    set_url = client.get(link, follow=True).redirect_chain[-1][0]
    client.cookies["django_language"] = "sw"
    response = client.post(set_url, {"new_password1": NEW, "new_password2": NEW}, follow=True)
    (shown,) = shown_messages(response)
    assert "tokeni 1 ya API imefutwa" in shown

"""Forgotten passwords: a one-day, one-time link by e-mail, in the person's language."""

from __future__ import annotations

import re

from django.conf import settings
from django.core import mail

from accounts.models import User
from core.models import AuditEntry

NEW = "Bugando-night-shift-7"


def reset_link(message) -> str:
    match = re.search(r"/accounts/reset/[^/\s]+/[^/\s]+/", message.body)
    assert match, message.body
    return match.group(0)


def test_a_reset_link_is_sent_and_sets_a_new_password_once(cast, client):
    mail.outbox.clear()
    response = client.post("/accounts/password-reset/", {"email": "Trainee@Example.test"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    (message,) = mail.outbox
    assert message.to == ["trainee@example.test"]
    assert AuditEntry.objects.filter(action="accounts.password_reset_requested", actor=cast.trainee).exists()
    link = reset_link(message)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": NEW, "new_password2": NEW})
    assert response["Location"] == "/accounts/reset/done/"
    assert User.objects.get(pk=cast.trainee.pk).check_password(NEW)
    assert AuditEntry.objects.filter(action="accounts.password_changed", actor=cast.trainee).exists()
    used_again = client.get(link, follow=True).content.decode()
    assert "already been used or has expired" in used_again


def test_an_unknown_address_looks_the_same_and_sends_nothing(db, client):
    mail.outbox.clear()
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.test"})
    assert response["Location"] == "/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_the_reset_email_is_in_the_persons_language(cast, client):
    mail.outbox.clear()
    client.post("/accounts/password-reset/", {"email": "li.wen@example.test"})
    (message,) = mail.outbox
    assert message.subject == "设置新的 NeuroDaraja 密码"


def test_sessions_end_after_idle_time():
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE == 480 * 60

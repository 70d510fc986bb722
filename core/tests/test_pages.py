"""Light, safe pages: size on a slow phone, security headers, friendly errors."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from neurodaraja.testing.pages import PAGE_BUDGET, compressed, static_size


@pytest.mark.parametrize(
    ("persona", "url"),
    [
        (None, "/accounts/login/"),
        ("coordinator", "/"),
        ("coordinator", "/people/"),
        ("coordinator", "/audit/"),
        ("referrer", "/accounts/profile/"),
        ("neurosurgeon", "/accounts/profile/"),
        ("referrer", "/institutions/"),
        ("referrer", "/accounts/security/two-factor/"),
    ],
)
def test_every_page_with_its_styles_and_script_is_under_50_kb_compressed(cast, persona, url):
    from neurodaraja.testing.personas import sign_in

    client = sign_in(Client(), getattr(cast, persona)) if persona else Client()
    response = client.get(url)
    assert response.status_code == 200
    total = compressed(response.content) + static_size()
    assert total < PAGE_BUDGET, f"{url}: {total} bytes"


def test_security_headers(db, client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_SSL_REDIRECT=True)
def test_production_redirects_to_https_and_sends_hsts(db, client):
    assert client.get("/accounts/login/")["Location"].startswith("https://")
    response = client.get("/accounts/login/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_production_cookies_are_secure():
    from django.conf import settings

    # Tests run with DEBUG off, as production does.
    assert settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SESSION_COOKIE_HTTPONLY


def test_forms_need_a_csrf_token(cast):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "referrer@example.test", "password": "x"})
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()  # our page, not Django's debug text


def test_the_admin_has_the_language_switcher_too(cast, as_user):
    page = as_user(cast.admin).get("/admin/").content.decode()
    assert 'id="admin-language"' in page


def test_not_found_page_is_friendly_and_translated(db):
    client = Client()
    client.cookies["django_language"] = "sw"
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Ukurasa huu haupo, au huna ruhusa ya kuufikia." in response.content.decode()


def test_health_check(db, client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_every_page_has_a_language_switcher_and_labelled_fields(cast, as_user):
    page = as_user(cast.referrer).get("/accounts/profile/").content.decode()
    assert 'name="language"' in page and 'for="language-switch"' in page
    assert 'for="id_full_name"' in page and 'for="id_phone"' in page
    assert 'href="#main"' in page  # keyboard users can skip the menu

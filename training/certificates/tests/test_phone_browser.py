"""In a real browser at 360 px, in the three languages: the public verification page (signed
out: the form, a genuine certificate, a code that is none), the holder's list and the
coordinators' pages (issued, a milestone, revoking), on the demo data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from lib.languages import CODES
from neurodaraja.testing.platform import DemoPlatform, chromium, needs_chromium, sign_in

pytestmark = needs_chromium

TRAINEE = "trainee@demo.neurodaraja.test"
COORDINATOR = "coordinator@demo.neurodaraja.test"
CODE = """
from training.certificates.models import Certificate
first = Certificate.objects.filter(kind="milestone").order_by("pk").first()
print(first.shown_code, first.enrolment_id)
"""
PAST_THE_EDGE = (
    "const w = document.documentElement.clientWidth;"
    "return [w, [...document.querySelectorAll('main *')]"
    ".filter(e => e.getBoundingClientRect().right > w + 1 && !e.closest('.table-wrap'))"
    ".map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 40))"
    ".slice(0, 5)];"
)


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, str, str]]:
    platform = DemoPlatform(tmp_path_factory.mktemp("platform"))
    code, enrolment = platform.manage("shell", "-c", CODE).strip().splitlines()[-1].split()
    with platform.serving() as url:
        yield url, platform.database, code, enrolment


def fits(phone: object, url: str, path: str, language: str) -> str:
    phone.get(f"{url}{path}")  # type: ignore[attr-defined]
    assert phone.find_element(By.TAG_NAME, "html").get_attribute("lang") == language, path  # type: ignore[attr-defined]
    assert phone.find_elements(By.TAG_NAME, "h1"), path  # type: ignore[attr-defined]
    width, wide = phone.execute_script(PAST_THE_EDGE)  # type: ignore[attr-defined]
    assert width <= 360 and not wide, (path, wide)
    return str(phone.find_element(By.TAG_NAME, "main").text)  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", CODES)
def test_the_public_page_fits_a_360_pixel_phone_signed_out(platform, language):
    url, _database, code, _enrolment = platform
    with chromium("360,740", phone=True) as phone:
        phone.get(f"{url}/i18n/setlang/")  # the language of a stranger: the cookie the switch sets
        phone.add_cookie({"name": "django_language", "value": language})
        form = fits(phone, url, "/verify/", language)
        assert ("Check a certificate" in form) == (language == "en")  # translated, not left in English
        genuine = fits(phone, url, f"/verify/{code}/", language)
        assert code in genuine and "@" not in genuine
        fits(phone, url, "/verify/NDC-2222-2222-2222/", language)


@pytest.mark.parametrize("language", CODES)
def test_the_holders_and_coordinators_pages_fit_a_360_pixel_phone(platform, language):
    url, database, code, enrolment = platform
    with chromium("360,740", phone=True) as phone:
        sign_in(phone, url, database, language, TRAINEE)
        assert code in fits(phone, url, "/training/certificates/", language)
    with chromium("360,740", phone=True) as phone:
        sign_in(phone, url, database, language, COORDINATOR)
        for path in [
            "/training/certificates/issued/",
            "/training/certificates/milestone/",
            f"/training/certificates/milestone/?for-enrolment={enrolment}",  # its milestones, or why none
            f"/training/certificates/{code}/revoke/",
        ]:
            fits(phone, url, path, language)

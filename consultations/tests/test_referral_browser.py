"""In a real browser at 360 px, in the three languages: the referral form and the opinion form
fit the phone, and the referral's "still needed to send" list and its structured CT findings
follow what the doctor types and the category chosen (static/js/case_form.js)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lib.languages import CODES
from neurodaraja.testing.platform import DemoPlatform, chromium, needs_chromium, sign_in, wait_for

pytestmark = needs_chromium

# A sent demo case with a consultant asked now: its code and that consultant's e-mail.
ASSIGNED = """
from consultations.models import Assignment
assignment = Assignment.objects.filter(ended_at__isnull=True).select_related("case", "consultant").first()
print(assignment.case.code, assignment.consultant.email)
"""

OVERFLOW = (
    "const w = document.documentElement.clientWidth;"
    "return [w, [...document.querySelectorAll('main *')]"
    ".filter(e => e.offsetParent !== null && e.getBoundingClientRect().right > w + 1)"
    ".map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 40))"
    ".slice(0, 5)];"
)


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, str, str]]:
    platform = DemoPlatform(tmp_path_factory.mktemp("platform"))
    code, consultant = platform.manage("shell", "-c", ASSIGNED).strip().splitlines()[-1].split()
    with platform.serving() as url:
        yield url, platform.database, code, consultant


def _shown_items(phone: object) -> set[str]:
    return set(
        phone.execute_script(  # type: ignore[attr-defined]
            "return [...document.querySelectorAll('[data-needed-checklist] li[data-needed]')]"
            ".filter(li => !li.hidden).map(li => li.getAttribute('data-needed'));"
        )
    )


@pytest.mark.parametrize("language", CODES)
def test_the_referral_form_fits_a_phone_and_its_checklist_follows_the_typing(platform, language):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    url, database, _code, _consultant = platform
    with chromium("360,740", phone=True) as phone:
        sign_in(phone, url, database, language)
        phone.get(f"{url}/consultations/new/")
        assert phone.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
        width, wide = phone.execute_script(OVERFLOW)
        assert width <= 360 and not wide, wide
        category = Select(phone.find_element(By.NAME, "category"))
        trauma = next(o for o in category.options if o.get_attribute("data-injury") == "1")
        category.select_by_value(trauma.get_attribute("value"))
        assert {"sex", "mechanism", "injury_at", "question"} <= _shown_items(phone)
        Select(phone.find_element(By.NAME, "sex")).select_by_index(1)
        phone.find_element(By.NAME, "question").send_keys("Transfer?")
        wait_for(
            lambda: not {"sex", "question"} & _shown_items(phone), "the list to follow the typing", phone
        )
        assert phone.find_element(By.NAME, "findings-epidural").is_displayed()
        # A category that asks nothing of an injury: its items and findings go.
        other = next(
            o
            for o in category.options
            if o.get_attribute("value")
            and o.get_attribute("data-injury") == "0"
            and o.get_attribute("data-shunt") == "0"
        )
        category.select_by_value(other.get_attribute("value"))
        assert not {"mechanism", "injury_at", "gcs_eye"} & _shown_items(phone)
        assert not phone.find_element(By.NAME, "findings-epidural").is_displayed()
        width, wide = phone.execute_script(OVERFLOW)
        assert width <= 360 and not wide, wide


@pytest.mark.parametrize("language", CODES)
def test_the_opinion_form_and_its_case_summary_fit_a_phone(platform, language):
    from selenium.webdriver.common.by import By

    url, database, code, consultant = platform
    with chromium("360,740", phone=True) as phone:
        sign_in(phone, url, database, language, consultant)
        phone.get(f"{url}/consultations/{code}/opinion/")
        assert phone.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
        assert phone.find_element(By.ID, "case-summary").is_displayed()
        width, wide = phone.execute_script(OVERFLOW)
        assert width <= 360 and not wide, wide
        # A refused opinion: the summary of what is wrong is what the phone shows first.
        phone.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        wait_for(lambda: phone.find_elements(By.CSS_SELECTOR, "[data-error-summary]"), "the summary", phone)
        summary = phone.find_element(By.CSS_SELECTOR, "[data-error-summary]")
        assert phone.execute_script(
            "return arguments[0].getBoundingClientRect().top < window.innerHeight;", summary
        )
        width, wide = phone.execute_script(OVERFLOW)
        assert width <= 360 and not wide, wide

"""In a real browser (headless Chromium), in each of the three languages: the outcome form of a
case with an outcome shows the stored date of operation in its date input, and saving it
unchanged changes nothing that was stored. In Chinese the input was filled as 2026/12/01, which
the browser's date input rejects and shows empty, and saving erased the date.

Like imaging's browser test, the platform runs in its own processes on its own database (a
live-server test would flush the audit trail, which its triggers refuse), with the demo data;
the outcome is recorded through the real action in that platform.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from lib.languages import CODES
from neurodaraja.testing.platform import DemoPlatform, chromium, needs_chromium, sign_in, wait_for

STORED = (
    "management, operated_by, operation, operation_date, complications, discharge_status, "
    "gose_discharge, gose_6_months"
)

pytestmark = needs_chromium

# Recorded in the platform by the real action, on the demo's first sent case (Demo Patient A).
RECORD_OUTCOME = """
from zoneinfo import ZoneInfo
from django.utils import timezone
from accounts.models import User
from consultations import actions
from consultations.access import case_access
from consultations.models import Case
referrer = User.objects.get(email="referrer@demo.neurodaraja.test")
case = Case.objects.get(identity__full_name="Demo Patient A")
today = timezone.now().astimezone(ZoneInfo(case.referring_institution.time_zone)).date()
actions.record_outcome(case_access(referrer, case), referrer, {
    "management": "operated_locally", "operated_by": "local_with_visitor",
    "operation": "Burr hole and evacuation", "operation_date": today,
    "complications": "Wound infection, treated.", "discharge_status": "home",
    "gose_discharge": 6, "gose_6_months": None,
})
print(case.code)
"""


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, str]]:
    platform = DemoPlatform(tmp_path_factory.mktemp("platform"))
    code = platform.manage("shell", "-c", RECORD_OUTCOME).strip().splitlines()[-1]
    with platform.serving() as url:
        yield url, platform.database, code


@pytest.fixture
def browser() -> Iterator[object]:
    with chromium() as driver:
        yield driver


def stored(database: Path, code: str) -> tuple:
    with sqlite3.connect(database) as db:
        return db.execute(
            f"SELECT {STORED} FROM consultations_outcome o JOIN consultations_case c ON c.id = o.case_id "  # noqa: S608 (our own column list)
            "WHERE c.code = ?",
            (code,),
        ).fetchone()


@pytest.mark.parametrize("language", CODES)
def test_the_outcome_form_saved_unchanged_in_the_browser_changes_nothing(platform, browser, language):
    from selenium.webdriver.common.by import By

    url, database, code = platform
    before = stored(database, code)
    assert before[3]  # a date of operation is stored
    sign_in(browser, url, database, language)
    browser.get(f"{url}/consultations/{code}/outcome/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
    date_input = browser.find_element(By.NAME, "operation_date")
    # What the browser's date input holds, after it has dropped any value it cannot read.
    assert date_input.get_property("value") == before[3]
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(lambda: not browser.current_url.rstrip("/").endswith("/outcome"), "the saved outcome", browser)
    assert stored(database, code) == before


@pytest.mark.parametrize("language", CODES)
def test_the_case_page_fits_a_360_pixel_phone(platform, language):
    """The case page's facts (label, value) stack or wrap instead of pushing the values off the
    right edge: the Kiswahili labels are the longest."""
    from selenium.webdriver.common.by import By

    url, database, code = platform
    with chromium("360,740", phone=True) as phone:
        sign_in(phone, url, database, language)
        phone.get(f"{url}/consultations/{code}/")
        assert phone.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
        width, wide = phone.execute_script(
            "const w = document.documentElement.clientWidth;"
            "return [w, [...document.querySelectorAll('main *')]"
            ".filter(e => e.getBoundingClientRect().right > w + 1)"
            ".map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 40))"
            ".slice(0, 5)];"
        )
        assert width <= 360 and not wide, wide

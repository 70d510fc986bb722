"""In a real browser at 360 px (a phone), in each of the three languages: the coordinator's
roster of the coming four weeks, a shift's edit and removal pages and the product's 404 page fit
the screen (nothing past the right edge), with the demo data and shifts added by the real
action in a platform of its own (as consultations/tests/test_outcome_browser.py explains)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from lib.languages import CODES
from neurodaraja.testing.platform import DEMO_PASSWORD, DemoPlatform, chromium, needs_chromium, wait_for

pytestmark = needs_chromium

COORDINATOR = "coordinator@demo.neurodaraja.test"
USED_CODES: set[str] = set()  # the second step's codes already used in this run

# Shifts of twelve hours for every consultant the demo coordinator keeps, every third day for
# four weeks (some run into the next day), added by the real action.
ADD_SHIFTS = """
from datetime import timedelta
from django.utils import timezone
from accounts.models import User
from consultations.access import rostered_consultants
from consultations.actions import rosters
from core.errors import ActionError
coordinator = User.objects.get(email="coordinator@demo.neurodaraja.test")
start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
shift = None
for n, consultant in enumerate(rostered_consultants(coordinator)):
    for day in range(0, 28, 3):
        begins = start + timedelta(days=day, hours=n * 13)
        try:
            shift = rosters.add_shift(
                coordinator, begins, begins + timedelta(hours=12), consultant=consultant
            )
        except ActionError:  # over a shift the demo already holds
            pass
print(shift.pk)
"""

MAIN_PAST_THE_EDGE = (
    "const w = document.documentElement.clientWidth;"
    "return [w, [...document.querySelectorAll('main *')]"
    ".filter(e => e.getBoundingClientRect().right > w + 1)"
    ".map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 40))"
    ".slice(0, 5)];"
)


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, str]]:
    platform = DemoPlatform(tmp_path_factory.mktemp("platform"))
    shift = platform.manage("shell", "-c", ADD_SHIFTS).strip().splitlines()[-1]
    with platform.serving() as url:
        yield url, platform.database, shift


def sign_in_with_second_step(driver, url: str, database: Path, language: str) -> None:
    import sqlite3

    from selenium.webdriver.common.by import By

    with sqlite3.connect(database) as db:
        db.execute("UPDATE accounts_user SET preferred_language = ? WHERE email = ?", (language, COORDINATOR))
    driver.get(f"{url}/accounts/login/")
    driver.find_element(By.NAME, "username").send_keys(COORDINATOR)
    driver.find_element(By.NAME, "password").send_keys(DEMO_PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(lambda: driver.current_url.rstrip("/") != f"{url}/accounts/login", "the password step", driver)
    if "/accounts/login/verify/" in driver.current_url:
        # The demonstration shows its current code on the second step; a code is good once, so
        # the next language's sign-in waits for the next one (a new one every 30 s).
        def fresh_code() -> str | None:
            shown = re.search(r"\d{6}", driver.find_element(By.CSS_SELECTOR, ".demo").text)
            if shown and shown.group(0) not in USED_CODES:
                return shown.group(0)
            time.sleep(2)
            driver.get(driver.current_url)
            return None

        wait_for(fresh_code, "a new demonstration code", driver, timeout=70)
        code = fresh_code()
        assert code
        USED_CODES.add(code)
        driver.find_element(By.NAME, "code").send_keys(code)
        driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(lambda: "/accounts/login/" not in driver.current_url, "the sign-in", driver)


@pytest.mark.parametrize("language", CODES)
def test_the_roster_and_its_pages_fit_a_360_pixel_phone(platform, language):
    from selenium.webdriver.common.by import By

    url, database, shift = platform
    with chromium("360,740", phone=True) as phone:
        sign_in_with_second_step(phone, url, database, language)
        for path in [
            "/consultations/on-call/",
            f"/consultations/on-call/{shift}/edit/",
            f"/consultations/on-call/{shift}/remove/",
            "/consultations/no/such/page/",
        ]:
            phone.get(f"{url}{path}")
            assert phone.find_element(By.TAG_NAME, "html").get_attribute("lang") == language, path
            width, wide = phone.execute_script(MAIN_PAST_THE_EDGE)
            assert width <= 360 and not wide, (path, wide)
            if path == "/consultations/on-call/":
                assert len(phone.find_elements(By.CSS_SELECTOR, "section.roster-day")) == 28
                assert phone.find_elements(By.CSS_SELECTOR, "li.shift")

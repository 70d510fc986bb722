"""In a real browser at 360 px (a phone), in each of the three languages: the coordinator's
roster of the coming four weeks, a shift's edit and removal pages and the product's 404 page fit
the screen (nothing past the right edge), with the demo data and shifts added by the real
action in a platform of its own (as consultations/tests/test_outcome_browser.py explains)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lib.languages import CODES
from neurodaraja.testing.platform import DemoPlatform, chromium, needs_chromium, sign_in

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


@pytest.mark.parametrize("language", CODES)
def test_the_roster_and_its_pages_fit_a_360_pixel_phone(platform, language):
    from selenium.webdriver.common.by import By

    url, database, shift = platform
    with chromium("360,740", phone=True) as phone:
        sign_in(phone, url, database, language, COORDINATOR)
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
                # Days in a row on which no shift starts are one stretch: fewer sections than days.
                assert 1 <= len(phone.find_elements(By.CSS_SELECTOR, "section.roster-day")) <= 28
                assert phone.find_elements(By.CSS_SELECTOR, "li.shift")

"""In a real browser at 360 px, in the three languages: the supervisor's pages of the logbook (the
queue, an entry with its decision form, the trainee's progress), which the walk of every page
(neurodaraja/tests/test_every_page_phone.py) does not reach because its personas do not include
the demo supervisor. The trainee's and coordinator's logbook pages are in that walk."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lib.languages import CODES
from neurodaraja.testing.platform import DemoPlatform, chromium, needs_chromium, sign_in

pytestmark = needs_chromium

SUPERVISOR = "neurosurgeon@demo.neurodaraja.test"
COORDINATOR = "coordinator@demo.neurodaraja.test"
IDS = """
from training.models import Enrolment, LogbookEntry, Programme
entry = LogbookEntry.objects.filter(status="pending").order_by("pk").first()
programme = Programme.objects.get(code="mmed-neurosurgery-tz")
print(entry.pk, Enrolment.objects.get().pk, programme.pk, programme.stages.first().pk)
"""
PAST_THE_EDGE = (
    "const w = document.documentElement.clientWidth;"
    "return [w, [...document.querySelectorAll('main *')]"
    ".filter(e => e.getBoundingClientRect().right > w + 1 && !e.closest('.table-wrap'))"
    ".map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 40))"
    ".slice(0, 5)];"
)


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, list[str]]]:
    platform = DemoPlatform(tmp_path_factory.mktemp("platform"))
    ids = platform.manage("shell", "-c", IDS).strip().splitlines()[-1].split()
    with platform.serving() as url:
        yield url, platform.database, ids


@pytest.mark.parametrize("language", CODES)
def test_the_supervisors_logbook_pages_fit_a_360_pixel_phone(platform, language):
    from selenium.webdriver.common.by import By

    url, database, (entry, enrolment, _programme, _stage) = platform
    with chromium("360,740", phone=True) as phone:
        sign_in(phone, url, database, language, SUPERVISOR)
        for path in [
            "/training/",
            "/training/queue/",
            f"/training/entries/{entry}/",
            f"/training/enrolments/{enrolment}/progress/",
            f"/training/enrolments/{enrolment}/autonomy/",
        ]:
            phone.get(f"{url}{path}")
            assert phone.find_element(By.TAG_NAME, "html").get_attribute("lang") == language, path
            assert phone.find_elements(By.TAG_NAME, "h1"), path
            width, wide = phone.execute_script(PAST_THE_EDGE)
            assert width <= 360 and not wide, (path, wide)


@pytest.mark.parametrize("language", CODES)
def test_the_coordinators_programme_pages_fit_a_360_pixel_phone(platform, language):
    from selenium.webdriver.common.by import By

    url, database, (_entry, enrolment, programme, stage) = platform
    with chromium("360,740", phone=True) as phone:
        sign_in(phone, url, database, language, COORDINATOR)
        for path in [
            f"/training/programmes/{programme}/trainees/",
            f"/training/programmes/{programme}/",
            f"/training/programmes/{programme}/edit/",
            f"/training/programmes/{programme}/stages/{stage}/",
            f"/training/programmes/{programme}/competencies/new/",
            "/training/groups/new/",
            f"/training/enrolments/{enrolment}/autonomy/",
        ]:
            phone.get(f"{url}{path}")
            assert phone.find_element(By.TAG_NAME, "html").get_attribute("lang") == language, path
            assert phone.find_elements(By.TAG_NAME, "h1"), path
            width, wide = phone.execute_script(PAST_THE_EDGE)
            assert width <= 360 and not wide, (path, wide)

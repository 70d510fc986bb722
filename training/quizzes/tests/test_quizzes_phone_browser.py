"""In a real browser at 360 px, in the three languages: the question bank, the GIFT import, a
question's form, a test's form and a session's results as the demo coordinator sees them, and an
open pre-test (radio buttons) and the results as the demo trainee does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lib.languages import CODES
from neurodaraja.testing.platform import DemoPlatform, chromium, needs_chromium, sign_in

pytestmark = needs_chromium

COORDINATOR = "coordinator@demo.neurodaraja.test"
TRAINEE = "trainee@demo.neurodaraja.test"
IDS = """
from training.quizzes.models import Question, Test
held = Test.objects.filter(session__status="held").first().session_id
open_test = Test.objects.filter(session__status="planned").first().session_id
print(Question.objects.order_by("pk").first().pk, held, open_test)
"""
PAST_THE_EDGE = (
    "const w = document.documentElement.clientWidth;"
    "return [w, [...document.querySelectorAll('main *')]"
    ".filter(e => e.getBoundingClientRect().right > w + 1 && !e.closest('.table-wrap'))"
    ".map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 40))"
    ".slice(0, 5)];"
)
# A table in its scrolling wrapper must still fit: its columns (the gain) hidden past the edge are lost.
SCROLLED_TABLES = (
    "return [...document.querySelectorAll('main .table-wrap')]"
    ".filter(w => w.scrollWidth > w.clientWidth + 1)"
    ".map(w => w.scrollWidth + ' > ' + w.clientWidth);"
)


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, list[str]]]:
    platform = DemoPlatform(tmp_path_factory.mktemp("platform"))
    ids = platform.manage("shell", "-c", IDS).strip().splitlines()[-1].split()
    with platform.serving() as url:
        yield url, platform.database, ids


@pytest.mark.parametrize("language", CODES)
def test_the_quiz_pages_fit_a_360_pixel_phone(platform, language):
    from selenium.webdriver.common.by import By

    url, database, (question, held, coming) = platform
    for person, paths in [
        (
            COORDINATOR,
            [
                "/training/questions/",
                "/training/questions/import/",
                f"/training/questions/{question}/",
                f"/training/sessions/{held}/tests/",
                f"/training/sessions/{held}/tests/post/edit/",
            ],
        ),
        (TRAINEE, [f"/training/sessions/{coming}/tests/pre/", f"/training/sessions/{held}/tests/"]),
    ]:
        with chromium("360,740", phone=True) as phone:
            sign_in(phone, url, database, language, person)
            for path in paths:
                phone.get(f"{url}{path}")
                assert phone.find_element(By.TAG_NAME, "html").get_attribute("lang") == language, path
                assert phone.find_elements(By.TAG_NAME, "h1"), path
                width, wide = phone.execute_script(PAST_THE_EDGE)
                assert width <= 360 and not wide, (path, wide)
                assert not phone.execute_script(SCROLLED_TABLES), path
            if person == TRAINEE:
                phone.get(f"{url}/training/sessions/{coming}/tests/pre/")
                assert phone.find_elements(By.CSS_SELECTOR, "input[type=radio]")

"""In a real browser at exactly 360 px (a phone's layout, device metrics), in the three
languages: a calculator's result fits the screen. The IMPACT result was 820 px wide on a 360 px
phone — the outcome labels showed, the percentages were off the right edge — because the
figures sat in a two-column grid sized to the longest label."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from lib.languages import CODES
from neurodaraja.testing.platform import DemoPlatform, chromium, needs_chromium, sign_in

pytestmark = needs_chromium

# The longest labels of the scores: the laboratory model's inputs and its two outcomes.
IMPACT_LAB = {
    "calculate": "1",
    "age": "34",
    "motor": "3",
    "pupils": "one",
    "marshall": "III",
    "traumatic_sah": "on",
    "hypoxia": "on",
    "glucose": "9.5",
    "haemoglobin": "11.2",
}
PECARN = {"calculate": "1", "age_months": "12", "gcs": "15", "hours_since_injury": "2"}

# Everything inside <main> whose right edge passes the screen, unless it is inside a container
# that scrolls sideways on purpose (overflow-x auto) and itself fits.
PAST_THE_EDGE = """
const width = document.documentElement.clientWidth;
const scrolls = e => { for (let p = e.parentElement; p; p = p.parentElement) {
  if (getComputedStyle(p).overflowX === 'auto' && p.getBoundingClientRect().right <= width + 1) return true; }
  return false; };
return [width, document.documentElement.scrollWidth,
  [...document.querySelectorAll('main *')]
    .filter(e => e.getBoundingClientRect().right > width + 1 && !scrolls(e))
    .map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 40)).slice(0, 5),
  [...document.querySelectorAll('.result dd')].map(e => [e.textContent.trim(), e.getBoundingClientRect().right])];
"""


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    platform = DemoPlatform(tmp_path_factory.mktemp("platform"))
    with platform.serving() as url:
        yield url, platform.database


@pytest.mark.parametrize("language", CODES)
def test_a_calculator_result_fits_a_360_pixel_phone_with_its_figures_on_screen(platform, language):
    from selenium.webdriver.common.by import By

    url, database = platform
    with chromium("360,740", phone=True) as phone:
        sign_in(phone, url, database, language)
        for code, inputs, figures in (("impact_lab", IMPACT_LAB, 2), ("pecarn", PECARN, 1)):
            phone.get(f"{url}/scores/{code}/?{urlencode(inputs)}")
            assert phone.find_element(By.TAG_NAME, "html").get_attribute("lang") == language
            width, scroll_width, wide, shown = phone.execute_script(PAST_THE_EDGE)
            assert width <= 360, width
            assert scroll_width <= width, (code, language, scroll_width, wide)
            assert not wide, (code, language, wide)
            assert len(shown) == figures and all(
                value.endswith("%") and right <= width for value, right in shown
            ), (
                code,
                language,
                shown,
            )

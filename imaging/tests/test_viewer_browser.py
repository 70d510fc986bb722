"""The viewer in a real browser (headless Chromium), as found in issue 11: at 360 px it must fit
exactly in the three languages, at 1280 × 900 the whole image must show without scrolling, the
patient's left and right are marked on the image's edges, and synthetic demonstration images
say they are not a patient's.

The platform runs in its own processes on its own database, with the real head CT's slices and
a small synthetic series stored through the real ingest (see neurodaraja.testing.platform).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from imaging.tests.data import needs_data
from lib.languages import CODES
from neurodaraja.testing.platform import DemoPlatform, chromium, needs_chromium, sign_in, wait_for

pytestmark = [needs_data(), needs_chromium]

# The real CT on the draft of Demo Patient C, a synthetic series on Demo Patient B's case.
SEED = """
from accounts.models import User
from consultations.models import Case
from imaging.models import Study
from imaging.services import Batch, receive
from imaging.tasks import prepare_renderings
from imaging.tests.data import GE_HEAD_CT, encoded, small_ct

referrer = User.objects.get(email="referrer@demo.neurodaraja.test")
real = Case.objects.get(identity__full_name="Demo Patient C")
batch = Batch(institution=real.referring_institution, source=Study.Source.UPLOAD, case=real, user=referrer)
for path in sorted(GE_HEAD_CT.glob("*.dcm"))[:6]:
    receive(batch, path.read_bytes(), path.name)
other = Case.objects.get(identity__full_name="Demo Patient B")
synthetic = Batch(institution=other.referring_institution, source=Study.Source.UPLOAD, case=other, user=referrer)
for n in (1, 2, 3):
    ds = small_ct(901, 1, n, size=64, SeriesDescription="SYNTHETIC head CT",
                  Manufacturer="NeuroDaraja synthetic phantom")
    receive(synthetic, encoded(ds), f"{n}.dcm")
for series in {i.series_id for i in batch.stored + synthetic.stored}:
    prepare_renderings.call(series)
print(real.code, batch.stored[0].series_id, other.code, synthetic.stored[0].series_id)
"""

LAYOUT = """
const stage = document.querySelector('[data-stage]').getBoundingClientRect();
const marks = {};
document.querySelectorAll('[data-orient]').forEach((node) => {
  const box = node.getBoundingClientRect();
  marks[node.dataset.orient] = {text: node.hidden ? '' : node.textContent, left: box.left, right: box.right};
});
return JSON.stringify({width: document.documentElement.scrollWidth, inner: window.innerWidth,
  height: window.innerHeight, scrolled: window.scrollY, stage: {top: stage.top, bottom: stage.bottom,
  left: stage.left, right: stage.right}, marks,
  status: document.querySelector('[data-status]').textContent});
"""


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, list[str]]]:
    platform = DemoPlatform(tmp_path_factory.mktemp("platform"))
    seeded = platform.manage("shell", "-c", SEED).strip().splitlines()[-1].split()
    with platform.serving() as url:
        yield url, platform.database, seeded


def open_viewer(driver, url: str, code: str, series: str) -> dict:  # noqa: ANN001 (a WebDriver)
    from selenium.webdriver.common.by import By

    driver.get(f"{url}/consultations/{code}/imaging/series/{series}/")
    status = driver.find_element(By.CSS_SELECTOR, "[data-status]")
    wait_for(lambda: " 6 " in status.text or "6/6" in status.text, "the slices", driver, 120)
    return json.loads(driver.execute_script(LAYOUT))


@pytest.mark.parametrize("language", CODES)
def test_the_viewer_fits_a_360_px_phone_with_left_and_right_on_the_image(platform, language):
    url, database, (code, series, _other, _synthetic) = platform
    with chromium("360,740", phone=True) as driver:
        sign_in(driver, url, database, language)
        driver.execute_script("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
        layout = open_viewer(driver, url, code, series)
        driver.execute_script("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
        layout["width"] = driver.execute_script("return document.documentElement.scrollWidth")
    assert layout["inner"] == 360 and layout["width"] <= 360, layout
    stage, marks = layout["stage"], layout["marks"]
    assert marks["left"]["text"] == "R" and marks["right"]["text"] == "L", marks
    assert stage["left"] <= marks["left"]["left"] < marks["left"]["right"] <= stage["left"] + 40
    assert stage["right"] - 40 <= marks["right"]["left"] < marks["right"]["right"] <= stage["right"]
    assert stage["bottom"] <= layout["height"]


@pytest.mark.parametrize("language", CODES)
def test_at_1280_by_900_the_whole_image_shows_without_scrolling(platform, language):
    url, database, (code, series, _other, _synthetic) = platform
    with chromium("1280,900") as driver:
        sign_in(driver, url, database, language)
        layout = open_viewer(driver, url, code, series)
    assert layout["scrolled"] == 0 and layout["stage"]["bottom"] <= layout["height"], layout
    assert layout["stage"]["bottom"] - layout["stage"]["top"] >= 400  # a useful size, not a stamp
    assert layout["width"] <= layout["inner"]


def test_synthetic_images_say_so_in_the_viewer(platform):
    from selenium.webdriver.common.by import By

    url, database, (_code, _series, other, synthetic) = platform
    with chromium("360,740", phone=True) as driver:
        sign_in(driver, url, database, "en")
        driver.get(f"{url}/consultations/{other}/imaging/series/{synthetic}/")
        banner = driver.find_element(By.CSS_SELECTOR, "[data-synthetic]")
        assert banner.text == "Synthetic demonstration images — not a patient" and banner.is_displayed()
        assert banner.rect["y"] + banner.rect["height"] <= 740  # read before the image


@pytest.mark.parametrize("language", CODES)
def test_the_imaging_page_fits_a_360_px_phone_with_everything_unfolded(platform, language):
    url, database, (code, _series, _other, _synthetic) = platform
    with chromium("360,740", phone=True) as driver:
        sign_in(driver, url, database, language)
        driver.get(f"{url}/consultations/{code}/imaging/")
        # the command line for the hospital PC ran 1044 px wide once its section was opened
        width = driver.execute_script(
            "document.querySelectorAll('details').forEach((d) => { d.open = true; });"
            "return document.documentElement.scrollWidth"
        )
    assert width <= 360


# Every button of the toolbars and the slice bar, scrolled into the middle of the screen: its
# box, and whether a finger at its centre lands on it (not on a neighbour or off the screen).
TOOLS = """
const bars = [...document.querySelectorAll('.viewer-bar')].map((bar) => ({
  label: bar.getAttribute('aria-label'), scroll: bar.scrollWidth, client: bar.clientWidth}));
const buttons = [...document.querySelectorAll('.viewer-bar button, .viewer-slices button')].map((button) => {
  button.scrollIntoView({block: 'center', inline: 'center'});
  const box = button.getBoundingClientRect();
  const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  return {name: button.textContent.trim() || button.getAttribute('aria-label'), left: box.left,
    right: box.right, width: box.width, height: box.height, touched: !!hit && hit.closest('button') === button};
});
window.scrollTo(0, 0);
return JSON.stringify({page: document.documentElement.scrollWidth, bars, buttons});
"""


@pytest.mark.parametrize("language", CODES)
def test_at_360_px_every_tool_is_on_the_screen_and_big_enough_to_touch(platform, language):
    """The toolbars wrap instead of scrolling sideways: no tool hides off the screen."""
    url, database, (code, series, _other, _synthetic) = platform
    with chromium("360,740", phone=True) as driver:
        sign_in(driver, url, database, language)
        open_viewer(driver, url, code, series)
        found = json.loads(driver.execute_script(TOOLS))
    assert found["page"] <= 360, found["page"]
    assert found["bars"] and all(bar["scroll"] <= bar["client"] for bar in found["bars"]), found["bars"]
    names = [button["name"] for button in found["buttons"]]
    assert "+" in names and "−" in names and len(names) >= 15, names  # tools, presets, view, slices
    for button in found["buttons"]:
        assert button["left"] >= 0 and button["right"] <= 360, button
        assert button["width"] >= 40 and button["height"] >= 40, button
        assert button["touched"], button

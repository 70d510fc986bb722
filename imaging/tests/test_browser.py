"""End to end in a real browser (headless Chromium): the platform started as `make run` starts it
(web server, worker, demo data on a throwaway SQLite database), a referrer sends CT slices from
the case page, the worker de-identifies them, and the viewer scrolls, measures and annotates.

The test database of the other tests cannot be used here (a browser needs a running server,
and the audit trail's triggers refuse the flush a live-server test would need), so the
platform runs in its own processes on its own database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from imaging.tests.data import GE_HEAD_CT, needs_data
from neurodaraja.testing.platform import DemoPlatform, chromium, needs_chromium, sign_in, wait_for

pytestmark = [needs_data(), needs_chromium]


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    platform = DemoPlatform(tmp_path_factory.mktemp("platform"))
    with platform.serving() as url:
        yield url, platform.database


def demo_case_code(platform_db: Path) -> str:
    with sqlite3.connect(platform_db) as db:
        row = db.execute(
            "SELECT c.code FROM consultations_case c JOIN consultations_patientidentity p ON p.case_id = c.id "
            "WHERE p.full_name = 'Demo Patient B'"
        ).fetchone()
    return row[0]


@pytest.fixture
def browser() -> Iterator[object]:
    with chromium() as driver:
        yield driver


def script_errors(driver) -> list[str]:  # noqa: ANN001 (a selenium WebDriver)
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" and "favicon" not in entry["message"]
    ]


def test_a_referrer_sends_slices_from_a_phone_and_reads_them_in_the_viewer(platform, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    url, database = platform
    code = demo_case_code(database)  # Demo Patient B: no imaging yet
    sign_in(browser, url, database, "en")  # the demo referrer reads Kiswahili; these checks read English
    browser.get(f"{url}/consultations/{code}/imaging/")
    slices = sorted(GE_HEAD_CT.glob("*.dcm"))[:8]
    browser.find_element(By.ID, "upload-files").send_keys("\n".join(str(p) for p in slices))
    browser.find_element(By.ID, "upload-start").click()
    progress = browser.find_element(By.ID, "upload-progress")
    # sent, then processed by the worker
    wait_for(lambda: "Images stored: 8" in progress.text, "the upload to be processed", browser, 240)
    assert not script_errors(browser)
    # The study shows as it was processed, with its state and the action it needs: no reload.
    assert "Reload the page" not in progress.text
    studies = browser.find_element(By.ID, "imaging-studies")
    wait_for(
        lambda: studies.find_elements(By.CSS_SELECTOR, "[data-study] .series a"), "the study", browser, 60
    )
    assert "No imaging on this case yet" not in studies.text
    state = studies.find_element(By.CSS_SELECTOR, "[data-study-state]")
    assert state.get_attribute("data-study-state") == "ready" and state.find_element(By.TAG_NAME, "button")
    studies.find_element(By.CSS_SELECTOR, ".series a").click()
    status = browser.find_element(By.CSS_SELECTOR, "[data-status]")
    wait_for(lambda: "loaded 8 of 8" in status.text, "every slice in the viewer", browser, 120)
    stage = browser.find_element(By.CSS_SELECTOR, "[data-stage]")
    stage.click()
    before = status.text
    stage.send_keys(Keys.ARROW_DOWN)
    wait_for(lambda: status.text != before, "the next slice", browser, 30)
    browser.find_element(By.CSS_SELECTOR, "[data-tool=measure]").click()
    ActionChains(browser).move_to_element_with_offset(stage, -60, 0).click_and_hold().move_by_offset(
        60, 0
    ).move_by_offset(60, 0).release().perform()
    measured = browser.find_element(By.CSS_SELECTOR, "[data-measure-value]").text
    assert measured.endswith("mm") and float(measured.split()[0]) > 0
    browser.find_element(By.CSS_SELECTOR, "[data-measure-save]").click()
    annotations = browser.find_element(By.CSS_SELECTOR, "[data-annotation-list]")
    wait_for(lambda: "mm" in annotations.get_attribute("textContent"), "the saved distance", browser, 30)
    assert not script_errors(browser)

"""End to end in a real browser (headless Chromium): the platform started as `make run` starts it
(web server, worker, demo data on a throwaway SQLite database), a referrer sends CT slices from
the case page, the worker de-identifies them, and the viewer scrolls, measures and annotates.

The test database of the other tests cannot be used here (a browser needs a running server,
and the audit trail's triggers refuse the flush a live-server test would need), so the
platform runs in its own processes on its own database.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from imaging.tests.data import GE_HEAD_CT, needs_data

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
PASSWORD = "Daraja-demo-2026"
REFERRER = "referrer@demo.neurodaraja.test"

pytestmark = [
    needs_data(),
    pytest.mark.skipif(
        not (CHROMIUM and DRIVER),
        reason="Chromium and chromedriver are not installed (.ci/run installs them).",
    ),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("platform")
    (folder / "media").mkdir()
    env = {
        **os.environ,
        "DEBUG": "true",
        "DEMO_MODE": "true",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media"),
        "IMAGING_INCOMING_ROOT": str(folder / "incoming"),
        # No demo imaging: the slices this test sends must be new to the platform.
        "DEMO_DICOM_DIR": str(folder / "no-demo-imaging"),
    }
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "-v0"], ["loaddemo"]):
        subprocess.run([*manage, *command], env=env, cwd=ROOT, check=True, capture_output=True)  # noqa: S603
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own command
        [*manage, "runplatform", "--port", str(port), "--web-workers", "2"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                if requests.get(f"{url}/healthz", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        else:
            pytest.fail("The platform did not start.")
        yield url, folder / "db.sqlite3"
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)


def demo_case_code(platform_db: Path) -> str:
    with sqlite3.connect(platform_db) as db:
        row = db.execute(
            "SELECT c.code FROM consultations_case c JOIN consultations_patientidentity p ON p.case_id = c.id "
            "WHERE p.full_name = 'Demo Patient B'"
        ).fetchone()
    return row[0]


@pytest.fixture
def browser() -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or ""
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=390,844"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.implicitly_wait(5)
    try:
        yield driver
    finally:
        driver.quit()


def script_errors(driver) -> list[str]:  # noqa: ANN001 (a selenium WebDriver)
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" and "favicon" not in entry["message"]
    ]


def wait_for(condition, what: str, timeout: float = 60.0, page=None) -> None:  # noqa: ANN001
    """Generous limits: this checks behaviour, not speed, on a machine busy with other tests."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    shown = page.find_element("css selector", "main").text[-1500:] if page is not None else ""
    raise AssertionError(f"Waited {timeout:.0f} s for {what}. The page shows:\n{shown}")


def test_a_referrer_sends_slices_from_a_phone_and_reads_them_in_the_viewer(platform, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    url, database = platform
    code = demo_case_code(database)  # Demo Patient B: no imaging yet
    with sqlite3.connect(database) as db:  # the demo referrer reads Kiswahili; these checks read English
        db.execute("UPDATE accounts_user SET preferred_language = 'en' WHERE email = ?", (REFERRER,))
    browser.get(f"{url}/accounts/login/")
    browser.find_element(By.NAME, "username").send_keys(REFERRER)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(lambda: "/accounts/login/" not in browser.current_url, "the sign-in", 60, browser)
    browser.get(f"{url}/consultations/{code}/imaging/")
    slices = sorted(GE_HEAD_CT.glob("*.dcm"))[:8]
    browser.find_element(By.ID, "upload-files").send_keys("\n".join(str(p) for p in slices))
    browser.find_element(By.ID, "upload-start").click()
    progress = browser.find_element(By.ID, "upload-progress")
    # sent, then processed by the worker
    wait_for(lambda: "8 images stored" in progress.text, "the upload to be processed", 240, browser)
    assert not script_errors(browser)
    browser.get(f"{url}/consultations/{code}/imaging/")
    browser.find_element(By.CSS_SELECTOR, ".series a").click()
    status = browser.find_element(By.CSS_SELECTOR, "[data-status]")
    wait_for(lambda: "loaded 8 of 8" in status.text, "every slice in the viewer", 120, browser)
    stage = browser.find_element(By.CSS_SELECTOR, "[data-stage]")
    stage.click()
    before = status.text
    stage.send_keys(Keys.ARROW_DOWN)
    wait_for(lambda: status.text != before, "the next slice", 30, browser)
    browser.find_element(By.CSS_SELECTOR, "[data-tool=measure]").click()
    ActionChains(browser).move_to_element_with_offset(stage, -60, 0).click_and_hold().move_by_offset(
        60, 0
    ).move_by_offset(60, 0).release().perform()
    measured = browser.find_element(By.CSS_SELECTOR, "[data-measure-value]").text
    assert measured.endswith("mm") and float(measured.split()[0]) > 0
    browser.find_element(By.CSS_SELECTOR, "[data-measure-save]").click()
    annotations = browser.find_element(By.CSS_SELECTOR, "[data-annotation-list]")
    wait_for(lambda: "mm" in annotations.get_attribute("textContent"), "the saved distance", 30, browser)
    assert not script_errors(browser)

"""The platform started in its own processes, as `make run` starts it (web server, worker, demo
data on a throwaway SQLite database), and a headless Chromium at phone size, for browser tests.

The test database of the other tests cannot be used there: a browser needs a running server,
and the audit trail's triggers refuse the flush a live-server test would need.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests

from accounts.demo import current_demo_code

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
DEMO_PASSWORD = "Daraja-demo-2026"  # noqa: S105 (the demo data's password)
DEMO_REFERRER = "referrer@demo.neurodaraja.test"

# The browser tests start their own platform on SQLite whatever DATABASE_URL says, so CI runs
# them once, in its SQLite pass, and sets BROWSER_TESTS_DONE for its PostgreSQL pass.
needs_chromium = pytest.mark.skipif(
    not (CHROMIUM and DRIVER) or bool(os.environ.get("BROWSER_TESTS_DONE")),
    reason=(
        "Chromium and chromedriver are not installed (.ci/run installs them)."
        if not (CHROMIUM and DRIVER)
        else "The browser tests ran in the SQLite pass; their platform is SQLite either way."
    ),
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


STARTUP_SECONDS = 240


class DemoPlatform:
    """Migrated and loaded with the demo data in `folder`, with the synthetic demo CT on Demo
    Patient A but none of the real CT (a test's slices must be new to it); `manage()` runs a
    command in it, `serving()` starts it."""

    def __init__(self, folder: Path) -> None:
        (folder / "media").mkdir(exist_ok=True)
        self.database = folder / "db.sqlite3"
        self.env = {
            **os.environ,
            "DEBUG": "true",
            "DEMO_MODE": "true",
            "DATABASE_URL": f"sqlite:///{self.database}",
            "MEDIA_ROOT": str(folder / "media"),
            "IMAGING_INCOMING_ROOT": str(folder / "incoming"),
            "DEMO_DICOM_DIR": str(folder / "no-demo-imaging"),
        }
        self.manage("migrate", "-v0")
        self.manage("loaddemo")

    def manage(self, *arguments: str) -> str:
        """What the command printed."""
        done = subprocess.run(  # noqa: S603 - our own command
            [sys.executable, str(ROOT / "manage.py"), *arguments],
            env=self.env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout

    @contextmanager
    def serving(self, log: Path | None = None) -> Iterator[str]:
        """The platform's address while it runs; what it prints (the access log among it) goes
        to `log` if given."""
        port = free_port()
        output = log.open("w") if log else subprocess.DEVNULL
        server = subprocess.Popen(  # noqa: S603 - our own command
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "runplatform",
                "--port",
                str(port),
                "--web-workers",
                "2",
            ],
            env=self.env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            # Generous: on a busy two-core machine start-up (static files, workers) takes a minute.
            deadline = time.monotonic() + STARTUP_SECONDS
            while True:
                try:
                    if requests.get(f"{url}/healthz", timeout=2).ok:
                        break
                except requests.RequestException:
                    pass
                if server.poll() is not None:
                    pytest.fail(f"The platform stopped while starting (exit status {server.returncode}).")
                if time.monotonic() > deadline:
                    pytest.fail(f"The platform did not start within {STARTUP_SECONDS} s.")
                time.sleep(0.5)
            yield url
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)
            if log:
                output.close()  # type: ignore[union-attr]


@contextmanager
def chromium(window: str = "390,844", *, phone: bool = False) -> Iterator[object]:
    """A headless Chromium (a selenium WebDriver) that keeps the page's console log. A headless
    window is never narrower than 500 px: `phone` lays the page out at exactly `window`, as a
    phone's browser does (device metrics, the page's viewport meta honoured)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM or ""
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={window}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.implicitly_wait(5)
    if phone:
        width, height = (int(side) for side in window.split(","))
        metrics = {"width": width, "height": height, "deviceScaleFactor": 2, "mobile": True}
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(condition: Callable[[], object], what: str, page: Any, timeout: float = 60.0) -> None:
    """Generous limits: this checks behaviour, not speed, on a machine busy with other tests."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    shown = page.find_element("css selector", "main").text[-1500:]
    raise AssertionError(f"Waited {timeout:.0f} s for {what}. The page shows:\n{shown}")


USED_CODES: dict[str, str] = {}  # the demo code each person last signed in with


def sign_in(driver: Any, url: str, database: Path, language: str, email: str = DEMO_REFERRER) -> None:
    """Sign a demo person in, reading `language` (set in the platform's database first)."""
    import sqlite3

    from selenium.webdriver.common.by import By

    with sqlite3.connect(database) as db:
        db.execute("UPDATE accounts_user SET preferred_language = ? WHERE email = ?", (language, email))
    driver.get(f"{url}/accounts/login/")
    driver.find_element(By.NAME, "username").send_keys(email)
    driver.find_element(By.NAME, "password").send_keys(DEMO_PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(lambda: driver.current_url.rstrip("/") != f"{url}/accounts/login", "the password step", driver)
    if driver.find_elements(By.NAME, "code"):
        # The demo authenticator's code; a code is accepted once, so a second sign-in of the same
        # person (the next language) waits for the next one (a new one every 30 s).
        wait_for(
            lambda: current_demo_code(email) != USED_CODES.get(email), "a fresh code", driver, timeout=40
        )
        USED_CODES[email] = current_demo_code(email)
        driver.find_element(By.NAME, "code").send_keys(USED_CODES[email])
        driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(lambda: "/accounts/login/" not in driver.current_url, "the sign-in", driver)

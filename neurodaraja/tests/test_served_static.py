"""What the shipped server (`manage.py runplatform`, as `make run` starts it, DEBUG on) really
sends (issue 11, "Light pages for real"): the stylesheet and scripts under hashed names with a
year's immutable cache, so a phone on a slow link asks for them once; pages and static files
gzipped; and the links in the demo's e-mails pointing at the port it serves on."""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from neurodaraja.management.commands.runplatform import children_environment
from neurodaraja.testing.platform import ROOT, DemoPlatform

pytestmark = pytest.mark.slow

HASHED = re.compile(r"^/static/.+\.[0-9a-f]{12}\.(css|js)$")
YEAR = 365 * 24 * 3600


@pytest.fixture(scope="module")
def platform_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("log") / "platform.log"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, platform_log: Path) -> Iterator[str]:
    with DemoPlatform(tmp_path_factory.mktemp("platform")).serving(log=platform_log) as url:
        yield url


def max_age(cache_control: str) -> int:
    found = re.search(r"max-age=(\d+)", cache_control)
    return int(found.group(1)) if found else 0


def test_stylesheet_and_scripts_have_hashed_names_and_an_immutable_year_long_cache(served):
    page = requests.get(f"{served}/accounts/login/", timeout=30)
    assert page.status_code == 200
    files = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page.text) + re.findall(
        r'<script[^>]* src="([^"]+)"', page.text
    )
    assert any(f.endswith(".css") for f in files) and any(f.endswith(".js") for f in files), files
    for name in files:
        assert HASHED.match(name), name
        answer = requests.get(served + name, timeout=30, headers={"Accept-Encoding": "gzip"})
        assert answer.status_code == 200, name
        assert max_age(answer.headers["Cache-Control"]) >= YEAR, answer.headers["Cache-Control"]
        assert "immutable" in answer.headers["Cache-Control"]
        assert answer.headers.get("Content-Encoding") == "gzip", name  # compressed at collectstatic


def test_pages_leave_the_server_gzipped(served):
    raw = requests.get(
        f"{served}/accounts/login/", timeout=30, headers={"Accept-Encoding": "gzip"}, stream=True
    ).raw
    assert raw.headers["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(raw.read())


def test_the_demos_e_mails_link_to_the_port_the_platform_serves_on(tmp_path):
    environment = children_environment({"PATH": "/bin"}, "127.0.0.1", "8107", tmp_path)
    assert environment["SITE_URL"] == "http://127.0.0.1:8107"
    assert environment["PORT"] == "8107"
    # A SITE_URL given by hand (a public name) is kept.
    given = children_environment({"SITE_URL": "https://nd.example.tz"}, "0.0.0.0", "8107", tmp_path)  # noqa: S104
    assert given["SITE_URL"] == "https://nd.example.tz"


def test_site_url_follows_port_when_not_set(tmp_path: Path):
    environment = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT")}
    shown = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", "from django.conf import settings; print(settings.SITE_URL)"],
        env={**environment, "PORT": "8107", "DJANGO_SETTINGS_MODULE": "neurodaraja.settings"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert shown.stdout.strip() == "http://127.0.0.1:8107"


def test_the_access_log_keeps_the_path_but_not_what_was_searched_for(served, platform_log):
    # A search's parameters may be what someone typed about a patient (a DICOMweb PatientName=…).
    address = f"{served}/healthz?PatientName=Mwakalinga^Neema&PatientID=SRRH-2026-0042"
    assert requests.get(address, headers={"Referer": f"{served}/?q=Neema"}, timeout=30).ok
    deadline = time.monotonic() + 10
    while "/healthz" not in platform_log.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)  # gunicorn writes the line after the answer
    logged = platform_log.read_text()
    line = next(line for line in logged.splitlines() if '"GET /healthz ' in line)
    assert " 200 " in line
    for typed in ["Neema", "Mwakalinga", "SRRH-2026-0042", "PatientName"]:
        assert typed not in logged, typed

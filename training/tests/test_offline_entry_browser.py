"""In a real browser at 360 px: the trainee loses the connection (Chromium's network cut through
the DevTools protocol), opens the new-entry form all the same (the logbook's service worker),
writes two entries, sees them kept on the phone "waiting to send", and when the link returns the
good one is sent and recorded once, even when the phone sends it again, while the one with a phone
number in its reflection shows the server's refusal and keeps its data, corrected then sent."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from neurodaraja.testing.platform import DemoPlatform, chromium, needs_chromium, sign_in, wait_for

pytestmark = needs_chromium

TRAINEE = "trainee@demo.neurodaraja.test"
GOOD = "Offline test: chronic subdural haematoma"
REFUSED = "Offline test: depressed skull fracture"

FILL = """
const [diagnosis, code, reflection] = arguments;
const form = document.querySelector('form[data-offline-entry]');
form.elements['performed_on'].value = new Date(Date.now() - 86400000).toISOString().slice(0, 10);
form.elements['diagnosis'].value = diagnosis;
form.elements['urgency'].value = 'urgent';
form.elements['age_band'].value = '65+';
form.elements['sex'].value = 'male';
form.querySelector('input[name=procedures]').checked = true;
form.elements['supervision'].value = code;
form.elements['reflection'].value = reflection || '';
const supervisor = form.elements['supervisor'];
supervisor.value = [...supervisor.options].find(o => o.text.includes('Baraka Massawe')).value;
form.querySelector('button[type=submit]').click();
"""
STATES = """
return [...document.querySelectorAll('#offline-entries li')].map(li =>
  [li.querySelector('strong').textContent, li.getAttribute('data-state'), li.textContent]);
"""


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    platform = DemoPlatform(tmp_path_factory.mktemp("platform"))
    with platform.serving() as url:
        yield url, platform.database


def recorded(database: Path, diagnosis: str) -> int:
    with sqlite3.connect(database) as db:
        return db.execute(
            "SELECT count(*) FROM training_logbookentry WHERE diagnosis = ?", (diagnosis,)
        ).fetchone()[0]


def network(phone, *, offline: bool) -> None:
    phone.execute_cdp_cmd("Network.enable", {})
    phone.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )


def states(phone) -> dict[str, tuple[str, str]]:
    return {title.split(" · ")[-1]: (state, text) for title, state, text in phone.execute_script(STATES)}


def test_an_entry_written_offline_is_kept_then_sent_once_and_a_refused_one_is_kept_to_correct(platform):
    from selenium.webdriver.common.by import By

    url, database = platform
    with chromium("360,740", phone=True) as phone:
        sign_in(phone, url, database, "en", TRAINEE)
        phone.get(f"{url}/training/entries/new/")
        # The service worker keeps the form (and its files) once it is active.
        phone.set_script_timeout(60)
        phone.execute_async_script(
            "const done = arguments[0]; navigator.serviceWorker.ready.then(() => done(true));"
        )
        phone.get(f"{url}/training/entries/new/")
        wait_for(
            lambda: phone.execute_script("return !!navigator.serviceWorker.controller"),
            "the service worker in control",
            phone,
        )

        network(phone, offline=True)
        phone.get(f"{url}/training/entries/new/")  # no connection: the kept form opens
        assert phone.execute_script("return navigator.onLine") is False
        assert phone.find_elements(By.CSS_SELECTOR, "form[data-offline-entry]")
        phone.execute_script(FILL, GOOD, "S-TS")
        wait_for(lambda: states(phone).get(GOOD, ("",))[0] == "waiting", "the entry kept", phone)
        phone.execute_script(FILL, REFUSED, "P", "Call the family on 0754 123 456")  # an identifier
        wait_for(lambda: states(phone).get(REFUSED, ("",))[0] == "waiting", "the second kept", phone)
        assert "Waiting to send" in states(phone)[GOOD][1]
        assert recorded(database, GOOD) == 0
        # What the phone holds before sending, to play the answer lost on the way below.
        kept = phone.execute_script(
            "const store = Object.keys(localStorage).find(k => k.startsWith('nd-logbook-pending-'));"
            "return localStorage.getItem(store);"
        )

        network(phone, offline=False)  # the link returns: the 'online' event sends them
        wait_for(lambda: states(phone).get(GOOD, ("",))[0] == "sent", "the entry sent", phone)
        wait_for(lambda: states(phone).get(REFUSED, ("",))[0] == "refused", "the refusal", phone)
        assert recorded(database, GOOD) == 1 and recorded(database, REFUSED) == 0
        refusal = states(phone)[REFUSED][1]
        assert "0754 123 456" in refusal and "Reflection" in refusal, refusal

        # A sent entry keeps on the phone only what names it in the list.
        sent = phone.execute_script(
            "const store = Object.keys(localStorage).find(k => k.startsWith('nd-logbook-pending-'));"
            "return JSON.parse(localStorage.getItem(store)).find(item => item.state === 'sent').fields;"
        )
        assert sorted(name for name, _value in sent) == ["diagnosis", "performed_on"]
        # Sent again (the answer lost on the way: the phone still holds it waiting, whole): the
        # server returns the first entry.
        phone.execute_script(
            "const store = Object.keys(localStorage).find(k => k.startsWith('nd-logbook-pending-'));"
            "const before = JSON.parse(arguments[0]);"
            "const items = JSON.parse(localStorage.getItem(store)).map(item =>"
            "  item.state === 'sent' ? before.find(old => old.key === item.key) : item);"
            "localStorage.setItem(store, JSON.stringify(items));",
            kept,
        )
        phone.get(f"{url}/training/")
        wait_for(lambda: states(phone).get(GOOD, ("",))[0] == "sent", "the entry sent again", phone)
        assert recorded(database, GOOD) == 1

        # The refused one, still on the phone with its data, corrected and sent.
        [correct] = [
            link
            for link in phone.find_elements(By.CSS_SELECTOR, "#offline-entries li a")
            if "pending=" in (link.get_attribute("href") or "")
        ]
        correct.click()
        wait_for(
            lambda: (
                phone.execute_script(
                    "return document.querySelector('form[data-offline-entry]').elements['diagnosis'].value"
                )
                == REFUSED
            ),
            "the kept data back in the form",
            phone,
        )
        phone.execute_script(
            "const form = document.querySelector('form[data-offline-entry]');"
            "form.elements['reflection'].value = '';"
            "form.querySelector('button[type=submit]').click();"
        )
        wait_for(lambda: "/training/entries/new/" not in phone.current_url, "the entry's page", phone)
        assert recorded(database, REFUSED) == 1 and recorded(database, GOOD) == 1
        phone.get(f"{url}/training/")
        assert REFUSED not in states(phone) or states(phone)[REFUSED][0] == "sent"

"""Every page a person can reach fits a 360 px phone, in English, Kiswahili and Chinese.

For each persona of the demo data, the test signs in, follows the same-origin links from the home
page and the menu (not sign-out, downloads, JSON, the API, or the admin's change pages), and lays
each page out at exactly 360 × 740 (a phone's device metrics) in the three languages. It fails on:

- anything past the right edge: the document wider than the screen, or an element whose right edge
  passes it (unless it sits in a container that scrolls sideways on purpose and fits itself);
- any console error (a resource that is not there, such as a favicon, is one);
- in Kiswahili and Chinese, a visible text that is an English msgid of the catalogues whose
  translation differs: a string left untranslated on the page.

Calculators are also filled in and calculated (the IMPACT result was 820 px wide), and the referral
form is sent empty, so result and error pages are laid out too. Pages are told apart by their URL
name (and a calculator by its code), so the walk stays bounded while every kind of page is seen.
Like the other browser tests, the platform runs in its own processes on the demo data
(neurodaraja/testing/platform.py).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

import polib
import pytest
import requests

from lib.languages import CODES, TRANSLATED
from neurodaraja.testing.platform import DEMO_PASSWORD, ROOT, DemoPlatform, chromium, needs_chromium, wait_for

pytestmark = needs_chromium

PHONE = "360,740"
PERSONAS = {
    "referring doctor": "referrer@demo.neurodaraja.test",
    "consultant in China": "consultant.qilu@demo.neurodaraja.test",
    "coordinator": "coordinator@demo.neurodaraja.test",
    "trainee": "trainee@demo.neurodaraja.test",
    "supervisor": "neurosurgeon@demo.neurodaraja.test",
    "researcher": "researcher@demo.neurodaraja.test",
    "administrator": "admin@demo.neurodaraja.test",
}
# What a walk does not follow: it signs out, changes something, or is not a page.
NOT_PAGES = re.compile(r"^/(static|media|api|dicomweb|i18n)/|\.(pdf|json|zip|webp|png|jpe?g|dcm|py)$")
NOT_FOLLOWED = re.compile(r"^/(accounts/logout|healthz)")
# Admin pages that change a row (add, change, delete, history) are the admin's business, not a walk's.
ADMIN_CHANGES = re.compile(r"^/admin/(.+/(add|change|delete|history)/|logout/|password_change/|jsi18n/)")
# Seen for every persona (their content depends on who reads), the rest once for the first persona.
PER_PERSONA = {"/", "/consultations", "/consultations/*"}
PAGES_PER_PERSONA = 60

# Each element that passes the right edge, outermost only, unless a container that scrolls
# sideways on purpose (overflow-x auto or scroll) holds it and fits the screen itself.
OVERFLOW = """
const width = document.documentElement.clientWidth;
const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
  (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\\s+/).join('.') : '') +
  ' "' + (e.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 50) + '"';
const found = [];
if (document.documentElement.scrollWidth > width + 1) {
  found.push('the document is ' + document.documentElement.scrollWidth + ' px wide');
}
const reported = [];
for (const e of document.body.querySelectorAll('*')) {
  const box = e.getBoundingClientRect();
  if ((box.width === 0 && box.height === 0) || box.right <= width + 1) continue;
  if (reported.some(r => r.contains(e))) continue;
  let held = false;
  for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
    const style = getComputedStyle(p).overflowX;
    if (style === 'auto' || style === 'scroll') { held = p.getBoundingClientRect().right <= width + 1; break; }
  }
  if (held) continue;
  reported.push(e);
  found.push(name(e) + ' reaches ' + Math.round(box.right) + ' px');
}
return [width, found.slice(0, 8)];
"""

# The visible text nodes of the page, in the page's language, with the element that shows each.
VISIBLE_TEXTS = """
const language = document.documentElement.lang;
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
const texts = [];
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  const text = node.textContent.replace(/\\s+/g, ' ').trim();
  const parent = node.parentElement;
  if (!text || !parent || parent.closest('script, style, noscript, template')) continue;
  const own = parent.closest('[lang]');
  if (own && own.lang !== language) continue;
  if (!parent.getClientRects().length || getComputedStyle(parent).visibility === 'hidden') continue;
  texts.push([text, parent.tagName.toLowerCase() + (parent.className ? '.' + parent.className : '')]);
}
return texts;
"""

# Fills a calculator's required fields with plausible values (numbers a quarter up their range, the last choice of each
# list, the first of each group of radios) and calculates.
FILL_AND_SUBMIT = """
const form = document.querySelector('main form');
if (!form) return false;
for (const input of form.querySelectorAll('input[type=number][required], input[type=text][required]')) {
  if (input.value) continue;
  const low = parseFloat(input.min || '1'), high = parseFloat(input.max || '10');
  const step = parseFloat(input.step) || 1;
  input.value = String(Math.round((low + (high - low) / 4) / step) * step);
}
for (const select of form.querySelectorAll('select[required]')) {
  if (!select.value && select.options.length) select.selectedIndex = select.options.length - 1;
}
const groups = new Set([...form.querySelectorAll('input[type=radio]')].map(r => r.name));
for (const group of groups) {
  if (!form.querySelector('input[type=radio][name="' + group + '"]:checked')) {
    form.querySelector('input[type=radio][name="' + group + '"]').checked = true;
  }
}
form.noValidate = true;
(form.querySelector('[type=submit]') ? form.requestSubmit(form.querySelector('[type=submit]')) : form.requestSubmit());
return true;
"""

SUBMIT_EMPTY = """
const form = [...document.querySelectorAll('main form[method=post], main form[method=POST]')]
  .find(f => f.querySelector('textarea, input[type=text], input[type=number], select'));
if (!form) return false;
form.noValidate = true;
form.requestSubmit(form.querySelector('button[type=submit]:not([name])') || undefined);
return true;
"""


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href and not href.startswith(("#", "mailto:", "tel:", "javascript:")):
            self.found.append(href)


def untranslated_msgids() -> dict[str, set[str]]:
    """For each translated language, the English msgids whose translation differs from them."""
    catalogues = {}
    for language in TRANSLATED:
        catalogue = polib.pofile(str(ROOT / "locale" / language.locale_folder / "LC_MESSAGES" / "django.po"))
        catalogues[language.code] = {
            entry.msgid
            for entry in catalogue
            if entry.msgstr
            and entry.msgstr != entry.msgid
            and not entry.obsolete
            and "fuzzy" not in entry.flags
        }
    return catalogues


# A path's kind: segments that hold an id, a case code, a token or an institution's code are one
# kind each ("/consultations/*/edit/"); a calculator's code is kept (each calculator is its own page).
VARIABLE_SEGMENT = re.compile(r"\d|^[A-Z][A-Z-]+$|^[0-9a-f-]{32,36}$")


def page_kind(path: str) -> str:
    segments = path.strip("/").split("/")
    if segments[0] == "scores":
        return path.rstrip("/") or "/"
    return "/" + "/".join("*" if VARIABLE_SEGMENT.search(part) else part for part in segments)


def page_key(path: str, query: str) -> tuple[str, ...] | None:
    """What tells two pages apart in the walk (the kind of path, as its URL name would, and the
    query's parameters), or None for what is not followed."""
    if NOT_PAGES.search(path) or NOT_FOLLOWED.search(path) or ADMIN_CHANGES.search(path):
        return None
    if path.startswith("/admin/"):
        return (page_kind(path),)  # the admin's sorting and filters are one page each
    parameters = parse_qsl(query)
    return (
        page_kind(path),
        *sorted({key for key, _ in parameters if key != "page"}),
        *sorted(f"{key}={value}" for key, value in parameters if key == "box"),  # each list of cases
    )


def signed_in_session(url: str, email: str) -> requests.Session:
    """Signed in over HTTP, the second step with the demo's code that the page shows."""
    session = requests.Session()
    session.get(f"{url}/accounts/login/", timeout=30)
    answer = session.post(
        f"{url}/accounts/login/",
        data={
            "username": email,
            "password": DEMO_PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": f"{url}/accounts/login/"},
        timeout=30,
    )
    if "/accounts/login/verify/" in answer.url:
        code = re.search(r'class="demo">[^<]*?(\d{6})', answer.text)
        assert code, f"No demonstration code on the second step for {email}"
        answer = session.post(
            answer.url,
            data={"code": code.group(1), "csrfmiddlewaretoken": session.cookies["csrftoken"]},
            headers={"Referer": answer.url},
            timeout=30,
        )
    assert "/accounts/login/" not in answer.url, f"{email} could not sign in"
    return session


def walk(url: str, session: requests.Session, seen: set[tuple[str, ...]]) -> list[str]:
    """The pages the person reaches from the home page (whose menu is on every page), one per
    kind of page not in `seen`."""
    host = urlsplit(url).netloc
    queue, pages, mine = [f"{url}/"], list[str](), set[tuple[str, ...]]()
    while queue and len(pages) < PAGES_PER_PERSONA:
        address = queue.pop(0)
        parts = urlsplit(address)
        key = page_key(parts.path, parts.query)
        if key is None or key in mine or (key in seen and key[0] not in PER_PERSONA):
            continue
        mine.add(key)
        answer = session.get(address, timeout=60)
        if answer.status_code != 200 or "text/html" not in answer.headers.get("Content-Type", ""):
            continue
        seen.add(key)
        pages.append(address)
        links = Links()
        links.feed(answer.text)
        for href in links.found:
            target = urljoin(address, href).split("#")[0]
            if urlsplit(target).netloc == host:
                queue.append(target)
    return pages


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    platform = DemoPlatform(tmp_path_factory.mktemp("platform"))
    with platform.serving() as url:
        yield url, platform.database


@pytest.fixture(scope="module")
def seen() -> set[tuple[str, ...]]:
    """Kinds of page already laid out for an earlier persona."""
    return set()


@pytest.fixture(scope="module")
def msgids() -> dict[str, set[str]]:
    return untranslated_msgids()


def read_in(database: Path, email: str, language: str) -> None:
    with sqlite3.connect(database) as db:
        db.execute("UPDATE accounts_user SET preferred_language = ? WHERE email = ?", (language, email))


def problems_on(phone: Any, where: str, language: str, msgids: dict[str, set[str]]) -> list[str]:
    """What is wrong with the page the phone shows now."""
    found = []
    width, wide = phone.execute_script(OVERFLOW)
    if width > 360:
        found.append(f"{where}: laid out {width} px wide, not at 360 px")
    found += [f"{where}: past the right edge: {what}" for what in wide]
    # A refused form is answered 400 on purpose; the browser logs that as an error of the page itself.
    refused = f"{phone.current_url} - Failed to load resource: the server responded with a status of 400"
    errors = [
        entry["message"]
        for entry in phone.get_log("browser")
        if entry["level"] == "SEVERE" and not entry["message"].startswith(refused)
    ]
    found += [f"{where}: console error: {message}" for message in errors]
    if language in msgids:
        for text, element in phone.execute_script(VISIBLE_TEXTS):
            if text in msgids[language]:
                found.append(f"{where}: not translated: {element} shows {text!r}")
    return found


def loaded(phone: Any, address: str) -> None:
    phone.get(address)
    wait_for(lambda: phone.execute_script("return document.readyState") == "complete", address, phone)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_a_persona_reaches_fits_a_phone_in_three_languages(platform, seen, msgids, persona):
    url, database = platform
    email = PERSONAS[persona]
    session = signed_in_session(url, email)
    pages = walk(url, session, seen)
    assert pages, f"The {persona} reaches no page"
    problems: list[str] = []
    calculated: dict[str, str] = {}  # a calculator's address: its result's
    with chromium(PHONE, phone=True) as phone:
        phone.get(f"{url}/accounts/login/")  # a page of the site, to give the browser its cookies
        for name in ("sessionid", "csrftoken"):
            if name in session.cookies:
                phone.add_cookie({"name": name, "value": session.cookies[name], "path": "/"})
        for language in CODES:
            read_in(database, email, language)
            for address in pages:
                where = f"{persona}, {language}, {address.removeprefix(url)}"
                if address in calculated:
                    # The result page holds the calculator's form too: once filled in, in the
                    # first language, its address is laid out in the others.
                    loaded(phone, calculated[address])
                    assert phone.find_element("tag name", "html").get_attribute("lang") == language, where
                    problems += problems_on(phone, f"{where} (calculated)", language, msgids)
                    continue
                loaded(phone, address)
                assert phone.find_element("tag name", "html").get_attribute("lang") == language, where
                problems += problems_on(phone, where, language, msgids)
                kind = page_kind(urlsplit(address).path)
                if (
                    kind.startswith("/scores/")
                    and kind != "/scores"
                    and phone.execute_script(FILL_AND_SUBMIT)
                ):
                    wait_for(
                        lambda: (
                            "calculate" in phone.current_url
                            and phone.execute_script("return document.readyState") == "complete"
                        ),
                        "the calculation",
                        phone,
                    )
                    calculated[address] = phone.current_url
                    problems += problems_on(phone, f"{where} (calculated)", language, msgids)
                if kind == "/consultations/new" and phone.execute_script(SUBMIT_EMPTY):
                    wait_for(
                        lambda: phone.find_elements("css selector", ".errors, .error-summary"),
                        "errors",
                        phone,
                    )
                    problems += problems_on(phone, f"{where} (sent empty)", language, msgids)
    assert not problems, f"{len(problems)} problems on {len(pages)} pages:\n" + "\n".join(problems)

"""In a real browser at 360 px, in the three languages: the sessions' pages as the demo
coordinator sees them (the form, a session with its check-in code, the attendance list) and as
the demo trainee does (the list, a held session, the check-in and feedback pages), and the
supervisor's follow-up question."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import polib
import pytest

from lib.languages import CODES
from lib.languages import language as language_of
from neurodaraja.testing.platform import ROOT, DemoPlatform, chromium, needs_chromium, sign_in

pytestmark = needs_chromium

COORDINATOR = "coordinator@demo.neurodaraja.test"
TRAINEE = "trainee@demo.neurodaraja.test"
SUPERVISOR = "neurosurgeon@demo.neurodaraja.test"
IDS = """
from training.sessions.models import FollowUp, Session
held = Session.objects.filter(status="held").order_by("starts_at").first()
coming = Session.objects.filter(status="planned").order_by("starts_at").first()
print(held.pk, coming.pk, FollowUp.objects.get().pk)
"""
# Visible texts in the page's language (not inside an element marked with another `lang`).
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
  if (!parent.getClientRects().length) continue;
  texts.push(text);
}
return texts;
"""
PAST_THE_EDGE = (
    "const w = document.documentElement.clientWidth;"
    "return [w, [...document.querySelectorAll('main *')]"
    ".filter(e => e.getBoundingClientRect().right > w + 1 && !e.closest('.table-wrap'))"
    ".map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 40))"
    ".slice(0, 5)];"
)


def english_msgids(language: str) -> set[str]:
    """The English msgids whose translation in this language differs: shown as they are, they
    were left untranslated."""
    if language == "en":
        return set()
    folder = language_of(language).locale_folder
    catalogue = polib.pofile(str(ROOT / "locale" / folder / "LC_MESSAGES" / "django.po"))
    return {e.msgid for e in catalogue if e.msgstr and e.msgstr != e.msgid and not e.obsolete}


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, list[str]]]:
    platform = DemoPlatform(tmp_path_factory.mktemp("platform"))
    ids = platform.manage("shell", "-c", IDS).strip().splitlines()[-1].split()
    with platform.serving() as url:
        yield url, platform.database, ids


@pytest.mark.parametrize("language", CODES)
def test_the_session_pages_fit_a_360_pixel_phone(platform, language):
    from selenium.webdriver.common.by import By

    url, database, (held, coming, follow_up) = platform
    untranslated = english_msgids(language)
    for person, paths in [
        (
            COORDINATOR,
            [
                "/training/sessions/new/",
                f"/training/sessions/{coming}/",
                f"/training/sessions/{coming}/edit/",
                f"/training/sessions/{held}/",  # with the feedback and the supervisors' answers
                f"/training/sessions/{held}/attendance/",
                f"/training/sessions/{held}/attendance/?q=demo",  # the found list: every demo person
            ],
        ),
        (
            TRAINEE,
            [
                "/training/sessions/",
                f"/training/sessions/{held}/",
                f"/training/sessions/{held}/feedback/",
                "/training/sessions/check-in/",
            ],
        ),
        (SUPERVISOR, [f"/training/sessions/follow-up/{follow_up}/"]),
    ]:
        with chromium("360,740", phone=True) as phone:
            sign_in(phone, url, database, language, person)
            for path in paths:
                phone.get(f"{url}{path}")
                assert phone.find_element(By.TAG_NAME, "html").get_attribute("lang") == language, path
                assert phone.find_elements(By.TAG_NAME, "h1"), path
                width, wide = phone.execute_script(PAST_THE_EDGE)
                assert width <= 360 and not wide, (path, wide)
                left = [text for text in phone.execute_script(VISIBLE_TEXTS) if text in untranslated]
                assert left == [], (path, left)

"""The shared layout (templates/base.html and its includes), as the server sends it: the header
folds behind one menu button, the language menu names each language in its own name, every page
links a favicon that is there, and a refused form starts with a summary of what is wrong."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

from lib.languages import CODES


def test_each_language_is_named_in_its_own_name_whatever_the_page_language(cast, as_user):
    client = as_user(cast.referrer)
    for language in CODES:
        cast.referrer.preferred_language = language
        cast.referrer.save(update_fields=["preferred_language"])
        page = client.get("/accounts/profile/").content.decode()
        switcher = page[page.index('id="language-switch"') : page.index("</select>")]
        names = re.findall(r'<option value="([^"]+)"[^>]*>([^<]+)</option>', switcher)
        assert names == [("en", "English"), ("sw", "Kiswahili"), ("zh-hans", "简体中文")], language


def test_every_page_links_a_favicon_that_is_there(client, db):
    page = client.get("/accounts/login/").content.decode()
    href = re.search(r'<link rel="icon" href="([^"]+)"', page)
    assert href, "no favicon linked"
    assert href.group(1).startswith("/static/") and href.group(1).endswith(".svg")
    assert finders.find("favicon.svg")


def test_the_menu_language_and_sign_out_fold_into_one_menu_that_works_without_javascript(cast, as_user):
    page = as_user(cast.referrer).get("/").content.decode()
    menu = page[page.index("<details") : page.index("</details>")]
    assert "<summary" in menu
    for part in ('aria-label="Main menu"', 'id="language-switch"', "/accounts/logout/"):
        assert part in menu, part


@pytest.mark.parametrize(
    ("language", "title"),
    [("en", "There is a problem"), ("sw", "Kuna tatizo"), ("zh-hans", "存在问题，请更正")],
)
def test_a_refused_form_starts_with_a_summary_linking_to_each_field_in_error(cast, as_user, language, title):
    cast.referrer.preferred_language = language
    cast.referrer.save(update_fields=["preferred_language"])
    response = as_user(cast.referrer).post(
        "/accounts/profile/",
        {"full_name": "", "preferred_language": language, "time_zone": "Africa/Dar_es_Salaam", "phone": "12"},
    )
    assert response.status_code == 400  # refused, as the profile view answers
    page = response.content.decode()
    summary = page[
        page.index('class="error-summary"') : page.index("</ul>", page.index('class="error-summary"'))
    ]
    assert title in summary
    assert 'href="#id_full_name"' in summary and 'href="#id_phone"' in summary
    # The summary comes before the form's first field, so it is what a phone shows first.
    assert page.index('class="error-summary"') < page.index('id="id_full_name"')


def test_a_refused_sign_in_summarises_the_error_that_belongs_to_no_field(client, db):
    page = client.post(
        "/accounts/login/", {"username": "nobody@example.test", "password": "wrong"}
    ).content.decode()
    start = page.index('class="error-summary"')
    summary = page[start : page.index("</div>", start)]
    assert "<li>" in summary and 'href="#' not in summary


def test_a_form_without_errors_has_no_summary(cast, as_user):
    assert "error-summary" not in as_user(cast.referrer).get("/accounts/profile/").content.decode()

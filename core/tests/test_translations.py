"""The catalogues are complete, and the checker catches what it must."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from lib.translation_check import check_catalogue

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'


def catalogue(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "django.po"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def reasons(path: Path) -> list[str]:
    return [problem.reason for problem in check_catalogue(path)]


def test_a_complete_catalogue_passes(tmp_path):
    path = catalogue(tmp_path, '#, python-format\nmsgid "Hello %(name)s"\nmsgstr "Habari %(name)s"\n')
    assert reasons(path) == []


def test_untranslated_and_fuzzy_entries_fail(tmp_path):
    path = catalogue(tmp_path, 'msgid "Save"\nmsgstr ""\n\n#, fuzzy\nmsgid "Cancel"\nmsgstr "Ghairi"\n')
    assert reasons(path) == ["untranslated", "fuzzy"]


def test_a_changed_placeholder_fails(tmp_path):
    path = catalogue(
        tmp_path,
        '#, python-format\nmsgid "Welcome, %(name)s"\nmsgstr "Karibu, %(jina)s"\n\n'
        '#, python-format\nmsgid "%(count)s cases"\nmsgstr "kesi"\n',
    )
    found = reasons(path)
    assert len(found) == 2 and all("placeholders" in reason for reason in found)


def test_a_chinese_plural_may_keep_one_form(tmp_path):
    path = catalogue(
        tmp_path,
        '#, python-format\nmsgid "%(counter)s token"\nmsgid_plural "%(counter)s tokens"\n'
        'msgstr[0] "%(counter)s 个令牌"\n',
    )
    assert reasons(path) == []


@pytest.mark.parametrize("language", ["sw", "zh_Hans"])
def test_the_shipped_catalogues_are_complete(language):
    path = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"
    problems = check_catalogue(path)
    assert problems == [], "\n".join(str(problem) for problem in problems[:20])


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Sign in"), ("sw", "Ingia"), ("zh-hans", "登录")],
)
def test_the_sign_in_page_speaks_each_language(db, language, expected):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert response["Content-Language"] == language
    assert f"<h1>{expected}</h1>" in response.content.decode()


def test_error_messages_are_translated(db):
    with translation.override("zh-hans"):
        assert translation.gettext("This invitation has already been used.") == "此邀请已被使用。"
    with translation.override("sw"):
        assert translation.gettext("This invitation has already been used.") == "Mwaliko huu umeshatumika."

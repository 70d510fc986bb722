"""The languages NeuroDaraja ships in: the one list settings, forms, the API, content columns,
the translation checks and the system checks all read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  # Django's language code (the cookie, the URL, a person's preference)
    name: str  # its own name, as a reader of that language looks for it in the switcher
    locale_folder: str  # the catalogue's folder under locale/

    @property
    def column_suffix(self) -> str:
        """How content columns are named for it: name_en, name_sw, name_zh_hans."""
        return self.code.replace("-", "_")


LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", "en"),
    Language("sw", "Kiswahili", "sw"),
    Language("zh-hans", "简体中文", "zh_Hans"),
)
SOURCE_LANGUAGE = LANGUAGES[0]  # the code's strings are written in it
CODES: tuple[str, ...] = tuple(language.code for language in LANGUAGES)
TRANSLATED: tuple[Language, ...] = tuple(language for language in LANGUAGES if language != SOURCE_LANGUAGE)


def language(code: str) -> Language:
    for candidate in LANGUAGES:
        if candidate.code == code:
            return candidate
    raise KeyError(code)

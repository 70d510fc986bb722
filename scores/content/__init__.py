"""Score labels, interpretations, populations and limits: content in three languages.

Content, not interface text (STYLE.md): one module per language with the same keys. Clinicians
in each country wrote or checked their language. `text(key, language)` falls back to English
only for a key a language lacks, which the tests forbid.
"""

from __future__ import annotations

from scores.content import en, sw, zh_hans

CONTENT: dict[str, dict[str, str]] = {"en": en.TEXT, "sw": sw.TEXT, "zh-hans": zh_hans.TEXT}


def text(key: str, language: str, **params: object) -> str:
    catalogue = CONTENT.get(language) or CONTENT["en"]
    value = catalogue.get(key) or CONTENT["en"].get(key) or key
    return value % params if params else value


def first(keys: list[str], language: str) -> str:
    """The first of several keys that has content (e.g. a calculator's own label, then a shared one)."""
    for key in keys:
        if key in CONTENT["en"]:
            return text(key, language)
    return keys[-1]

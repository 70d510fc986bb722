"""Content in three languages: one column per language, chosen by the active language."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lib.languages import CODES, language


def column_suffix(code: str) -> str:
    return language(code).column_suffix if code in CODES else code.replace("-", "_")


class MultilingualName(models.Model):
    """A name an administrator writes once per language (content, not interface text)."""

    name_en = models.CharField(_("name in English"), max_length=200)
    name_sw = models.CharField(_("name in Kiswahili"), max_length=200)
    name_zh_hans = models.CharField(_("name in Chinese"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        translated = getattr(self, f"name_{column_suffix(get_language() or 'en')}", "")
        return translated or self.name_en

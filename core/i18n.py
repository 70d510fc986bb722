"""Content in three languages: one column per language, chosen by the active language."""

from __future__ import annotations

from datetime import datetime, tzinfo

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from lib.languages import CODES, language
from lib.roster import utc_offset


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


def zone_name(moment: datetime) -> str:
    """The zone of an aware time as a person picks it in their profile ("Africa/Dar es Salaam")."""
    key = getattr(moment.tzinfo, "key", None) or moment.tzname() or "UTC"
    return key.replace("_", " ")


def zone_with_offset(moment: datetime, zone: tzinfo | None = None) -> str:
    """'Africa/Dar es Salaam, UTC+03:00': the active zone (or `zone`) at `moment`, as every page
    names it."""
    local = timezone.localtime(moment, zone)
    return gettext("%(zone)s, UTC%(offset)s") % {"zone": zone_name(local), "offset": utc_offset(local)}


def datetime_with_zone(moment: datetime) -> str:
    """A time in the active zone, which is named with its offset: a printed time travels between
    Dar es Salaam (UTC+3) and China (UTC+8), where the same 23:00 reads 04:00."""
    local = timezone.localtime(moment)
    offset = local.strftime("%z")  # "+0300"
    return gettext("%(datetime)s (%(zone)s, UTC%(offset)s)") % {
        "datetime": formats.date_format(local, "SHORT_DATETIME_FORMAT"),
        "zone": zone_name(local),
        "offset": f"{offset[:3]}:{offset[3:]}",
    }

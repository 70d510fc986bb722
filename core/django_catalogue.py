"""Strings of Django's own that its Kiswahili catalogue leaves in English, declared again here so
that makemessages keeps them in ours, where they are translated (our catalogue is read before
Django's). Nothing imports this module's values; its calls are what the extraction reads.

Django's `timesince` ("decided 3 minutes after logging") builds its durations from these."""

from __future__ import annotations

from django.utils.translation import ngettext_lazy

TIMESINCE = (
    ngettext_lazy("%(num)d year", "%(num)d years", "num"),
    ngettext_lazy("%(num)d month", "%(num)d months", "num"),
    ngettext_lazy("%(num)d week", "%(num)d weeks", "num"),
    ngettext_lazy("%(num)d day", "%(num)d days", "num"),
    ngettext_lazy("%(num)d hour", "%(num)d hours", "num"),
    ngettext_lazy("%(num)d minute", "%(num)d minutes", "num"),
)

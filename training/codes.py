"""The logbook's supervision codes (UK eLogbook, DOMAIN.md), from least to most independent.

Plain Python: the progress page, the API and the pages read the one order.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Supervision(models.TextChoices):
    OBSERVED = "O", _("O – observed")
    ASSISTED = "A", _("A – assisted")
    TRAINER_SCRUBBED = "S-TS", _("S-TS – supervised, trainer scrubbed")
    TRAINER_UNSCRUBBED = "S-TU", _("S-TU – supervised, trainer unscrubbed")
    PERFORMED = "P", _("P – performed, no trainer present")
    TRAINED = "T", _("T – trained a more junior surgeon")


# Lowest autonomy first: a requirement "at level S-TU" counts S-TU, P and T entries.
ORDER: tuple[str, ...] = tuple(Supervision.values)


def at_or_above(level: str) -> tuple[str, ...]:
    return ORDER[ORDER.index(level) :]

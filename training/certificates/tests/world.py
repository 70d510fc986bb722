"""The certificates' test world: the logbook's training world (the cast's trainee enrolled at
MOI in Year 2 of an MMed, so Year 1 is completed) and certificates issued through the actions."""

from __future__ import annotations

import io
import re

from django.core.cache import cache
from pypdf import PdfReader

from neurodaraja.testing.personas import Personas
from training.certificates import actions
from training.certificates.models import Certificate
from training.models import Enrolment
from training.tests.world import World, training_world


def certificates_world(cast: Personas) -> World:
    """Training's world, or the one already built (the access matrix builds every app's objects
    in one database)."""
    enrolment = Enrolment.objects.filter(trainee=cast.trainee, programme__code="mmed").first()
    if enrolment is None:
        return training_world(cast)
    stages = list(enrolment.programme.stages.order_by("position"))
    return World(enrolment.programme, stages[0], stages[1], enrolment)


def year_one(cast: Personas, world: World | None = None) -> Certificate:
    """Year 1 completed, certified by MOI's coordinator."""
    world = world or certificates_world(cast)
    return actions.issue_milestone(cast.coordinator, world.enrolment, world.first_year)


def fresh_lookups() -> None:
    """The lookup counts live in the cache, which outlives a test: each test starts from none."""
    cache.clear()


def pdf_text(pdf: bytes) -> str:
    """The first page's text without spaces: pypdf reads the subset font's two-byte codes with
    a NUL before each glyph, and spaces them out."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    return re.sub(r"[\s\x00]+", "", page.extract_text())

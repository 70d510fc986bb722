from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import load_demo as load_people
from consultations.demo import load_demo as load_cases
from imaging.demo import load_demo as load_imaging


class Command(BaseCommand):
    help = "Load the demonstration institutions, fictional people and cases (only with DEMO_MODE=true)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Demo data is loaded only when DEMO_MODE=true (never in production).")
        created = load_people()
        cases = load_cases()
        self.stdout.write(
            "Demo data ready: {institutions} institutions, {people} people and {roles} roles created "
            "(0 means they were already there).".format(**created)
            + f" {cases} demo consultations created."
        )
        self.stdout.write(load_imaging())

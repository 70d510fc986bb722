from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import load_demo


class Command(BaseCommand):
    help = "Load the demonstration institutions and fictional people (only with DEMO_MODE=true)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Demo data is loaded only when DEMO_MODE=true (never in production).")
        created = load_demo()
        self.stdout.write(
            "Demo data ready: {institutions} institutions, {people} people and {roles} roles created "
            "(0 means they were already there).".format(**created)
        )

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.plugins import demo_loaders


class Command(BaseCommand):
    help = "Load the demonstration institutions, fictional people and cases (only with DEMO_MODE=true)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Demo data is loaded only when DEMO_MODE=true (never in production).")
        # Every app's loader (core.plugins), each after the ones it builds on; each is idempotent.
        for loader in demo_loaders():
            self.stdout.write(loader.load())

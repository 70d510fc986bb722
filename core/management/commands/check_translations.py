from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lib.languages import TRANSLATED
from lib.translation_check import check_catalogue

CHECKED_LANGUAGES = tuple(language.locale_folder for language in TRANSLATED)


class Command(BaseCommand):
    help = "Fail when a Kiswahili or Chinese string is missing, fuzzy or has wrong placeholders."
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        problems = []
        for root in settings.LOCALE_PATHS:
            for language in CHECKED_LANGUAGES:
                catalogue = Path(root) / language / "LC_MESSAGES" / "django.po"
                if not catalogue.exists():
                    raise CommandError(f"Missing catalogue {catalogue}.")
                problems.extend(check_catalogue(catalogue))
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} translation problem(s).")
        self.stdout.write(f"Translations complete: {', '.join(CHECKED_LANGUAGES)}.")

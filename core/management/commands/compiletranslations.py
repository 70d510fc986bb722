from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from lib.translation_check import compile_catalogue


class Command(BaseCommand):
    help = "Compile the project's .po catalogues to .mo without needing GNU gettext."
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for root in settings.LOCALE_PATHS:
            for po in sorted(Path(root).glob("*/LC_MESSAGES/*.po")):
                mo = po.with_suffix(".mo")
                if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
                    continue
                compile_catalogue(po)
                count += 1
        self.stdout.write(f"Compiled {count} catalogue(s).")

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.models import AuditEntry
from core.plugins import demo_loaders


class Command(BaseCommand):
    help = "Load the demonstration institutions, fictional people and cases (only with DEMO_MODE=true)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Demo data is loaded only when DEMO_MODE=true (never in production).")
        self._set_aside_heads_of_an_earlier_database()
        # Every app's loader (core.plugins), each after the ones it builds on; each is idempotent.
        for loader in demo_loaders():
            self.stdout.write(loader.load())

    def _set_aside_heads_of_an_earlier_database(self) -> None:
        """A demo rebuilt on a new database would be checked against the heads recorded for the
        old one, and the nightly check would cry tampering. With no audit entry yet, the file
        belongs to another database: it is kept, renamed, not deleted."""
        path = Path(settings.AUDIT_HEAD_FILE)
        if AuditEntry.objects.exists() or not path.exists():
            return
        kept = path.with_name(f"{path.name}.earlier-database-{timezone.now():%Y%m%d-%H%M%S}")
        path.rename(kept)
        self.stdout.write(f"Audit heads of an earlier database kept as {kept}; a new file starts tonight.")

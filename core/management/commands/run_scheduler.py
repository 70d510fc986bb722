from __future__ import annotations

import signal
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from core.scheduler import enqueue_due_jobs, periodic_jobs


class Command(BaseCommand):
    help = "Enqueue recurring jobs (reminders, escalations, digests) when they fall due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run one tick and exit.")

    def handle(self, *args: Any, once: bool = False, **options: Any) -> None:
        self.running = True

        def stop(signum: int, frame: FrameType | None) -> None:
            self.running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        names = ", ".join(job.name for job in periodic_jobs())
        self.stdout.write(f"Scheduler started with jobs: {names}")
        while self.running:
            for name in enqueue_due_jobs(timezone.now()):
                self.stdout.write(f"Enqueued {name}")
            if once:
                return
            deadline = time.monotonic() + settings.SCHEDULER_TICK_SECONDS
            while self.running and time.monotonic() < deadline:
                time.sleep(0.5)

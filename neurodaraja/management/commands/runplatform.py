from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from accounts.demo import DEMO_PASSWORD, PEOPLE


class Command(BaseCommand):
    help = "Start the web server, the background worker and the scheduler together; stop all on Ctrl-C."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--web-workers", default=os.environ.get("WEB_WORKERS", "2"))

    def handle(self, *args: Any, host: str, port: str, web_workers: str, **options: Any) -> None:
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
        commands = {
            "web": [
                gunicorn,
                "neurodaraja.wsgi",
                "--bind",
                f"{host}:{port}",
                "--workers",
                web_workers,
                "--access-logfile",
                "-",
                "--graceful-timeout",
                "10",
            ],
            "worker": [*manage, "db_worker", "--no-reload"],
            "scheduler": [*manage, "run_scheduler"],
        }
        children = {
            name: subprocess.Popen(command, cwd=settings.BASE_DIR)  # noqa: S603 - our own commands
            for name, command in commands.items()
        }
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        self._banner(host, port)
        exit_code = 0
        while not stopping:
            for name, child in children.items():
                if child.poll() is not None:
                    self.stderr.write(f"The {name} process stopped (exit {child.returncode}); stopping all.")
                    exit_code = child.returncode or 1
                    stopping = True
                    break
            time.sleep(0.5)
        for child in children.values():
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + 15
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
        self.stdout.write("NeuroDaraja stopped.")
        if exit_code:
            sys.exit(exit_code)

    def _banner(self, host: str, port: str) -> None:
        shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104
        lines = [
            "",
            f"NeuroDaraja is running at http://{shown_host}:{port}/  (Ctrl-C stops it)",
            "Web server, background worker and scheduler started.",
        ]
        if settings.DEMO_MODE:
            lines += ["", f"Demo accounts (fictional people), password for all: {DEMO_PASSWORD}"]
            for person in PEOPLE:
                roles = ", ".join(f"{role} @ {code}" for code, role in person.roles)
                lines.append(f"  {person.email:45} {roles}")
            lines += [
                "Consultants, coordinators and administrators also need a code from an authenticator:",
                "in demo mode the sign-in page shows it, or run: .venv/bin/python manage.py democodes",
            ]
        self.stdout.write("\n".join(lines) + "\n")

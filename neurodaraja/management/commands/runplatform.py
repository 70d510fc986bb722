from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management.base import BaseCommand, CommandParser

from accounts.demo import DEMO_PASSWORD, PEOPLE

# Gunicorn's fields: client, time, method, path (no query), protocol, status, bytes, duration.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'


class Command(BaseCommand):
    help = "Start the web server, the background worker and the scheduler together; stop all on Ctrl-C."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--web-workers", default=os.environ.get("WEB_WORKERS", "2"))

    def handle(self, *args: Any, host: str, port: str, web_workers: str, **options: Any) -> None:
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104
        static_root = collected_static(manage, say=self.stdout.write)
        environment = children_environment(os.environ, shown_host, port, static_root)
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
                # The path without its query string, and no referrer: a search's parameters (a
                # DICOMweb PatientName=…, a list filter) may be what someone typed about a patient.
                "--access-logformat",
                ACCESS_LOG_FORMAT,
                "--graceful-timeout",
                "10",
            ],
            "worker": [*manage, "db_worker", "--no-reload"],
            "scheduler": [*manage, "run_scheduler"],
        }
        children = {
            name: subprocess.Popen(command, cwd=settings.BASE_DIR, env=environment)  # noqa: S603 - our own commands
            for name, command in commands.items()
        }
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        self._banner(shown_host, port)
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

    def _banner(self, shown_host: str, port: str) -> None:
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


def children_environment(
    environ: Mapping[str, str], shown_host: str, port: str, static_root: Path
) -> dict[str, str]:
    """What the web server, the worker and the scheduler are started with."""
    return {
        **environ,
        "PORT": port,
        # E-mails and SMS link to where this server answers, unless told otherwise.
        "SITE_URL": environ.get("SITE_URL") or f"http://{shown_host}:{port}",
        # Hashed names with a year's immutable cache, also in the demo (DEBUG): a phone on a slow
        # link then never asks for the stylesheet or a script again.
        "HASHED_STATIC": "true",
        "STATIC_ROOT": str(static_root),
    }


def collected_static(manage: list[str], say: Callable[[str], Any] = print) -> Path:
    """The static files under hashed names, collected once per version of their sources.

    Each version gets its own folder, named by a digest of the sources, filled under a temporary
    name and renamed into place: platforms started side by side (tests) never read a half-written
    manifest, and a start after a stylesheet changed never serves the old one.
    """
    sources = sorted(
        (path, Path(storage.path(path)))
        for finder in finders.get_finders()
        for path, storage in finder.list([])
    )
    digest = hashlib.sha256()
    for name, path in sources:
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    home = settings.BASE_DIR / "var" / "runplatform-static"
    folder = home / digest.hexdigest()[:16]
    if (folder / "staticfiles.json").exists():
        os.utime(folder)  # in use: not pruned below
        return folder
    home.mkdir(parents=True, exist_ok=True)
    for old in home.iterdir():  # versions nobody has started for a week
        if time.time() - old.stat().st_mtime > 7 * 24 * 3600:
            shutil.rmtree(old, ignore_errors=True)
    say("Collecting the static files under hashed names (once per version)…")
    partial = Path(tempfile.mkdtemp(prefix=".collecting-", dir=home))
    subprocess.run(  # noqa: S603 - our own command
        [*manage, "collectstatic", "--noinput", "-v0"],
        env={**os.environ, "HASHED_STATIC": "true", "STATIC_ROOT": str(partial)},
        cwd=settings.BASE_DIR,
        check=True,
    )
    try:
        partial.rename(folder)
    except OSError:  # another start collected the same version first
        shutil.rmtree(partial, ignore_errors=True)
    return folder

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from imaging.models import DicomSender
from imaging.node_tasks import production_node, spool_root


class Command(BaseCommand):
    help = (
        "Run the DICOM node: a C-STORE (and C-ECHO) service that scanners and PACS send studies to. "
        "Only the DICOM senders allowed in the admin may connect; what they send is de-identified "
        "and stored by the worker (manage.py db_worker). Stops on Ctrl-C."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--port", type=int, default=settings.DICOM_NODE_PORT, help="TCP port to listen on."
        )
        parser.add_argument(
            "--ae-title",
            default=settings.DICOM_NODE_AE_TITLE,
            help="The node's AE title: senders must call it by this name.",
        )
        parser.add_argument("--host", default="", help="Address to listen on (default: all).")

    def handle(self, *args: Any, port: int, ae_title: str, host: str, **options: Any) -> None:
        title = ae_title.strip()
        if not title or len(title) > 16 or "\\" in title:
            raise CommandError("An AE title has 1 to 16 characters and no backslash.")
        node = production_node(title)
        stopping = threading.Event()

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping.set()

        previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            try:
                bound_host, bound_port = node.start(host, port)
            except OSError as error:
                raise CommandError(f"Cannot listen on port {port}: {error.strerror}.") from error
            self._banner(title, bound_host, bound_port)
            # Wake up now and then: Ctrl-C may land on one of pynetdicom's threads, and Python
            # runs the handler only when the main thread next gets to run.
            while not stopping.wait(timeout=0.5):
                continue
            self.stdout.write("Stopping: open associations are aborted; what they sent is kept.")
            node.stop()
            self.stdout.write("DICOM node stopped.")
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _banner(self, title: str, host: str, port: int) -> None:
        senders = DicomSender.objects.select_related("institution").order_by("ae_title")
        lines = [
            f"DICOM node {title} listening on {host}:{port} (Ctrl-C stops it).",
            f"Spool: {spool_root()}",
            "Allowed senders (calling AE titles, managed in the admin):",
        ]
        allowed = [s for s in senders if s.is_active]
        lines += [f"  {s.ae_title:16}  {s.institution.short_code:10}  {s.description}" for s in allowed]
        if not allowed:
            lines.append("  none yet: every association will be refused until one is added.")
        disabled = [s.ae_title for s in senders if not s.is_active]
        if disabled:
            lines.append(f"Disabled: {', '.join(disabled)}")
        self.stdout.write("\n".join(lines))

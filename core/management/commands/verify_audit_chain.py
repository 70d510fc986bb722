from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.audit import check_recorded_heads, verify_chain
from lib.auditchain import InvalidHead, RecordedHead, parse_head, parse_head_file


class Command(BaseCommand):
    help = (
        "Verify the audit trail's hash chain and report the first broken link. With --against or "
        "--head, also check that heads written down earlier (outside the database) are still on "
        "the chain, which catches a history rewritten with every hash recomputed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--against",
            metavar="FILE",
            type=Path,
            help="a head file written by the nightly job (AUDIT_HEAD_FILE), or a copy of it",
        )
        parser.add_argument(
            "--head",
            metavar="ID:HASH",
            action="append",
            default=[],
            help="a head as the nightly e-mail gives it (may be repeated)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        heads = self._heads(options["against"], options["head"])
        checked, broken = verify_chain()
        if broken is not None:
            raise CommandError(
                f"Audit chain broken at entry {broken.entry_id}: {broken.reason}. {checked} entries read."
            )
        if heads:
            mismatches = check_recorded_heads(heads)
            if mismatches:
                lines = "\n".join(f"  {m.head.source}: {m.reason}" for m in mismatches)
                raise CommandError(
                    f"The audit trail does not match {len(mismatches)} of {len(heads)} heads recorded "
                    f"outside the database, although its own chain is consistent ({checked} entries):\n"
                    f"{lines}\nTreat this as tampering: see docs/operations.md."
                )
        self.stdout.write(f"Audit chain intact: {checked} entries verified.")
        if heads:
            newest = max(heads, key=lambda head: head.entry_id)
            self.stdout.write(
                f"All {len(heads)} recorded heads are still on the chain "
                f"(the newest is entry {newest.entry_id}{_recorded(newest)})."
            )

    def _heads(self, against: Path | None, typed: list[str]) -> list[RecordedHead]:
        heads = []
        if against is not None:
            try:
                text = against.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"Cannot read the head file {against}: {error}") from None
            try:
                heads += [
                    RecordedHead(h.entry_id, h.entry_hash, h.recorded_at, f"{against}, {h.source.lower()}")
                    for h in parse_head_file(text)
                ]
            except InvalidHead as error:
                raise CommandError(f"{against}: {error}") from None
        for number, value in enumerate(typed, start=1):
            try:
                heads.append(parse_head(value, source=f"--head {number}"))
            except InvalidHead as error:
                raise CommandError(str(error)) from None
        return heads


def _recorded(head: RecordedHead) -> str:
    return f", recorded {head.recorded_at}" if head.recorded_at else ""

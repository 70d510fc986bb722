"""The audit trail's hash chain and the rules for its detail field.

Plain Python, no Django: the same code computes a hash when an entry is written and
when `verify_audit_chain` walks the trail.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

GENESIS_HASH = "0" * 64
MAX_DETAIL_BYTES = 2048

# Keys that would carry identifiable patient data. Detail holds what an auditor needs
# (ids, field names, counts), never the values a patient could be recognised from.
FORBIDDEN_DETAIL_KEYS = frozenset(
    {
        "name",
        "patient",
        "patient_name",
        "full_name",
        "phone",
        "phone_number",
        "date_of_birth",
        "dob",
        "birth_date",
        "hospital_number",
        "mrn",
        "address",
        "national_id",
    }
)
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
Scalar = str | int | bool | None


class InvalidDetail(ValueError):
    """The detail would put something in the audit trail that must not be there."""


def check_detail(detail: Mapping[str, object]) -> dict[str, object]:
    """Return the detail if it is small, flat and free of patient identifiers; raise otherwise."""
    clean: dict[str, object] = {}
    for key, value in detail.items():
        if not isinstance(key, str) or not _KEY.match(key):
            raise InvalidDetail(f"Audit detail key {key!r} must be a short snake_case name.")
        if key in FORBIDDEN_DETAIL_KEYS:
            raise InvalidDetail(f"Audit detail key {key!r} could hold identifiable data.")
        if isinstance(value, list | tuple):
            if not all(_is_scalar(item) for item in value):
                raise InvalidDetail(f"Audit detail {key!r} may only list plain values.")
            clean[key] = list(value)
        elif _is_scalar(value):
            clean[key] = value
        else:
            raise InvalidDetail(f"Audit detail {key!r} must be a plain value or a list of them.")
    if len(canonical_json(clean).encode()) > MAX_DETAIL_BYTES:
        raise InvalidDetail("Audit detail is too large; record ids, not content.")
    return clean


def _is_scalar(value: object) -> bool:
    # Floats are left out on purpose: their text form can change through a JSON column.
    return value is None or isinstance(value, str | int | bool)


def canonical_json(value: object) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class ChainFields:
    """What an entry's hash covers, in the form stored in the database."""

    previous_hash: str
    created_at: datetime
    actor_id: int | None
    actor_label: str
    action: str
    object_type: str
    object_id: str
    institution_id: int | None
    ip_address: str | None
    detail: Mapping[str, object]

    def digest(self) -> str:
        payload = canonical_json(
            [
                self.previous_hash,
                self.created_at.isoformat(timespec="microseconds"),
                self.actor_id,
                self.actor_label,
                self.action,
                self.object_type,
                self.object_id,
                self.institution_id,
                self.ip_address,
                dict(self.detail),
            ]
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class BrokenLink:
    entry_id: int
    reason: str


def find_first_break(entries: Iterable[tuple[int, ChainFields, str]]) -> BrokenLink | None:
    """Walk (id, fields, stored hash) in order; return the first entry that does not fit."""
    expected_previous = GENESIS_HASH
    for entry_id, fields, stored_hash in entries:
        if fields.previous_hash != expected_previous:
            return BrokenLink(
                entry_id,
                "its previous hash does not match the entry before it (removed or reordered)",
            )
        if fields.digest() != stored_hash:
            return BrokenLink(entry_id, "its content does not match its hash (altered)")
        expected_previous = stored_hash
    return None


# --- Heads kept outside the database ----------------------------------------------------------
# Someone who can rewrite the table can also recompute every hash, so the chain alone then
# verifies as intact. A head (entry id and its hash) written down elsewhere cannot be recomputed:
# if entry N no longer has the hash it had when it was written down, history before N changed.


class InvalidHead(ValueError):
    """A recorded head that cannot be read."""


@dataclass(frozen=True)
class RecordedHead:
    entry_id: int
    entry_hash: str
    recorded_at: str = ""  # as written in the file; only shown back to the reader
    source: str = ""  # where it came from ("line 3", "--head"), for the messages


_HASH = re.compile(r"^[0-9a-f]{64}$")


def parse_head(text: str, *, recorded_at: str = "", source: str = "") -> RecordedHead:
    """Read `ID:HASH` (the form the nightly file and e-mail give); raise InvalidHead otherwise."""
    entry_id, separator, entry_hash = text.strip().partition(":")
    entry_hash = entry_hash.strip().lower()
    if not separator or not entry_id.strip().isdigit() or not _HASH.match(entry_hash):
        raise InvalidHead(
            f"{source or 'The head'} is not a recorded head: expected ENTRY_ID:HASH "
            f"(a number, a colon and 64 hexadecimal characters), got {text.strip()[:100]!r}."
        )
    return RecordedHead(int(entry_id), entry_hash, recorded_at, source)


def head_line(entry_id: int, entry_hash: str, recorded_at: datetime) -> str:
    """One line of the head file: the time it was written, then `ID:HASH`."""
    return f"{recorded_at.isoformat(timespec='seconds')} {entry_id}:{entry_hash}\n"


def parse_head_file(text: str, *, require_heads: bool = True) -> list[RecordedHead]:
    """Every head in a head file; blank lines and `#` comments are skipped, anything else refused.

    A file with no head at all is refused unless `require_heads` is off (before the first night).
    """
    heads = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        parts = stripped.split()
        if len(parts) != 2:
            raise InvalidHead(
                f"Line {number} is not a recorded head: expected 'TIME ENTRY_ID:HASH', "
                f"got {stripped[:100]!r}."
            )
        recorded_at, head = parts
        try:
            datetime.fromisoformat(recorded_at)
        except ValueError:
            raise InvalidHead(
                f"Line {number} does not start with a time: expected 'TIME ENTRY_ID:HASH', "
                f"got {stripped[:100]!r}."
            ) from None
        heads.append(parse_head(head, recorded_at=recorded_at, source=f"Line {number}"))
    if not heads and require_heads:
        raise InvalidHead("The head file holds no recorded head.")
    return heads


@dataclass(frozen=True)
class HeadMismatch:
    head: RecordedHead
    reason: str


def check_heads(heads: Iterable[RecordedHead], stored: Mapping[int, str]) -> list[HeadMismatch]:
    """Compare recorded heads with the hashes stored now (entry id -> hash); list each that differs."""
    mismatches = []
    for head in heads:
        when = f" (recorded {head.recorded_at})" if head.recorded_at else ""
        now = stored.get(head.entry_id)
        if now is None:
            reason = f"entry {head.entry_id}{when} is no longer in the trail (removed)"
        elif now != head.entry_hash:
            reason = (
                f"entry {head.entry_id}{when} no longer has the hash recorded then: "
                "the trail up to it was rewritten"
            )
        else:
            continue
        mismatches.append(HeadMismatch(head, reason))
    return mismatches

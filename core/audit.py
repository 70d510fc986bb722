"""The one way to write to the audit trail."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext

from core.http import client_ip
from core.models import AuditEntry
from lib.auditchain import (
    GENESIS_HASH,
    BrokenLink,
    ChainFields,
    HeadMismatch,
    RecordedHead,
    check_detail,
    check_heads,
    find_first_break,
    head_line,
)

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

_ACTIONS: dict[str, AuditAction] = {}

# Any constant will do; it names the lock that serialises appends on PostgreSQL.
_CHAIN_LOCK_KEY = 0x4E44_4155  # "NDAU"


@dataclass(frozen=True)
class AuditAction:
    """An action that can appear in the trail, with its translated label.

    Each app declares its actions in its audit_actions module; the registry lets the audit
    pages show labels and filter by action.
    """

    code: str
    label: str | Promise

    def __post_init__(self) -> None:
        if self.code in _ACTIONS and _ACTIONS[self.code] != self:
            raise ValueError(f"Audit action {self.code} is declared twice.")
        _ACTIONS[self.code] = self


def registered_actions() -> list[AuditAction]:
    return sorted(_ACTIONS.values(), key=lambda action: action.code)


def action_label(code: str) -> str:
    action = _ACTIONS.get(code)
    return str(action.label) if action else code


_DETAIL_LABELS: dict[str, str | Promise] = {}
_DETAIL_VALUES: dict[str, dict[str, str | Promise]] = {}
# For keys that hold an object's id: what names the ids, asked once for a whole page of entries.
NamesOf = Callable[[set[str]], Mapping[str, str]]
_DETAIL_NAMES: dict[str, NamesOf] = {}


def declare_detail(
    key: str,
    label: str | Promise,
    values: Mapping[str, str | Promise] | None = None,
    *,
    names: NamesOf | None = None,
) -> None:
    """A key of entries' detail, with its translated label and the labels of its coded values.

    Each app declares the keys it writes next to its actions. A key several apps write keeps the
    first label declared; each may add the values it writes. A key that holds an object's id
    gives `names`: from a set of ids (as stored, in text) to what a reader recognises them by.
    """
    _DETAIL_LABELS.setdefault(key, label)
    _DETAIL_VALUES.setdefault(key, {}).update(values or {})
    if names is not None:
        _DETAIL_NAMES.setdefault(key, names)


def _shown(value: Any, values: Mapping[str, str | Promise]) -> str:
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, list | tuple):
        return ", ".join(_shown(item, values) for item in value) or "—"
    if value is None or value == "":
        return "—"
    text = str(value)
    return str(values.get(text, text))


def detail_rows(detail: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, value) for each key of an entry's detail, in the active language; a key no app
    declared is shown as it is stored."""
    return details_rows([detail])[0]


def details_rows(details: list[Mapping[str, Any]]) -> list[list[tuple[str, str]]]:
    """`detail_rows` of many entries, the ids of each named key named in one question per key."""
    wanted: dict[str, set[str]] = {}
    for detail in details:
        for key, value in detail.items():
            if key in _DETAIL_NAMES and value not in (None, "") and not isinstance(value, bool):
                items = value if isinstance(value, list | tuple) else [value]
                wanted.setdefault(key, set()).update(str(item) for item in items)
    named = {key: {**_DETAIL_VALUES.get(key, {}), **_DETAIL_NAMES[key](ids)} for key, ids in wanted.items()}
    return [
        [
            (str(_DETAIL_LABELS.get(key, key)), _shown(value, named.get(key) or _DETAIL_VALUES.get(key, {})))
            for key, value in detail.items()
        ]
        for detail in details
    ]


def object_label(object_type: str) -> str:
    """An entry's object type ("accounts.user") by the name of its kind ("person")."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def record(
    action: AuditAction,
    *,
    actor: AbstractBaseUser | None = None,
    target: models.Model | None = None,
    institution: models.Model | None = None,  # an accounts.Institution (the one FK core keeps)
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry to the trail, chained to the one before it.

    Runs inside the caller's transaction when there is one, so the entry and the change it
    describes are committed, or rolled back, together.
    """
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    clean_detail = check_detail(detail or {})
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        # On SQLite the IMMEDIATE transaction already holds the database's only write lock.
        previous = AuditEntry.objects.order_by("-id").values_list("entry_hash", flat=True).first()
        entry = AuditEntry(
            created_at=timezone.now(),
            actor_id=actor.pk if actor is not None else None,
            actor_label=actor.get_username() if actor is not None else "",  # the e-mail address
            action=action.code,
            object_type=target._meta.label_lower if target is not None else "",
            object_id=str(target.pk) if target is not None else "",
            institution_id=institution.pk if institution is not None else None,
            ip_address=client_ip(request) if request is not None else None,
            detail=clean_detail,
            previous_hash=previous or GENESIS_HASH,
        )
        entry.entry_hash = entry.chain_fields().digest()
        entry.save(force_insert=True)
    return entry


def verify_chain(chunk_size: int = 2000) -> tuple[int, BrokenLink | None]:
    """Check every entry in order; return (entries checked, first broken link or None)."""
    checked = 0

    def rows() -> Iterator[tuple[int, ChainFields, str]]:
        nonlocal checked
        for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=chunk_size):
            checked += 1
            yield entry.id, entry.chain_fields(), entry.entry_hash

    broken = find_first_break(rows())
    return checked, broken


def current_head() -> RecordedHead | None:
    """The newest entry's id and hash (None while the trail is empty)."""
    head = AuditEntry.objects.order_by("-id").values_list("id", "entry_hash").first()
    return RecordedHead(head[0], head[1]) if head else None


def check_recorded_heads(heads: Iterable[RecordedHead], chunk_size: int = 500) -> list[HeadMismatch]:
    """Which heads written down before no longer match the trail (entry gone, or another hash)."""
    heads = list(heads)
    ids = sorted({head.entry_id for head in heads})
    stored: dict[int, str] = {}
    for start in range(0, len(ids), chunk_size):  # SQLite limits the parameters of one query
        chunk = ids[start : start + chunk_size]
        stored.update(AuditEntry.objects.filter(id__in=chunk).values_list("id", "entry_hash"))
    return check_heads(heads, stored)


def append_head(path: Path, head: RecordedHead, now: datetime) -> str:
    """Add one line to the head file, opened for appending only: earlier lines are never rewritten."""
    line = head_line(head.entry_id, head.entry_hash, now)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as file:
        file.write(line)
    return line

"""Reads of a case from outside its referring team, audited once per sitting.

A read of a case's data (its imaging, its scores and findings) by anyone outside the referring
institution's team leaves one entry per person, case, kind of read and scope (a series, a search
level) per sitting — a signed-in session or an API token — and UTC day: a consultant who scrolls
300 slices of a series makes one "rendered slices" entry, a new session or the next day another.
The first entry must never be lost, a duplicate may be: the cache's add() is the cheap gate on
the hot path (a slice is fetched many times a second), and on a first sight in this process the
trail itself is asked, since each web worker keeps its own cache unless a shared one is
configured. A cache that fails lets the trail alone decide.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from contextlib import suppress
from datetime import UTC, date, datetime, time

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.models import User
from consultations.actions.common import record_on_case
from consultations.models import Case
from core.audit import AuditAction
from core.models import AuditEntry

logger = logging.getLogger(__name__)

READ_SALT = "neurodaraja.audit.reader"  # the digests already in the trail were made with it
READ_KEY_SECONDS = 26 * 60 * 60  # a little over a day: the key holds its UTC day


def sitting_of(request: HttpRequest | None) -> str | None:
    """The sitting a read belongs to, as a digest (never the session key or token itself): the
    API token of the request, or its signed-in session; None when there is neither."""
    if request is None:
        return None
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        secret = "token:" + header.split(" ", 1)[1].strip()
    else:
        session = getattr(request, "session", None)
        key = session.session_key if session is not None else None
        if not key:
            return None
        secret = "session:" + key
    return salted_hmac(READ_SALT, secret).hexdigest()[:16]


def _claim(key: str) -> bool | None:
    """True if this process is the first to see the read, False if it has seen it, None if the
    cache failed (then the trail alone decides)."""
    try:
        return bool(cache.add(key, True, READ_KEY_SECONDS))
    except Exception:  # noqa: BLE001  (a cache down must not lose the entry)
        logger.warning("The audit's read cache failed; the trail is asked instead.", exc_info=True)
        return None


def _forget(key: str) -> None:
    with suppress(Exception):
        cache.delete(key)


def _in_trail(
    action: AuditAction, case: Case, user: User, sitting: str, scope: Mapping[str, object], day: date
) -> bool:
    """Written already, by another web worker (each keeps its own cache) or before a restart."""
    written = AuditEntry.objects.filter(
        action=action.code,
        object_type=case._meta.label_lower,
        object_id=str(case.pk),
        actor_id=user.pk,
        created_at__gte=datetime.combine(day, time.min, tzinfo=UTC),
        detail__reader=sitting,
    ).values_list("detail", flat=True)
    return any(all(detail.get(k) == v for k, v in scope.items()) for detail in written)


def record_case_read(
    action: AuditAction,
    case: Case,
    user: User,
    request: HttpRequest | None,
    *,
    in_referring_team: bool,
    scope: Mapping[str, str | int] | None = None,
    **detail: str | int,
) -> None:
    """A read of `case`, recorded once per sitting and UTC day for its `scope`. Nothing for the
    case's referring team: it reads its own patient at home, and its views of the case are
    audited where they are shown."""
    if in_referring_team:
        return
    scope = dict(scope or {})
    entry: dict[str, object] = {"case": case.code, **scope, **detail}
    sitting = sitting_of(request)
    if sitting is None:  # no session, no token: nothing to group the reads by
        record_on_case(action, case, actor=user, request=request, detail=entry)
        return
    day = timezone.now().date()  # UTC
    parts = ":".join(f"{k}={v}" for k, v in sorted(scope.items()))
    key = f"nd-audit-read:{action.code}:{user.pk}:{case.pk}:{parts}:{sitting}:{day.isoformat()}"
    if _claim(key) is False:
        return
    try:
        if not _in_trail(action, case, user, sitting, scope, day):
            record_on_case(action, case, actor=user, request=request, detail={**entry, "reader": sitting})
    except BaseException:
        _forget(key)  # not written: the next read tries again
        raise

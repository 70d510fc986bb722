"""What is read of a case's scores and findings from outside its referring team, audited.

The same rule as imaging's (imaging/audit_actions.py, `record_read`): one entry per person, case
and kind of read per sitting (a signed-in session or an API token) and UTC day; nothing for the
case's referring team, whose views of the case consultations audits. The cache's add() is the
cheap gate, the trail the check behind it (each web worker has its own cache). The two copies
are meant to become one helper in core.audit: scores may not import imaging.
"""

from __future__ import annotations

import logging
from contextlib import suppress
from datetime import UTC, date, datetime, time

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from consultations.access import CaseAccess
from consultations.actions import record_on_case
from core.audit import AuditAction
from core.models import AuditEntry

logger = logging.getLogger(__name__)

SCORES_READ = AuditAction("scores.scores_read", _("Scores of a case read"))
FINDINGS_READ = AuditAction("scores.findings_read", _("CT and laboratory findings of a case read"))

READ_SALT = "neurodaraja.audit.reader"  # as imaging's: one sitting, one digest in the trail
READ_KEY_SECONDS = 26 * 60 * 60  # a little over a day: the key holds its UTC day


def _reader(request: HttpRequest | None) -> str | None:
    """The sitting, as a digest of its API token or session key (never the secret itself)."""
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


def _in_trail(action: AuditAction, access: CaseAccess, user: User, sitting: str, day: date) -> bool:
    """Written already, by another web worker (each keeps its own cache) or before a restart."""
    return AuditEntry.objects.filter(
        action=action.code,
        object_type=access.case._meta.label_lower,
        object_id=str(access.case.pk),
        actor_id=user.pk,
        created_at__gte=datetime.combine(day, time.min, tzinfo=UTC),
        detail__reader=sitting,
    ).exists()


def record_read(
    action: AuditAction, access: CaseAccess, user: User, request: HttpRequest | None, **detail: str | int
) -> None:
    """A read of the case's scores or findings from outside its referring team, once per sitting
    and UTC day."""
    if access.in_referring_team:
        return
    entry: dict[str, object] = {"case": access.case.code, **detail}
    sitting = _reader(request)
    if sitting is None:  # no session, no token: nothing to group the reads by
        record_on_case(action, access.case, actor=user, request=request, detail=entry)
        return
    day = timezone.now().date()  # UTC
    key = f"nd-audit-read:{action.code}:{user.pk}:{access.case.pk}::{sitting}:{day.isoformat()}"
    if _claim(key) is False:
        return
    try:
        if not _in_trail(action, access, user, sitting, day):
            record_on_case(
                action, access.case, actor=user, request=request, detail={**entry, "reader": sitting}
            )
    except BaseException:
        _forget(key)  # not written: the next read tries again
        raise

"""What is read of a case's scores and findings from outside its referring team, audited.

The same rule as imaging's (imaging/audit_actions.py, `record_read`): one entry per person, case
and kind of read per sitting (a signed-in session or an API token) and UTC day; nothing for the
referring team at home, whose views of the case consultations audits. The cache's add() is the
cheap gate, the trail the check behind it (each web worker has its own cache). The two copies
are to become one in core.audit (requested in /tmp/helpers/requests-audit-abroad.md): scores may
not import imaging.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, time

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


def _first_read(action: AuditAction, access: CaseAccess, user: User, sitting: str) -> tuple[bool, str]:
    case = access.case
    today = timezone.now().date()  # UTC
    key = f"nd-audit-read:{action.code}:{user.pk}:{case.pk}::{sitting}:{today.isoformat()}"
    try:
        if not cache.add(key, True, READ_KEY_SECONDS):
            return False, key
    except Exception:  # noqa: BLE001  (a cache down must not lose the entry: write it)
        logger.warning("The audit's read cache failed; the read is recorded again.", exc_info=True)
        return True, ""
    seen = AuditEntry.objects.filter(
        action=action.code,
        object_type=case._meta.label_lower,
        object_id=str(case.pk),
        actor_id=user.pk,
        created_at__gte=datetime.combine(today, time.min, tzinfo=UTC),
        detail__reader=sitting,
    ).exists()
    return not seen, key


def record_read(
    action: AuditAction, access: CaseAccess, user: User, request: HttpRequest | None, **detail: str | int
) -> None:
    """A read of the case's scores or findings from outside its referring team, once per sitting
    and UTC day."""
    if access.in_referring_team:
        return
    entry: dict[str, object] = {"case": access.case.code, **detail}
    sitting = _reader(request)
    key = ""
    if sitting is not None:
        first, key = _first_read(action, access, user, sitting)
        if not first:
            return
        entry["reader"] = sitting
    try:
        record_on_case(action, access.case, actor=user, request=request, detail=entry)
    except BaseException:
        if key:
            cache.delete(key)  # not written: the next read tries again
        raise

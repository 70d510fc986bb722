"""Imaging's audit actions, and how what is read outside the referring team is recorded.

A read of a case's imaging by anyone outside its referring institution's team leaves one entry per
person, case, kind of read and scope (a series, or a search level) per sitting, a sitting being a
signed-in session or an API token, and a UTC day: a consultant who scrolls 300 slices of a series
makes one "rendered slices" entry, a new session or the next day another. The first entry must
never be lost, a duplicate may be: the cache's add() is the cheap gate on the hot path (a slice is
fetched many times a second), and on a first sight in this process the trail itself is asked, since
each web worker keeps its own cache unless a shared one is configured. A cache that fails lets the
trail alone decide.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Mapping
from contextlib import suppress
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from accounts.models import Institution, User
from consultations.actions import record_on_case as record_on_consultation
from consultations.models import Case
from core.audit import AuditAction, record
from core.models import AuditEntry
from imaging.models import Instance, Series, Study

if TYPE_CHECKING:
    from imaging.access import ImagingAccess  # which imports this module

logger = logging.getLogger(__name__)

IMAGING_UPLOADED = AuditAction("imaging.uploaded", _("Imaging received"))
IMAGING_ATTACHED = AuditAction("imaging.attached", _("Imaging study attached to a case"))
IMAGING_REVIEWED = AuditAction("imaging.reviewed", _("Imaging series reviewed for burned-in text"))
IMAGING_EXCLUDED = AuditAction("imaging.excluded", _("Imaging series excluded from sharing"))
IMAGING_SHARED = AuditAction("imaging.shared", _("Imaging study shared"))
IMAGING_RETRIEVED = AuditAction("imaging.retrieved", _("Imaging opened outside the referring hospital"))
IMAGING_LIST_READ = AuditAction("imaging.list_read", _("Imaging list of a case read"))
MANIFEST_READ = AuditAction("imaging.manifest_read", _("Slice list of a series read"))
SLICES_READ = AuditAction("imaging.slices_read", _("Rendered slices of a series read"))
FULL_QUALITY_READ = AuditAction("imaging.full_quality_read", _("Full-quality images of a series read"))
THUMBNAIL_READ = AuditAction("imaging.thumbnail_read", _("Thumbnail of a series read"))
IMAGING_SEARCHED = AuditAction("imaging.searched", _("Imaging of a case found by a DICOMweb search"))
ORIGINAL_DOWNLOADED = AuditAction("imaging.original_downloaded", _("Original imaging file downloaded"))
ANNOTATION_ADDED = AuditAction("imaging.annotation_added", _("Annotation left on an image"))
REFUSED_SENDER = AuditAction("imaging.refused_sender", _("DICOM sender refused"))


def record_on_case(
    action: AuditAction,
    case: Case,
    actor: User | None,
    request: HttpRequest | None = None,
    **detail: object,
) -> None:
    """An imaging event on a case, recorded where the case's other events are."""
    record_on_consultation(action, case, actor=actor, request=request, detail=detail)


def record_received(
    instances: Iterable[Instance],
    *,
    source: str,
    institution: Institution,
    actor: User | None = None,
    request: HttpRequest | None = None,
    **detail: object,
) -> None:
    """One entry per study that received new images, whatever brought them."""
    counts = Counter(instance.series.study_id for instance in instances)
    for study in Study.objects.filter(pk__in=counts).order_by("pk"):
        record(
            IMAGING_UPLOADED,
            actor=actor,
            target=study,
            institution=institution,
            request=request,
            detail={"source": source, "instances": counts[study.pk], **detail},
        )


# --- reads from outside the referring team ---------------------------------------------------
READ_SALT = "neurodaraja.audit.reader"
READ_KEY_SECONDS = 26 * 60 * 60  # a little over a day: the key holds its UTC day


def reader(request: HttpRequest | None) -> str | None:
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


def record_read(
    action: AuditAction,
    case: Case,
    user: User,
    request: HttpRequest | None,
    *,
    in_referring_team: bool,
    scope: Mapping[str, str | int] | None = None,
    **detail: str | int,
) -> None:
    """A read of a case's imaging, recorded once per sitting and UTC day for its `scope` (the
    series read, the search level). Nothing for the case's referring team: it reads its own
    patient's imaging at home, and consultations audits its views of the case."""
    if in_referring_team:
        return
    scope = dict(scope or {})
    entry: dict[str, object] = {"case": case.code, **scope, **detail}
    sitting = reader(request)
    if sitting is None:  # no session, no token: nothing to group the reads by
        record_on_consultation(action, case, actor=user, request=request, detail=entry)
        return
    day = timezone.now().date()  # UTC
    parts = ":".join(f"{k}={v}" for k, v in sorted(scope.items()))
    key = f"nd-audit-read:{action.code}:{user.pk}:{case.pk}:{parts}:{sitting}:{day.isoformat()}"
    if _claim(key) is False:
        return
    try:
        if not _in_trail(action, case, user, sitting, scope, day):
            record_on_consultation(
                action, case, actor=user, request=request, detail={**entry, "reader": sitting}
            )
    except BaseException:
        _forget(key)  # not written: the next read tries again
        raise


def record_imaging_read(
    action: AuditAction,
    access: ImagingAccess,
    request: HttpRequest | None,
    series: Series | None = None,
    **detail: str | int,
) -> None:
    """What a page or endpoint of the case's imaging showed, by `access.user` (see `record_read`)."""
    record_read(
        action,
        access.case_access.case,
        access.user,
        request,
        in_referring_team=access.manages,
        scope={"series": series.pk} if series is not None else None,
        **detail,
    )

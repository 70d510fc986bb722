"""Documents and photos of a case: checked, cleaned, kept once, and every opening recorded."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from consultations import audit_actions as acts
from consultations import notices
from consultations.access import CaseAccess
from consultations.actions.common import (
    case_url,
    consultants_on_case,
    lock_case,
    params,
    record_on_case,
    refuse_identifiers,
)
from consultations.models import Attachment, Status
from core.errors import ActionError
from core.notifications import notify
from lib import files

ATTACHMENT_PROBLEMS = {
    files.Problem.EMPTY: _("The file is empty. Choose it again."),
    files.Problem.TOO_LARGE: _("The file is too large (at most %(mb)s MB). Send a smaller photo or scan."),
    files.Problem.UNSUPPORTED: _("Attach a PDF document or a JPEG, PNG or WebP photo."),
    files.Problem.MISMATCH: _("The file is not what its name says. Attach the original PDF or photo."),
    files.Problem.DAMAGED: _("The file is damaged or was cut off. Choose it again."),
}


def refuse_if_too_large(size: int | None) -> None:
    """Said before the upload is read into memory."""
    if size and size > settings.ATTACHMENT_MAX_MB * 1024 * 1024:
        raise ActionError(
            ATTACHMENT_PROBLEMS[files.Problem.TOO_LARGE] % {"mb": settings.ATTACHMENT_MAX_MB},
            code="too_large",
        )


@transaction.atomic
def add_attachment(
    access: CaseAccess,
    user: User,
    *,
    name: str,
    content: bytes,
    description: str,
    request: HttpRequest | None = None,
) -> Attachment:
    """Check, clean and keep a document or photo; the same file twice is kept once."""
    if not access.in_referring_team:
        raise PermissionDenied
    case = lock_case(access)
    refuse_identifiers(case, {"description": description}, author_in_team=True)
    max_mb = settings.ATTACHMENT_MAX_MB
    try:
        cleaned = files.clean(name, content, max_bytes=max_mb * 1024 * 1024)
    except files.RejectedFile as rejected:
        raise ActionError(
            ATTACHMENT_PROBLEMS[rejected.problem] % {"mb": max_mb}, code=rejected.problem.value
        ) from None
    if case.attachments.filter(sha256=cleaned.sha256).exists():
        raise ActionError(_("This file is already attached to the case."), code="duplicate", status=409)
    attachment = Attachment(
        case=case,
        kind=cleaned.kind.value,
        description=description.strip()[:200],
        content_type=cleaned.content_type,
        extension=cleaned.extension,
        size=len(cleaned.content),
        sha256=cleaned.sha256,
        uploaded_by=user,
    )
    attachment.file.save("upload", ContentFile(cleaned.content), save=False)
    # Read back what storage kept: a file that does not match its checksum is not kept.
    with attachment.file.open("rb") as stored:
        if hashlib.sha256(stored.read()).hexdigest() != cleaned.sha256:
            attachment.file.delete(save=False)
            raise ActionError(_("The file could not be stored. Try again."), code="storage", status=500)
    attachment.save()
    record_on_case(
        acts.ATTACHMENT_ADDED,
        case,
        actor=user,
        request=request,
        detail={"attachment": attachment.pk, "kind": attachment.kind, "size": attachment.size},
    )
    if case.status != Status.DRAFT:
        notify(
            consultants_on_case(case),
            notices.ATTACHMENT,
            params=params(case),
            url=case_url(case),
            exclude=user,
        )
    return attachment


def open_attachment(
    access: CaseAccess, user: User, attachment_id: int, *, request: HttpRequest | None = None
) -> Attachment:
    """An attachment of a case the user may open (404 otherwise); the opening is recorded. Those
    invited to a conference that discusses the case open none (CaseAccess.may_open_attachments)."""
    if not access.may_open_attachments:
        raise Http404
    item = access.case.attachments.filter(pk=attachment_id).first()
    if item is None:
        raise Http404
    record_on_case(
        acts.ATTACHMENT_VIEWED, access.case, actor=user, request=request, detail={"attachment": item.pk}
    )
    return item

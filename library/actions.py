"""Every change to the library and the glossary: permission, transaction, audit entry."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import Institution, Role, User
from core.audit import record
from core.errors import ActionError
from library import audit_actions as acts
from library import uploads
from library.access import may_add, may_change, may_edit_glossary
from library.models import GlossaryTerm, Resource, stored_name

# Videos are the largest resources; a deployment may raise the limit (settings.LIBRARY_MAX_MB).
DEFAULT_MAX_MB = 100

FILE_PROBLEMS = {
    uploads.Problem.EMPTY: _("The file is empty. Choose it again."),
    uploads.Problem.TOO_LARGE: _("The file is too large for the library (at most %(mb)s MB)."),
    uploads.Problem.UNSUPPORTED: _("Add a PDF document, a PowerPoint deck (PPTX) or an MP4 video."),
    uploads.Problem.MISMATCH: _("The file is not what its name says. Add the original PDF, PPTX or MP4."),
    uploads.Problem.DAMAGED: _("The file is damaged or was cut off. Choose it again."),
}
RESOURCE_FIELDS = ("kind", "title", "description", "language", "topic")
TERM_FIELDS = (
    "topic",
    "term_en",
    "term_sw",
    "term_zh_hans",
    "also_en",
    "also_sw",
    "also_zh_hans",
    "definition_en",
    "definition_sw",
    "definition_zh_hans",
)


def max_mb() -> int:
    return int(getattr(settings, "LIBRARY_MAX_MB", DEFAULT_MAX_MB))


@dataclass(frozen=True)
class Upload:
    """A file as offered: its name (only its extension is used), its bytes and its size."""

    name: str
    stream: IO[bytes]
    size: int | None = None


def refuse_if_too_large(size: int | None) -> None:
    """Said before the upload is read."""
    if size and size > max_mb() * 1024 * 1024:
        raise ActionError(FILE_PROBLEMS[uploads.Problem.TOO_LARGE] % {"mb": max_mb()}, code="too_large")


def _refuse_bad_link(link: str) -> None:
    if link and not link.lower().startswith("https://"):
        raise ActionError(_("A link must start with https://."), code="link_not_https")


def _store_file(resource: Resource, upload: Upload) -> None:
    """Check the file, keep it under a random name and read it back against its checksum."""
    refuse_if_too_large(upload.size)
    try:
        checked = uploads.check(upload.name, upload.stream, max_bytes=max_mb() * 1024 * 1024)
    except uploads.RejectedFile as rejected:
        raise ActionError(
            FILE_PROBLEMS[rejected.problem] % {"mb": max_mb()}, code=rejected.problem.value
        ) from None
    resource.file.save(stored_name(checked.extension), File(upload.stream), save=False)
    digest = hashlib.sha256()
    with resource.file.open("rb") as stored:
        for chunk in iter(lambda: stored.read(uploads.CHUNK), b""):
            digest.update(chunk)
    if digest.hexdigest() != checked.sha256:
        resource.file.delete(save=False)
        raise ActionError(_("The file could not be stored. Try again."), code="storage", status=500)
    resource.content_type, resource.extension = checked.content_type, checked.extension
    resource.size, resource.sha256 = checked.size, checked.sha256


@contextmanager
def _new_file_removed_on_error(resource: Resource) -> Iterator[None]:
    """A file stored for a change that is then refused or fails is not left behind."""
    before = resource.file.name
    try:
        yield
    except BaseException:
        if resource.file.name and resource.file.name != before:
            resource.file.storage.delete(resource.file.name)
        raise


def _summary(resource: Resource) -> dict[str, Any]:
    return {"resource_kind": resource.kind, "language": resource.language, "topic": resource.topic}


def add_resource(
    user: User,
    institution: Institution,
    data: dict[str, Any],
    *,
    upload: Upload | None = None,
    link: str = "",
    demo: bool = False,
    request: HttpRequest | None = None,
) -> Resource:
    """A coordinator adds a resource for an institution they coordinate: a checked file, or an
    https link (one of the two). `demo` marks synthetic demonstration content."""
    if not may_add(user) or institution not in user.institutions_with_role(Role.COORDINATOR):
        raise PermissionDenied
    link = link.strip()
    if (upload is None) == (not link):
        raise ActionError(_("Give either a file or a link, not both."), code="file_or_link")
    _refuse_bad_link(link)
    resource = Resource(
        institution=institution,
        added_by=user,
        link=link,
        is_demo=demo,
        **{f: data[f] for f in RESOURCE_FIELDS},
    )
    with _new_file_removed_on_error(resource), transaction.atomic():
        if upload is not None:
            _store_file(resource, upload)
        resource.full_clean(exclude=["file", "added_by", "institution"])
        resource.save()
        record(
            acts.RESOURCE_ADDED,
            actor=user,
            target=resource,
            institution=institution,
            request=request,
            detail=_summary(resource),
        )
    return resource


def change_resource(
    user: User,
    resource: Resource,
    data: dict[str, Any],
    *,
    upload: Upload | None = None,
    link: str | None = None,
    request: HttpRequest | None = None,
) -> Resource:
    """Change the title, description, tags, or replace the file or link. A new file replaces the
    old one (removed once the change is committed); a link given for a file resource does too."""
    if not may_change(user, resource):
        raise PermissionDenied
    link = (link or "").strip()
    if upload is not None and link:
        raise ActionError(_("Give either a file or a link, not both."), code="file_or_link")
    _refuse_bad_link(link)
    old_file, old_link = resource.file.name, resource.link
    for name in RESOURCE_FIELDS:
        setattr(resource, name, data[name])
    with _new_file_removed_on_error(resource), transaction.atomic():
        if upload is not None:
            _store_file(resource, upload)
            resource.link = ""
        elif link:
            resource.link = link
            resource.file = None
            resource.content_type = resource.extension = resource.sha256 = ""
            resource.size = 0
        resource.full_clean(exclude=["file", "added_by", "institution"])
        resource.save()
        record(
            acts.RESOURCE_CHANGED,
            actor=user,
            target=resource,
            institution=resource.institution,
            request=request,
            detail={**_summary(resource), "replaced": upload is not None or link != old_link},
        )
        if old_file and old_file != resource.file.name:
            storage = resource.file.storage
            transaction.on_commit(lambda: storage.delete(old_file))
    return resource


def remove_resource(user: User, resource: Resource, *, request: HttpRequest | None = None) -> None:
    """Remove a resource and, once that is committed, its stored file."""
    if not may_change(user, resource):
        raise PermissionDenied
    stored, storage = resource.file.name, resource.file.storage
    with transaction.atomic():
        record(
            acts.RESOURCE_REMOVED,
            actor=user,
            target=resource,
            institution=resource.institution,
            request=request,
            detail={**_summary(resource), "title": resource.title[:100]},
        )
        resource.delete()
        if stored:
            transaction.on_commit(lambda: storage.delete(stored))


def _term_detail(term: GlossaryTerm) -> dict[str, Any]:
    return {"term": term.term_en[:100], "topic": term.topic}


def add_term(user: User, data: dict[str, Any], *, request: HttpRequest | None = None) -> GlossaryTerm:
    if not may_edit_glossary(user):
        raise PermissionDenied
    term = GlossaryTerm(**{name: str(data.get(name, "")).strip() for name in TERM_FIELDS})
    with transaction.atomic():
        if GlossaryTerm.objects.filter(term_en__iexact=term.term_en).exists():
            raise ActionError(
                _("This English term is already in the glossary."), code="duplicate", status=409
            )
        term.full_clean()
        term.save()
        record(acts.TERM_ADDED, actor=user, target=term, request=request, detail=_term_detail(term))
    return term


def change_term(
    user: User, term: GlossaryTerm, data: dict[str, Any], *, request: HttpRequest | None = None
) -> GlossaryTerm:
    if not may_edit_glossary(user):
        raise PermissionDenied
    with transaction.atomic():
        for name in TERM_FIELDS:
            setattr(term, name, str(data.get(name, "")).strip())
        if GlossaryTerm.objects.filter(term_en__iexact=term.term_en).exclude(pk=term.pk).exists():
            raise ActionError(
                _("This English term is already in the glossary."), code="duplicate", status=409
            )
        term.full_clean()
        term.save()
        record(acts.TERM_CHANGED, actor=user, target=term, request=request, detail=_term_detail(term))
    return term

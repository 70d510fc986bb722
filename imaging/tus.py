"""Resumable uploads by the tus protocol (tus.io, version 1.0.0: core, creation, termination,
checksum), so that standard clients work: tus-js-client in a browser, tuspy on a hospital PC.

Written here because no maintained Django package implements tus for current Django; the core
protocol is four small handlers. The bytes of each upload collect in IMAGING_INCOMING_ROOT
(`imaging.incoming`); the offset a client resumes from is the size of that file, so a server
killed mid-write resumes from the last byte it really kept, and nothing is duplicated. A complete
upload is handed to the worker (`imaging.tasks.ingest_upload`).

Authentication: a personal API token (Authorization: Bearer) or the signed-in session (then the
CSRF token is required, as for any form). Only the case's referring team may upload.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import fcntl
import hashlib
import os
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from accounts.api_auth import ApiTokenAuth
from accounts.models import User
from consultations.access import get_case_for_user
from consultations.models import Status
from imaging.incoming import incoming_path
from imaging.models import Upload, UploadBatch
from imaging.tasks import ingest_upload

TUS_VERSION = "1.0.0"
EXTENSIONS = "creation,termination,checksum"
CHECKSUMS: dict[str, Callable[[], Any]] = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "md5": hashlib.md5}
READ_SIZE = 256 * 1024


def _answer(status: int, message: str = "", **headers: str) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


class _Refused(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def _user(request: HttpRequest) -> User:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = ApiTokenAuth().authenticate(request, header.split(" ", 1)[1].strip())
        if user is None:
            raise _Refused(_answer(401, _("A valid API token is required (Authorization: Bearer …).")))
        return user
    if not request.user.is_authenticated:
        raise _Refused(_answer(401, _("Sign in, or send a personal API token.")))
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        # Exempted from the middleware for token clients; a browser session still needs the token.
        middleware = CsrfViewMiddleware(lambda r: HttpResponse())
        refusal = middleware.process_view(request, lambda r: HttpResponse(), (), {})
        if refusal is not None:
            raise _Refused(_answer(403, _("The page has expired: reload it and try again.")))
    return cast(User, request.user)


def _metadata(header: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in header.split(","))):
        key, _space, encoded = pair.partition(" ")
        try:
            values[key] = base64.b64decode(encoded, validate=True).decode("utf-8") if encoded else ""
        except (binascii.Error, UnicodeDecodeError) as error:
            raise _Refused(_answer(400, _("The upload's metadata is not readable."))) from error
    return values


def _upload_for(user: User, upload_id: str) -> Upload:
    """The upload, if this person may see its case's referring side; 404 otherwise."""
    upload = Upload.objects.select_related("batch__case").filter(pk=upload_id).first()
    if upload is None:
        raise Http404
    access = get_case_for_user(user, upload.batch.case.code)
    if not access.in_referring_team:
        raise Http404
    return upload


def _disk_offset(upload: Upload) -> int:
    if upload.state != Upload.State.RECEIVING:
        return upload.length  # every byte arrived (its incoming copy may be gone, processed)
    path = incoming_path(upload)
    return path.stat().st_size if path.exists() else 0


def _guarded(handler: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    def view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method == "OPTIONS":
            return _answer(
                204,
                Tus_Version=TUS_VERSION,
                Tus_Extension=EXTENSIONS,
                Tus_Max_Size=str(settings.IMAGING_MAX_UPLOAD_MB * 1024 * 1024),
                Tus_Checksum_Algorithm=",".join(CHECKSUMS),
            )
        if request.headers.get("Tus-Resumable") != TUS_VERSION:
            return _answer(412, _("This server speaks tus 1.0.0."), Tus_Version=TUS_VERSION)
        try:
            return handler(request, _user(request), *args, **kwargs)
        except _Refused as refused:
            return refused.response
        except Http404:
            return _answer(404, _("Not found, or you do not have access to it."))

    view.__name__ = handler.__name__
    return csrf_exempt(view)


@_guarded
def uploads(request: HttpRequest, user: User) -> HttpResponse:
    """Creation: POST with Upload-Length and Upload-Metadata (case, filename, optional batch)."""
    if request.method != "POST":
        return _answer(405, _("This method is not allowed here."), Allow="POST, OPTIONS")
    try:
        length = int(request.headers.get("Upload-Length", ""))
    except ValueError:
        return _answer(400, _("Upload-Length is required (the file's size in bytes)."))
    if length < 0:
        return _answer(400, _("Upload-Length is required (the file's size in bytes)."))
    if length > settings.IMAGING_MAX_UPLOAD_MB * 1024 * 1024:
        return _answer(413, _("The file is larger than %(mb)s MB.") % {"mb": settings.IMAGING_MAX_UPLOAD_MB})
    meta = _metadata(request.headers.get("Upload-Metadata", ""))
    access = get_case_for_user(user, meta.get("case", ""))
    if not access.in_referring_team:
        raise Http404  # consultants see studies; the referring team sends them
    if access.case.status == Status.CLOSED:
        return _answer(409, _("This consultation is closed."))
    batch_id = meta.get("batch", "")
    if batch_id:
        try:
            batch = UploadBatch.objects.get(pk=batch_id, case=access.case)
        except (UploadBatch.DoesNotExist, ValidationError, ValueError) as error:
            raise Http404 from error
    else:
        batch = UploadBatch.objects.create(case=access.case, user=user)
    name = (meta.get("filename") or meta.get("name") or "upload")[:255]
    upload = Upload.objects.create(batch=batch, name=name, length=length)
    path = incoming_path(upload)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch()
    location = request.build_absolute_uri(reverse("imaging:tus-upload", args=[upload.pk]))
    if length == 0:
        _complete(upload)
    return _answer(201, Location=location, ND_Batch=str(batch.pk), Upload_Offset="0")


@_guarded
def upload(request: HttpRequest, user: User, upload_id: str) -> HttpResponse:
    target = _upload_for(user, upload_id)
    if request.method == "HEAD":
        return _answer(200, Upload_Offset=str(_disk_offset(target)), Upload_Length=str(target.length))
    if request.method == "PATCH":
        return _patch(request, target)
    if request.method == "DELETE":
        if target.state not in (Upload.State.RECEIVING, Upload.State.WAITING):
            return _answer(409, _("This file is already being processed."))
        with contextlib.suppress(FileNotFoundError):
            incoming_path(target).unlink()
        target.delete()
        return _answer(204)
    return _answer(405, _("This method is not allowed here."), Allow="HEAD, PATCH, DELETE, OPTIONS")


def _patch(request: HttpRequest, target: Upload) -> HttpResponse:
    if target.batch.case.status == Status.CLOSED:
        return _answer(409, _("This consultation is closed."))
    if request.content_type != "application/offset+octet-stream":
        return _answer(415, _("Send the bytes as application/offset+octet-stream."))
    try:
        claimed = int(request.headers.get("Upload-Offset", ""))
    except ValueError:
        return _answer(400, _("Upload-Offset is required."))
    checksum = None
    if "Upload-Checksum" in request.headers:
        algorithm, _space, expected = request.headers["Upload-Checksum"].partition(" ")
        if algorithm not in CHECKSUMS:
            return _answer(400, _("Unsupported checksum algorithm."))
        checksum = (CHECKSUMS[algorithm](), expected.strip())
    path = incoming_path(target)
    with path.open("r+b") as incoming:
        try:
            fcntl.flock(incoming, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return _answer(423, _("This file is being sent by another connection."))
        offset = incoming.seek(0, os.SEEK_END)
        if target.state != Upload.State.RECEIVING or claimed != offset:
            return _answer(
                409,
                _("The upload continues from byte %(offset)s.") % {"offset": offset},
                Upload_Offset=str(offset),
            )
        left = target.length - offset
        while left > 0:
            chunk = request.read(min(READ_SIZE, left))
            if not chunk:
                break
            incoming.write(chunk)
            left -= len(chunk)
            if checksum:
                checksum[0].update(chunk)
        if request.read(1):
            incoming.truncate(offset)
            return _answer(413, _("More bytes than the declared length."))
        if checksum and base64.b64encode(checksum[0].digest()).decode() != checksum[1]:
            incoming.truncate(offset)  # tus: a chunk that fails its checksum is discarded
            return _answer(
                460,
                _("The checksum does not match: this part was not kept. Send it again."),
                Upload_Offset=str(offset),
            )
        incoming.flush()
        os.fsync(incoming.fileno())
        new_offset = incoming.tell()
    Upload.objects.filter(pk=target.pk).update(offset=new_offset)
    if new_offset == target.length:
        target.offset = new_offset
        _complete(target)
    return _answer(204, Upload_Offset=str(new_offset))


def _complete(target: Upload) -> None:
    updated = Upload.objects.filter(pk=target.pk, state=Upload.State.RECEIVING).update(
        state=Upload.State.WAITING
    )
    if updated:
        transaction.on_commit(lambda: ingest_upload.enqueue(str(target.pk)))


__all__ = ["upload", "uploads"]

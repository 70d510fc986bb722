"""Documents and photos of a case, and what leaves the platform: the FHIR Bundle and the letter."""
# No "from __future__ import annotations": django-ninja reads these annotations at run time.

from datetime import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status, UploadedFile

from consultations import actions, exports
from consultations.api.common import case_for
from consultations.models import Attachment
from core.api_types import LanguageCode

router = Router()


class AttachmentOut(Schema):
    id: int
    kind: str
    description: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


def _attachment_out(item: Attachment) -> AttachmentOut:
    return AttachmentOut(
        id=item.pk,
        kind=item.kind,
        description=item.description,
        content_type=item.content_type,
        size=item.size,
        sha256=item.sha256,
        uploaded_at=item.uploaded_at,
    )


@router.get("/cases/{code}/attachments", response=list[AttachmentOut], summary="Documents and photos")
def list_attachments(request: HttpRequest, code: str) -> list[AttachmentOut]:
    user, access = case_for(request, code)
    actions.record_case_view(access, user, request=request, detail={"via": "api"})
    if not access.may_open_attachments:  # invited to a conference: documents stay with the case's team
        return []
    return [_attachment_out(item) for item in access.case.attachments.all()]


@router.post("/cases/{code}/attachments", response={201: AttachmentOut}, summary="Attach a PDF or a photo")
def add_attachment(
    request: HttpRequest,
    code: str,
    file: File[UploadedFile],
    description: Form[str],
    checked: Form[bool],
) -> Status[AttachmentOut]:
    """`checked` must be true: the sender confirms no patient name or number is visible in the file."""
    user, access = case_for(request, code)
    if not checked:
        raise DjangoValidationError(
            {"checked": [_("Confirm that no patient name or hospital number is visible in the file.")]}
        )
    actions.refuse_if_too_large(file.size)
    item = actions.add_attachment(
        access, user, name=file.name or "", content=file.read(), description=description, request=request
    )
    return Status(201, _attachment_out(item))


@router.get("/cases/{code}/attachments/{attachment_id}", summary="Download a document or photo")
def download_attachment(request: HttpRequest, code: str, attachment_id: int) -> FileResponse:
    user, access = case_for(request, code)
    item = actions.open_attachment(access, user, attachment_id, request=request)
    return exports.attachment_response(access.case, item)


@router.get("/cases/{code}/fhir", summary="The consultation as a FHIR R4 Bundle (pseudonymous Patient)")
def fhir_bundle(request: HttpRequest, code: str) -> HttpResponse:
    user, access = case_for(request, code)
    return JsonResponse(
        exports.export_fhir(access, user, request=request), content_type="application/fhir+json"
    )


@router.get("/cases/{code}/letter", summary="The advice letter as a PDF")
def advice_letter(
    request: HttpRequest,
    code: str,
    lang: LanguageCode | None = None,
    identity: bool = False,
) -> HttpResponse:
    user, access = case_for(request, code)
    pdf = exports.export_letter(
        access, user, language=lang or user.preferred_language, with_identity=identity, request=request
    )
    return HttpResponse(pdf, content_type="application/pdf")

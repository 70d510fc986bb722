"""JSON API of certificates: mine, those my institutions issued, issuing a milestone, revoking,
the PDF, and the check of a code (as the public page, rate-limited per address)."""

# No "from __future__ import annotations": django-ninja reads these annotations at run time.
from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from accounts.api_auth import api_user
from core.errors import ActionError, FieldErrors
from training.certificates import access, actions, verification
from training.certificates.models import Certificate
from training.certificates.printing import certificate_pdf, file_name
from training.models import Stage

router = Router(tags=["training"])

LIST_LENGTH = 200


class CertificateOut(Schema):
    code: str = Field(description="As printed: NDC-XXXX-XXXX-XXXX.")
    kind: str
    holder: str = Field(description="The holder's name as printed.")
    title: str = Field(description="What it is for, in the reader's language.")
    language: str = Field(description="The language it is printed in.")
    institution: str
    issued_at: datetime
    revoked_at: datetime | None
    revoked_reason: str
    verification_url: str


class MilestoneIn(Schema):
    enrolment: int
    stage: int | None = Field(default=None, description="A stage completed; empty: the whole programme.")


class RevocationIn(Schema):
    reason: str = Field(min_length=1, max_length=actions.REASON_LENGTH)


class VerdictOut(Schema):
    code: str
    found: bool
    revoked: bool
    holder: str
    title: str
    issued_at: datetime | None
    issuer: str
    revoked_at: datetime | None


def certificate_out(certificate: Certificate) -> CertificateOut:
    return CertificateOut(
        code=certificate.shown_code,
        kind=certificate.kind,
        holder=certificate.holder_name,
        title=certificate.title,
        language=certificate.language,
        institution=certificate.institution.short_code,
        issued_at=certificate.issued_at,
        revoked_at=certificate.revoked_at,
        revoked_reason=certificate.revoked_reason,
        verification_url=verification.verification_url(certificate),
    )


@router.get("/training/certificates", response=list[CertificateOut], summary="My certificates")
def certificates_mine(request: HttpRequest) -> list[CertificateOut]:
    user = api_user(request)
    return [certificate_out(c) for c in access.own_certificates(user)[:LIST_LENGTH]]


@router.get(
    "/training/certificates/issued",
    response=list[CertificateOut],
    summary="Coordinators: the certificates my institutions issued",
)
def certificates_issued(request: HttpRequest) -> list[CertificateOut]:
    user = api_user(request)
    access.require_coordinator(user)
    return [certificate_out(c) for c in access.issued_by_institutions_of(user)[:LIST_LENGTH]]


@router.post(
    "/training/certificates/milestones",
    response={201: CertificateOut},
    summary="Coordinators: certify a completed stage or programme",
)
def certificates_issue_milestone(request: HttpRequest, payload: MilestoneIn) -> Status[CertificateOut]:
    user = api_user(request)
    enrolment = access.get_enrolment_to_certify(user, payload.enrolment)
    stage = None
    if payload.stage is not None:
        stage = Stage.objects.filter(pk=payload.stage, programme_id=enrolment.programme_id).first()
        if stage is None:
            raise FieldErrors(
                [
                    {
                        "field": "stage",
                        "message": _("This stage belongs to another programme."),
                        "type": "invalid",
                    }
                ]
            )
    certificate = actions.issue_milestone(user, enrolment, stage, request=request)
    return Status(201, certificate_out(certificate))


@router.post(
    "/training/certificates/{code}/revocation",
    response=CertificateOut,
    summary="Coordinators of the issuing institution: revoke, with the reason",
)
def certificates_revoke(request: HttpRequest, code: str, payload: RevocationIn) -> CertificateOut:
    user = api_user(request)
    certificate = access.get_certificate_to_revoke(user, code)
    return certificate_out(actions.revoke(user, certificate, payload.reason, request=request))


@router.get(
    "/training/certificates/{code}/pdf",
    summary="The certificate as PDF (its holder, and the issuing institution's coordinators)",
)
def certificates_pdf(request: HttpRequest, code: str) -> HttpResponse:
    certificate = access.get_certificate(api_user(request), code)
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{file_name(certificate)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@router.get(
    "/training/certificate-checks/{code}",
    response=VerdictOut,
    summary="Check a certificate's code, as the public page does (codes matching none limited per address)",
)
def certificates_check(request: HttpRequest, code: str) -> VerdictOut:
    api_user(request)
    verdict = verification.check(request, code, scope="api")
    if isinstance(verdict, verification.HeldBack):
        raise ActionError(verdict.message, code="rate_limited", status=429)
    if not verdict.found:
        raise ActionError(_("No certificate has this code."), code="not_found", status=404)
    return VerdictOut(**verdict.__dict__)


@router.post(
    "/training/sessions/{session_id}/certificates",
    response={201: list[CertificateOut]},
    summary="Coordinators of the organising institution: certify everyone who attended (and has none yet)",
)
def certificates_issue_for_session(request: HttpRequest, session_id: int) -> Status[list[CertificateOut]]:
    user = api_user(request)
    session = access.get_session_to_certify(user, session_id)
    return Status(
        201, [certificate_out(c) for c in actions.issue_for_session(user, session, request=request)]
    )

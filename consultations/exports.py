"""What leaves the platform: the advice letter and the FHIR export of a case, built from the
database in a language, and an attachment's file as it is served."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import FileResponse, HttpRequest
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role, User
from consultations import audit_actions as acts
from consultations import fhir, letter
from consultations.access import CaseAccess
from consultations.actions.common import record_on_case
from consultations.models import Attachment, Case, Opinion
from core.errors import ActionError
from core.i18n import datetime_with_zone


def _institution_of(consultant: User) -> str:
    institutions = consultant.institutions_with_role(Role.CONSULTANT)
    return institutions[0].name if institutions else ""


def _opinion_lines(opinion: Opinion) -> list[tuple[str, str]]:
    recommendation = opinion.get_recommendation_display()
    return [
        (_("Recommendation"), str(recommendation)),
        (_("Procedure"), opinion.procedure),
        (_("How soon"), str(opinion.get_timing_display()) if opinion.timing else ""),
        (_("Transfer to"), opinion.transfer_to),
        (_("Impression"), opinion.impression),
        (_("Investigations"), opinion.investigations),
        (_("Advice"), opinion.advice),
        (_("Confidence"), str(opinion.get_confidence_display())),
    ]


def letter_pdf(case: Case, *, language: str, with_identity: bool) -> bytes:
    opinions = list(case.opinions.select_related("consultant"))
    with translation.override(language):
        patient_lines: list[tuple[str, str]] = []
        if with_identity:
            person = case.identity
            patient_lines = [
                (_("Patient"), person.full_name),
                (_("Hospital number"), person.hospital_number),
                (
                    _("Date of birth"),
                    formats.date_format(person.date_of_birth, "SHORT_DATE_FORMAT")
                    if person.date_of_birth
                    else "",
                ),
            ]
        blocks = [
            letter.OpinionBlock(
                heading=_("Opinion of %(name)s, %(institution)s")
                % {"name": opinion.consultant.full_name, "institution": _institution_of(opinion.consultant)},
                when=datetime_with_zone(opinion.created_at),
                lines=_opinion_lines(opinion),
            )
            for opinion in opinions
        ]
        document = letter.Letter(
            title=str(_("Advice letter")),
            case_line=_("Case %(code)s · %(category)s · %(urgency)s")
            % {"code": case.code, "category": case.category.name, "urgency": case.get_urgency_display()},
            to_line=_("To the team of %(institution)s") % {"institution": case.referring_institution.name},
            patient_lines=patient_lines,
            question=(str(_("Question asked")), case.question) if case.question else None,
            opinions=blocks,
            footer=_(
                "This letter gives a specialist's advice on the information that was sent. The treating "
                "team remains responsible for the patient's care. Printed from NeuroDaraja on %(date)s."
            )
            % {"date": datetime_with_zone(timezone.now())},
            language=language,
        )
        return letter.render(document)


@transaction.atomic
def export_letter(
    access: CaseAccess, user: User, *, language: str, with_identity: bool, request: HttpRequest | None = None
) -> bytes:
    """The advice letter; the patient's identity only for the referring team, when asked."""
    case = access.case
    if not case.opinions.exists():
        raise ActionError(_("There is no opinion to print yet."), code="no_opinion", status=409)
    with_identity = with_identity and access.sees_identity
    record_on_case(
        acts.LETTER_EXPORTED,
        case,
        actor=user,
        request=request,
        detail={"identity": with_identity, "language": language},
    )
    # Times in the reader's zone, named: from the API no page has activated it.
    with timezone.override(user.time_zone):
        return letter_pdf(case, language=language, with_identity=with_identity)


def letter_file_name(access: CaseAccess, *, language: str, with_identity: bool) -> str:
    """Distinct for the letter that carries the patient's name, which the name itself never is."""
    kind = "advice-with-name" if with_identity and access.sees_identity else "advice"
    return f"{access.case.code}-{kind}-{language}.pdf"


@transaction.atomic
def export_fhir(access: CaseAccess, user: User, *, request: HttpRequest | None = None) -> dict[str, Any]:
    case = access.case
    record_on_case(acts.FHIR_EXPORTED, case, actor=user, request=request)
    with translation.override("en"):
        data = fhir.CaseData(
            code=case.code,
            status=case.status,
            urgency=case.urgency,
            sex=case.sex,
            age_value=case.age_value,
            age_unit=case.age_unit,
            category_code=case.category.code,
            category_name=case.category.name_en,
            question=case.question,
            requester=case.referring_institution.name,
            submitted=case.submitted_at,
            gcs={"eye": case.gcs_eye, "verbal": case.gcs_verbal, "motor": case.gcs_motor},
            opinions=[
                fhir.OpinionData(
                    consultant=opinion.consultant.full_name,
                    institution=_institution_of(opinion.consultant),
                    sent=opinion.created_at,
                    text="\n".join(f"{label}: {value}" for label, value in _opinion_lines(opinion) if value),
                )
                for opinion in case.opinions.select_related("consultant")
            ],
        )
    return fhir.bundle(data)


def attachment_response(case: Case, item: Attachment) -> FileResponse:
    """The file shown in the browser, never cached, named by the case code (not the upload's name)."""
    response = FileResponse(item.file.open("rb"), content_type=item.content_type)
    response["Content-Disposition"] = f'inline; filename="{case.code}-{item.pk}{item.extension}"'
    response["Cache-Control"] = "private, no-store"
    return response

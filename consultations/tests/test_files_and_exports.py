"""Documents and photos, double submissions, the advice letter and the FHIR export."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from fhir.resources.R4B.bundle import Bundle
from PIL import Image
from pypdf import PdfReader

from consultations import actions
from consultations.access import case_access
from consultations.models import Attachment, Case, Message
from core.errors import ActionError
from core.models import AuditEntry
from neurodaraja.testing.cases import answered, assigned_to_china, english
from neurodaraja.testing.pdf import minimal_pdf, pdf_text
from neurodaraja.testing.personas import sign_in


def photo_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), "white")
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[0x0112] = 6  # orientation: the phone was held sideways
    gps = exif.get_ifd(0x8825)  # where the photo was taken: Mwanza
    gps[1], gps[2], gps[3], gps[4] = "S", (2.0, 31.0, 0.0), "E", (32.0, 54.0, 0.0)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def attach(cast, case, name, content, description="CT report"):
    return actions.add_attachment(
        case_access(cast.referrer, case), cast.referrer, name=name, content=content, description=description
    )


def test_photos_lose_their_exif_and_gps(cast, make_case):
    case = make_case(send=True)
    original = photo_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    item = attach(cast, case, "IMG_2025.jpg", original, "Photo of the CT film")
    with item.file.open("rb") as stored:
        kept = stored.read()
    cleaned = Image.open(io.BytesIO(kept))
    assert not cleaned.getexif() and not cleaned.getexif().get_ifd(0x8825)
    assert cleaned.size == (48, 64)  # turned upright before the orientation tag was dropped
    assert b"PhoneMaker" not in kept
    assert "IMG_2025" not in item.file.name and case.code in item.file.name


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("report.pdf", b"", "empty"),
        ("report.pdf", b"\xff\xd8\xff\xe0 not really a pdf", "mismatch"),
        ("photo.jpg", b"%PDF-1.4 pretending", "mismatch"),
        ("notes.docx", b"PK\x03\x04 a word file", "unsupported"),
        ("report.pdf", b"%PDF-1.4 cut off in the middle", "damaged"),
        ("photo.jpg", b"\xff\xd8\xff\xe0 garbage after the header", "damaged"),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused(cast, make_case, name, content, code):
    case = make_case(send=True)
    with pytest.raises(ActionError) as refused:
        attach(cast, case, name, content)
    assert refused.value.code == code
    assert not Attachment.objects.exists()


def test_pdf_metadata_is_removed(cast, make_case):
    case = make_case(send=True)
    item = attach(cast, case, "report.pdf", minimal_pdf(author="Amina Juma Mollel"))
    with item.file.open("rb") as stored:
        kept = stored.read()
    assert b"Amina" not in kept and b"Mollel" not in kept
    assert "Lab results" in PdfReader(io.BytesIO(kept)).pages[0].extract_text()


def test_an_oversized_file_is_refused_before_it_is_stored(cast, make_case, settings):
    settings.ATTACHMENT_MAX_MB = 1
    case = make_case(send=True)
    with pytest.raises(ActionError, match="too large"):
        attach(cast, case, "scan.pdf", minimal_pdf() + b"0" * (1024 * 1024))
    client = sign_in(Client(), cast.referrer)
    upload = io.BytesIO(b"%PDF-1.4\n" + b"0" * (2 * 1024 * 1024) + b"%%EOF")
    upload.name = "big.pdf"
    response = client.post(
        f"/consultations/{case.code}/attach/",
        {"file": upload, "description": "x", "checked": "on"},
        follow=True,
    )
    assert "too large" in response.content.decode()
    assert not Attachment.objects.exists()


def test_the_same_file_twice_is_kept_once(cast, make_case):
    case = make_case(send=True)
    report = minimal_pdf()  # made once: the PDF carries its creation time, to the second
    attach(cast, case, "report.pdf", report)
    with pytest.raises(ActionError, match="already attached"):
        attach(cast, case, "report-again.pdf", report)
    with pytest.raises(ActionError, match="not what its name says"):
        attach(cast, case, "scan.webp", minimal_pdf(text="other"))
    assert case.attachments.count() == 1


def test_upload_from_the_page_needs_the_identifier_check(cast, make_case):
    case = make_case(send=True)
    client = sign_in(Client(), cast.referrer)
    upload = io.BytesIO(minimal_pdf())
    upload.name = "report.pdf"
    client.post(f"/consultations/{case.code}/attach/", {"file": upload, "description": "Lab results"})
    assert not Attachment.objects.exists()
    upload.seek(0)
    client.post(
        f"/consultations/{case.code}/attach/", {"file": upload, "description": "Lab results", "checked": "on"}
    )
    assert Attachment.objects.get().description == "Lab results"


def test_attachments_are_served_only_to_those_who_see_the_case_and_audited(cast, make_case):
    case = assigned_to_china(cast, make_case)
    item = attach(cast, case, "report.pdf", minimal_pdf())
    url = f"/consultations/{case.code}/files/{item.pk}/"
    response = sign_in(Client(), cast.consultant_china).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(
        action="consultations.attachment_viewed", actor=cast.consultant_china
    ).exists()
    for persona in ["outsider", "neurosurgeon", "trainee"]:
        assert sign_in(Client(), getattr(cast, persona)).get(url).status_code == 404, persona
    assert (
        sign_in(Client(), cast.referrer).get(f"/consultations/{case.code}/files/999999/").status_code == 404
    )
    assert (
        sign_in(Client(), cast.consultant_china).post(f"/consultations/{case.code}/attach/").status_code
        == 403
    )


def test_a_double_submitted_referral_form_makes_one_case(cast, consultants):
    from datetime import timedelta

    from django.utils import timezone

    from core.models import DiagnosisCategory

    client = sign_in(Client(), cast.referrer)
    form = {
        "client_token": "a" * 32,
        "patient-full_name": "Baraka Said",
        "category": DiagnosisCategory.objects.get(code="trauma").pk,
        "urgency": "urgent",
        "age_value": "7",
        "age_unit": "years",
        "intracranial_bleed": "unknown",
        "injury_at": (timezone.now() - timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"),
    }
    first = client.post("/consultations/new/", form)
    assert first.status_code == 302, first.context["case_form"].errors
    second = client.post("/consultations/new/", form)
    assert Case.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_a_double_tapped_message_is_kept_once(cast, make_case):
    case = make_case(send=True)
    client = sign_in(Client(), cast.referrer)
    for _ in range(2):
        client.post(f"/consultations/{case.code}/messages/", {"body": "GCS 12 now", "client_token": "b" * 32})
    assert Message.objects.filter(case=case).count() == 1


@pytest.mark.parametrize(
    ("language", "title"), [("en", "Advice letter"), ("sw", "Barua ya ushauri"), ("zh-hans", "会诊意见书")]
)
def test_the_advice_letter_renders_in_each_language_with_the_font_embedded(cast, make_case, language, title):
    case = answered(cast, make_case)
    response = sign_in(Client(), cast.referrer).get(f"/consultations/{case.code}/letter.pdf?lang={language}")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = pdf_text(response.content)
    assert case.code in text and "Li Wen" in text and "Bugando Medical Centre" in text
    assert "硬膜外血肿" in text  # Chinese renders whatever the letter's language
    assert title in text
    fonts = {font["/BaseFont"] for page in reader.pages for font in page["/Resources"]["/Font"].values()}
    assert any("NotoSansSC" in str(font) for font in fonts)
    assert "Amina" not in text  # no identity unless asked for on the Tanzanian side
    assert AuditEntry.objects.filter(
        action="consultations.letter_exported", detail__language=language
    ).exists()


def test_the_referring_team_can_print_the_letter_with_the_name(cast, make_case):
    case = answered(cast, make_case)
    response = sign_in(Client(), cast.referrer).get(
        f"/consultations/{case.code}/letter.pdf?identity=1&lang=en"
    )
    text = pdf_text(response.content)
    assert "Amina Juma Mollel" in text
    abroad = sign_in(Client(), cast.consultant_china).get(
        f"/consultations/{case.code}/letter.pdf?identity=1&lang=en"
    )
    abroad_text = pdf_text(abroad.content)
    assert "Amina" not in abroad_text


def test_no_letter_before_an_opinion(cast, make_case):
    case = make_case(send=True)
    english(cast.referrer)
    response = sign_in(Client(), cast.referrer).get(f"/consultations/{case.code}/letter.pdf", follow=True)
    assert "There is no opinion to print yet." in response.content.decode()


def test_the_fhir_bundle_is_valid_r4_and_pseudonymous(cast, make_case):
    case = answered(cast, make_case)
    response = sign_in(Client(), cast.consultant_china).get(f"/consultations/{case.code}/fhir.json")
    data = json.loads(response.content)
    bundle = Bundle.model_validate(data)
    types = [entry.resource.get_resource_type() for entry in bundle.entry]
    assert types.count("Observation") == 4 and "Communication" in types and "ServiceRequest" in types
    codes = {
        e["resource"]["code"]["coding"][0]["code"]
        for e in data["entry"]
        if e["resource"]["resourceType"] == "Observation"
    }
    assert codes == {"9267-6", "9270-0", "9268-4", "9269-2"}
    patient = next(e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Patient")
    assert (
        patient["identifier"][0]["value"] == case.code
        and "name" not in patient
        and "birthDate" not in patient
    )
    assert "Amina" not in response.content.decode() and "SRRH/2025" not in response.content.decode()
    assert AuditEntry.objects.filter(action="consultations.fhir_exported").exists()


def test_a_not_testable_gcs_component_is_an_absent_value_not_a_total(cast, make_case):
    case = make_case(send=True, clinical={"gcs_verbal": "NT"})
    data = json.loads(sign_in(Client(), cast.referrer).get(f"/consultations/{case.code}/fhir.json").content)
    Bundle.model_validate(data)
    observations = [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Observation"]
    assert len(observations) == 3
    verbal = next(o for o in observations if o["code"]["coding"][0]["code"] == "9270-0")
    assert "valueInteger" not in verbal and verbal["dataAbsentReason"]["text"] == "Not testable"

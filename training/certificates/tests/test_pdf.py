"""The certificate's PDF: in the holder's language with Chinese rendered (text extracted with
pypdf), the font embedded, the code printed and a QR code that decodes (OpenCV) to the public
verification page; a revoked certificate says so on the page."""

from __future__ import annotations

import io
import re

import cv2
import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from accounts import actions as accounts
from neurodaraja.testing.personas import sign_in
from training.certificates import actions
from training.certificates.models import Certificate
from training.certificates.printing import certificate_pdf
from training.certificates.tests.world import pdf_text, year_one
from training.certificates.verification import verification_url

pytestmark = pytest.mark.django_db


def qr_of(pdf: bytes) -> str:
    image = PdfReader(io.BytesIO(pdf)).pages[0].images[0]
    pixels = np.array(Image.open(io.BytesIO(image.data)).convert("L"))
    decoded, _points, _straight = cv2.QRCodeDetector().detectAndDecode(pixels)
    return decoded


def test_a_chinese_holders_certificate_is_printed_in_chinese(cast):
    accounts.update_profile(cast.trainee, {"preferred_language": "zh-hans"})
    certificate = year_one(cast)
    pdf = certificate_pdf(certificate)
    text = pdf_text(pdf)
    assert re.sub(r"\s+", "", certificate.title_zh_hans) in text  # 第一年 … 神经外科硕士
    assert "第一年" in text and "结业证书" in text
    assert certificate.shown_code in text
    fonts = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    embedded = [font.get_object() for font in fonts.values()]
    assert [str(font["/BaseFont"]).endswith("+NotoSansSC") for font in embedded] == [True]  # a subset
    descriptors = [font["/DescendantFonts"][0].get_object()["/FontDescriptor"] for font in embedded]
    assert all("/FontFile3" in descriptor for descriptor in descriptors)  # the glyphs are in the file


def test_english_and_kiswahili_render_too(cast):
    english = certificate_pdf(year_one(cast))
    assert "CompletedYear1oftheprogrammeMMedNeurosurgery" in pdf_text(english)
    accounts.update_profile(cast.outsider, {"preferred_language": "sw"})
    certificate = Certificate.objects.get()
    Certificate.objects.filter(pk=certificate.pk).update(language="sw")  # as printed for a Kiswahili reader
    certificate.refresh_from_db()
    kiswahili = pdf_text(certificate_pdf(certificate))
    assert re.sub(r"\s+", "", certificate.title_sw) in kiswahili and "Mwakawa1" in kiswahili


def test_the_qr_code_leads_to_the_public_verification_page(cast, settings):
    settings.SITE_URL = "https://neurodaraja.example.tz"
    certificate = year_one(cast)
    url = verification_url(certificate)
    assert url == f"https://neurodaraja.example.tz/verify/{certificate.shown_code}/"
    pdf = certificate_pdf(certificate)
    assert qr_of(pdf) == url
    assert url in pdf_text(pdf)


def test_a_revoked_certificate_says_so_on_the_page(cast):
    certificate = actions.revoke(cast.coordinator, year_one(cast), "Wrong trainee.")
    assert "nolongervalid" in pdf_text(certificate_pdf(certificate))


def test_a_demo_platforms_certificate_says_its_holder_is_fictional(cast, settings):
    certificate = year_one(cast)
    settings.DEMO_MODE = False
    assert "fictional" not in pdf_text(certificate_pdf(certificate))
    settings.DEMO_MODE = True
    assert "Demonstration:everyonehereisfictional." in pdf_text(certificate_pdf(certificate))


def test_the_holder_downloads_it(client, cast):
    certificate = year_one(cast)
    response = sign_in(client, cast.trainee).get(f"/training/certificates/{certificate.shown_code}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{certificate.shown_code}.pdf"'
    assert response.content.startswith(b"%PDF")

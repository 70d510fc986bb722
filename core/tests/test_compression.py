"""Pages leave the platform compressed (issue 11, "Light pages for real"): HTML and JSON are
gzipped for clients that accept it; DICOM and other compressed answers are sent as they are;
pages that show a sign-in secret are never compressed (BREACH: core.middleware)."""

from __future__ import annotations

import gzip
import json
import re

from django.http import HttpResponse
from django.test import Client, RequestFactory
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.actions import create_api_token
from core.middleware import CompressionMiddleware
from imaging.dicomweb.stow import sending_institution
from imaging.models import Instance, Study
from imaging.services import Batch, receive
from imaging.tests.data import encoded, small_ct
from neurodaraja.testing.personas import PASSWORD, sign_in
from neurodaraja.testing.sign_in import code_for, post_password

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def body(content: bytes) -> bytes:
    """The page without its CSRF tokens, which are masked afresh in every response."""
    return CSRF.sub(b"csrf", content)


def test_a_page_is_gzipped_for_a_browser_that_accepts_it_and_reads_the_same(cast, make_case):
    make_case(send=True)
    client = sign_in(Client(), cast.referrer)
    plain = client.get("/consultations/?box=ours")
    packed = client.get("/consultations/?box=ours", **GZIP)
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert len(packed.content) < len(plain.content) / 2
    assert int(packed["Content-Length"]) == len(packed.content)
    assert body(gzip.decompress(packed.content)) == body(plain.content)


def test_json_from_the_api_is_gzipped(cast, make_case):
    case = make_case(send=True)
    raw = create_api_token(cast.referrer, name="t", valid_days=3)[1]
    answer = Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get(f"/api/v1/cases/{case.code}", **GZIP)
    assert answer.status_code == 200
    assert answer["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(answer.content))["code"] == case.code


def test_a_tiny_answer_is_sent_as_it_is(db):
    answer = Client().get("/healthz", **GZIP)
    assert answer.status_code == 200
    assert "Content-Encoding" not in answer


def test_dicom_from_wado_is_not_compressed_again_but_its_json_metadata_is(cast):
    ds = small_ct(study=21, series=1, size=128)
    batch = Batch(
        institution=sending_institution(cast.referrer, ""), source=Study.Source.STOW, user=cast.referrer
    )
    instance = receive(batch, encoded(ds))
    assert isinstance(instance, Instance)
    series = instance.series
    url = (
        f"/dicomweb/studies/{series.study.study_uid}/series/{series.series_uid}/instances/{instance.sop_uid}"
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_api_token(cast.referrer, name='t', valid_days=3)[1]}")

    dicom = client.get(url, HTTP_ACCEPT="multipart/related; type=application/dicom", **GZIP)
    assert dicom.status_code == 200
    assert dicom["Content-Type"].startswith("multipart/related")
    assert "Content-Encoding" not in dicom
    assert b"DICM" in b"".join(dicom.streaming_content)

    metadata = client.get(url + "/metadata", HTTP_ACCEPT="application/dicom+json", **GZIP)
    assert metadata.status_code == 200
    assert metadata["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(metadata.streaming_content)).startswith(b"[")


def test_images_pdf_and_zip_are_never_compressed_again():
    middleware = CompressionMiddleware(lambda request: HttpResponse())
    request = RequestFactory().get("/", **GZIP)
    for content_type in (
        "image/webp",
        "image/png",
        "application/pdf",
        "application/zip",
        "application/dicom",
    ):
        response = HttpResponse(b"x" * 50_000, content_type=content_type)
        assert "Content-Encoding" not in middleware.process_response(request, response), content_type
    partial = HttpResponse(b"x" * 50_000, content_type="text/plain", status=206)
    assert "Content-Encoding" not in middleware.process_response(request, partial)
    text = HttpResponse(b"x" * 50_000, content_type="text/plain; charset=utf-8")
    assert middleware.process_response(request, text)["Content-Encoding"] == "gzip"


def test_a_new_api_token_is_shown_on_a_page_that_is_never_compressed(cast, as_user):
    client = as_user(cast.referrer)
    created = client.post(
        "/accounts/tokens/", {"name": "Phone app", "valid_days": "30", "password": PASSWORD}, **GZIP
    )
    assert created.status_code == 200
    assert "Content-Encoding" not in created
    assert created.context["new_token"] in created.content.decode()
    assert "Content-Encoding" not in client.get("/accounts/tokens/", **GZIP)


def test_the_authenticator_key_and_recovery_codes_are_on_pages_never_compressed(cast, client):
    post_password(client, "neuro@example.test")
    setup = client.get("/accounts/security/two-factor/", **GZIP)
    assert setup.status_code == 200 and b"otpauth://totp/" in setup.content
    assert "Content-Encoding" not in setup
    device = TOTPDevice.objects.get(user=cast.neurosurgeon)
    codes = client.post("/accounts/security/two-factor/", {"code": code_for(device)}, **GZIP)
    assert codes.status_code == 200 and codes.context["codes"]
    assert "Content-Encoding" not in codes
    assert "Content-Encoding" not in client.post("/accounts/security/recovery-codes/", **GZIP)

"""A 404 and a 403 are the product's own pages, with DEBUG on (as `make run` sets) or off: in the
reader's language, with a way home, and never Django's technical page listing every URL of the
site. The JSON API and DICOMweb keep answering in their own formats."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import include, path
from django.utils import translation

from accounts import actions as account_actions
from neurodaraja.testing.api_clients import bearer_client
from neurodaraja.testing.personas import sign_in

# What Django's technical 404 says (it lists the URL patterns it tried).
TECHNICAL = ["Using the URLconf", "Django tried these URL patterns", "DEBUG = True"]
NOT_FOUND = {
    "en": "This page does not exist, or you do not have access to it.",
    "sw": "Ukurasa huu haupo, au huna ruhusa ya kuufikia.",
    "zh-hans": "该页面不存在，或您无权访问。",
}


def product_page(response, status: int) -> str:
    page = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert not any(words in page for words in TECHNICAL), page[:500]
    assert 'href="/"' in page  # a way home
    return page


@pytest.fixture
def reader(cast):
    def signed_in(language: str) -> Client:
        account_actions.update_profile(cast.referrer, {"preferred_language": language})
        return sign_in(Client(), cast.referrer)

    return signed_in


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("language", ["en", "sw", "zh-hans"])
def test_an_address_that_is_no_page_gets_the_products_404_in_the_readers_language(
    reader, settings, debug, language
):
    settings.DEBUG = debug
    page = product_page(reader(language).get("/consultations/no/such/page/"), 404)
    assert NOT_FOUND[language] in page


@pytest.mark.parametrize("debug", [False, True])
def test_a_case_the_reader_may_not_see_gets_the_products_404(cast, make_case, settings, debug):
    # Raised by a view (Http404), where Django's technical page lists the patterns up to the match.
    case = make_case(send=True)
    settings.DEBUG = debug
    page = product_page(sign_in(Client(), cast.outsider).get(f"/consultations/{case.code}/"), 404)
    assert NOT_FOUND["sw"] in page  # the outsider reads Kiswahili


@pytest.mark.parametrize("debug", [False, True])
def test_a_stranger_gets_the_products_404_too(client, settings, debug):
    settings.DEBUG = debug
    product_page(client.get("/no-such-page"), 404)


@pytest.mark.parametrize("debug", [False, True])
def test_a_missing_trailing_slash_is_still_added(reader, settings, debug):
    settings.DEBUG = debug
    response = reader("en").get("/consultations/on-call")
    assert response.status_code == 301 and response["Location"] == "/consultations/on-call/"


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("language", ["en", "sw", "zh-hans"])
def test_a_page_the_role_does_not_allow_gets_the_products_403(reader, settings, debug, language):
    settings.DEBUG = debug
    page = product_page(reader(language).get("/conferences/new/"), 403)  # a referrer organises none
    with translation.override(language):
        assert translation.gettext("Not allowed") in page
    if language != "en":
        assert "Not allowed" not in page


@pytest.mark.parametrize("debug", [False, True])
def test_the_api_and_dicomweb_keep_their_own_404(cast, settings, debug):
    settings.DEBUG = debug
    client = bearer_client(cast.referrer)
    api = client.get("/api/v1/cases/ND-NOTHERE")
    assert api.status_code == 404 and api["Content-Type"].startswith("application/json")
    assert api.json()["code"] == "not_found"
    dicomweb = client.get("/dicomweb/studies/1.2.3.4/metadata", HTTP_ACCEPT="application/dicom+json")
    assert dicomweb.status_code == 404
    assert not dicomweb["Content-Type"].startswith("text/html")
    assert not any(words in dicomweb.content.decode() for words in TECHNICAL)


# --- 400 and 500: with DEBUG on, Django's traceback page shows each frame's local variables ----
def _fails_with_a_patient_in_its_variables(request):
    patient_name = "Synthetic Neema Mwakalinga"  # what a view holds when it fails
    raise RuntimeError(f"could not render the letter for {patient_name}")


def _refuses_a_suspicious_request(request):
    from django.core.exceptions import SuspiciousOperation

    raise SuspiciousOperation("a forged multipart boundary")


def _does_not_understand(request):
    from django.core.exceptions import BadRequest

    raise BadRequest("a malformed body")


urlpatterns = [
    path("fails/", _fails_with_a_patient_in_its_variables),
    path("suspicious/", _refuses_a_suspicious_request),
    path("bad/", _does_not_understand),
    path("", include("neurodaraja.urls")),
]
handler400, handler403, handler404, handler500 = (
    "core.views.bad_request",
    "core.views.permission_denied",
    "core.views.page_not_found",
    "core.views.server_error",
)
TRACEBACK = ["Traceback", "Request Method", "Local vars", "DEBUG = True", "patient_name"]


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("language", ["en", "sw", "zh-hans"])
def test_an_error_in_a_view_gets_the_products_500_and_no_variables_on_screen(
    reader, settings, caplog, debug, language
):
    settings.DEBUG = debug
    client = reader(language)
    client.raise_request_exception = False
    page = product_page(client.get("/fails/"), 500)
    assert not any(words in page for words in TRACEBACK)
    assert "Neema" not in page
    with translation.override(language):
        assert translation.gettext("Something went wrong") in page
    # The traceback is in the log for whoever runs the server, as without DEBUG.
    logged = [r for r in caplog.records if r.name == "django.request" and r.levelname == "ERROR"]
    assert logged and logged[-1].exc_info and logged[-1].exc_info[0] is RuntimeError


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("address", ["/suspicious/", "/bad/"])
def test_a_request_the_platform_refuses_gets_the_products_400(reader, settings, debug, address):
    settings.DEBUG = debug
    client = reader("sw")
    client.raise_request_exception = False
    page = product_page(client.get(address), 400)
    assert not any(words in page for words in TRACEBACK)
    with translation.override("sw"):
        assert translation.gettext("Bad request") in page


@pytest.mark.urls(__name__)
def test_a_developer_alone_may_ask_for_the_traceback_page(reader, settings):
    settings.DEBUG = True
    settings.TECHNICAL_ERROR_PAGES = True
    client = reader("en")
    client.raise_request_exception = False
    response = client.get("/fails/")
    assert response.status_code == 500 and "Traceback" in response.content.decode()


@pytest.mark.parametrize("debug", [False, True])
def test_a_broken_upload_refused_before_any_view_gets_the_products_400(cast, settings, debug):
    # The CSRF check reads the form before any view runs: a multipart body cut short fails there.
    settings.DEBUG = debug
    client = sign_in(Client(enforce_csrf_checks=True), cast.referrer)
    client.raise_request_exception = False
    assert client.get("/consultations/new/").status_code == 200  # the form, and its CSRF cookie
    response = client.generic(
        "POST",
        "/consultations/new/",
        b'--edge\r\nContent-Disposition: form-data; name="presenting_complaint"\r\n\r\nHea',
        content_type="multipart/form-data",  # no boundary: the parser cannot read it
    )
    page = product_page(response, 400)
    assert not any(words in page for words in TRACEBACK)


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("language", ["en", "sw", "zh-hans"])
def test_a_forms_address_opened_again_gets_the_products_page_with_the_way_back(
    cast, make_case, reader, settings, debug, language
):
    # After a refused message the browser sits on the form's address; a reload sends a GET.
    case = make_case(send=True)
    settings.DEBUG = debug
    response = reader(language).get(f"/consultations/{case.code}/messages/")
    page = product_page(response, 405)
    assert response["Allow"] == "POST"
    assert f'href="/consultations/{case.code}/"' in page  # back to the case, where the form is
    with translation.override(language):
        assert translation.gettext("This address cannot be opened") in page


def test_a_form_address_with_no_page_above_it_still_leads_home(reader):
    page = product_page(reader("en").get("/accounts/logout/"), 405)
    assert "Back to the page" not in page


def test_the_api_answers_a_method_it_does_not_take_in_its_json(cast, make_case):
    case = make_case(send=True)
    response = bearer_client(cast.referrer).get(f"/api/v1/cases/{case.code}/outcome")
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "method_not_allowed" and "GET" in body["detail"]
    assert response["Allow"] == "PUT"  # the outcome is recorded, or corrected, with PUT

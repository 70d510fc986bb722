"""The public verification page: open to everyone, signed in or not; says genuine, revoked or not
found, and then only who, for what, when and by whom; code guessing stopped per address while real
checks from one hospital's shared address are not; never indexed."""

from __future__ import annotations

import pytest
from django.test import Client

from neurodaraja.testing.access import fill
from neurodaraja.testing.api_clients import bearer_client, call
from neurodaraja.testing.personas import sign_in
from training.certificates import actions, verification
from training.certificates.tests.access import PUBLIC_PAGES, PUBLIC_READERS
from training.certificates.tests.world import fresh_lookups, year_one

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_lookups_yet():
    fresh_lookups()


@pytest.fixture
def certificate(cast):
    return year_one(cast)


def reader(cast, who: str) -> Client:
    return Client() if who == "signed_out" else sign_in(Client(), getattr(cast, who))


@pytest.mark.parametrize("who", PUBLIC_READERS)
def test_everyone_reaches_the_public_page_even_signed_out(cast, certificate, who):
    for url, status in PUBLIC_PAGES:
        fresh_lookups()
        response = reader(cast, who).get(fill(url, {"code": certificate.shown_code}))
        assert response.status_code == status, (who, url)
        assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_a_genuine_certificate_shows_who_for_what_when_and_by_whom_and_nothing_else(cast, certificate):
    page = Client().get(f"/verify/{certificate.shown_code}/").content.decode()
    assert "Genuine" in page
    assert "Amani Kileo" in page
    assert "Completed Year 1 of the programme MMed Neurosurgery" in page
    assert "Muhimbili Orthopaedic Institute" in page
    for private in ("trainee@example.test", "Grace Lyimo", "Baraka Massawe", "Year 2", "Revoked"):
        assert private not in page


def test_the_code_is_read_however_it_is_typed(cast, certificate):
    typed = certificate.shown_code.lower().replace("-", " ")
    response = Client().get("/verify/", {"code": typed})
    assert response.status_code == 302 and response["Location"] == f"/verify/{certificate.shown_code}/"


def test_what_it_is_for_is_said_in_the_readers_language(cast, certificate):
    page = Client(headers={"accept-language": "zh-hans"}).get(f"/verify/{certificate.shown_code}/")
    text = page.content.decode()
    assert "第一年" in text and "神经外科硕士" in text and "真实有效" in text


def test_a_revoked_certificate_says_so_and_not_why(cast, certificate):
    actions.revoke(cast.coordinator, certificate, "Issued to the wrong trainee.")
    page = Client().get(f"/verify/{certificate.shown_code}/").content.decode()
    assert "Revoked" in page and "no longer valid" in page
    assert "Genuine" not in page and "wrong trainee" not in page


def test_an_unknown_code_is_not_found_and_shows_nothing_of_other_certificates(cast, certificate):
    response = Client().get("/verify/NDC-2222-2222-2222/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "No certificate has the code NDC-2222-2222-2222" in page
    assert "Amani Kileo" not in page and certificate.shown_code not in page


def test_garbage_is_not_found_too_and_is_shown_escaped(cast):
    response = Client().get("/verify/", {"code": "<script>x</script>"})
    assert response.status_code == 404
    assert b"<script>x" not in response.content


def reissued(cast, certificate, times: int) -> list:
    """More real codes: each certificate revoked (still found, as revoked) and issued again."""
    codes = [certificate]
    for _ in range(times):
        actions.revoke(cast.coordinator, codes[-1], "Reissued with the holder's name corrected.")
        codes.append(year_one(cast))
    return codes


def test_a_hospital_behind_one_address_checks_as_many_real_certificates_as_it_likes(cast, certificate):
    codes = reissued(cast, certificate, 3)
    client = Client(REMOTE_ADDR="41.59.1.2")
    # Far more than the old 30 an address: real codes do not count against the address.
    for _ in range(verification.CHECKS_OF_ONE_CODE - 1):
        for each in codes:
            assert client.get(f"/verify/{each.shown_code}/").status_code == 200
    # A few mistyped codes along the way change nothing either.
    for _ in range(5):
        assert client.get("/verify/NDC-2222-2222-2222/").status_code == 404
    assert "Genuine" in client.get("/verify/", {"code": codes[-1].shown_code}, follow=True).content.decode()


def test_guessing_codes_is_stopped_and_then_every_lookup_waits_saying_when_and_nothing_else(
    cast, certificate
):
    client = Client(REMOTE_ADDR="41.59.1.2")
    for n in range(verification.MISSES):
        assert client.get(f"/verify/NDC-2222-2222-{n:04d}/").status_code == 404
    refused = client.get("/verify/NDC-2222-2222-2222/")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) <= verification.WINDOW
    page = refused.content.decode()
    assert "Too many codes that match no certificate have been tried from your network." in page
    assert "Wait 60 minutes, then try again." in page
    assert "No certificate has the code" not in page
    # A real code now waits too: answering it alone would make the refusal say "no certificate".
    real = client.get(f"/verify/{certificate.shown_code}/")
    assert real.status_code == 429 and "Amani Kileo" not in real.content.decode()
    assert "Genuine" not in real.content.decode()
    # In the reader's language; the empty form is no lookup; another address is not held back.
    swahili = client.get(f"/verify/{certificate.shown_code}/", headers={"accept-language": "sw"})
    assert "Subiri dakika 60" in swahili.content.decode()
    chinese = client.get(f"/verify/{certificate.shown_code}/", headers={"accept-language": "zh-hans"})
    assert "60 分钟" in chinese.content.decode()
    assert client.get("/verify/").status_code == 200
    assert Client(REMOTE_ADDR="41.59.1.3").get(f"/verify/{certificate.shown_code}/").status_code == 200


def test_a_script_polling_one_certificate_is_held_back_for_that_certificate_only(cast, certificate):
    certificate, other = reissued(cast, certificate, 1)
    client = Client(REMOTE_ADDR="41.59.1.2")
    for _ in range(verification.CHECKS_OF_ONE_CODE):
        assert client.get(f"/verify/{certificate.shown_code}/").status_code == 200
    refused = client.get(f"/verify/{certificate.shown_code}/")
    assert refused.status_code == 429
    assert "This certificate has been checked many times from your network." in refused.content.decode()
    assert client.get(f"/verify/{other.shown_code}/").status_code == 200
    assert Client(REMOTE_ADDR="41.59.1.3").get(f"/verify/{certificate.shown_code}/").status_code == 200


def test_the_api_checks_a_code_for_anyone_with_a_token_and_stops_guessing_too(cast, certificate):
    client = bearer_client(cast.researcher)
    answer = call(client, "get", f"/training/certificate-checks/{certificate.code.lower()}")
    assert answer.status_code == 200
    assert answer.json() == {
        "code": certificate.shown_code,
        "found": True,
        "revoked": False,
        "holder": "Amani Kileo",
        "title": "Completed Year 1 of the programme MMed Neurosurgery",
        "issued_at": answer.json()["issued_at"],
        "issuer": "Muhimbili Orthopaedic Institute",
        "revoked_at": None,
    }
    for _ in range(verification.CHECKS_OF_ONE_CODE - 1):  # real checks do not count as misses
        assert (
            call(client, "get", f"/training/certificate-checks/{certificate.shown_code}").status_code == 200
        )
    missing = call(client, "get", "/training/certificate-checks/NDC-2222-2222-2222")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    for _ in range(verification.MISSES - 1):
        call(client, "get", "/training/certificate-checks/NDC-2222-2222-2222")
    limited = call(client, "get", f"/training/certificate-checks/{certificate.shown_code}")
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"
    assert "Too many codes that match no certificate" in limited.json()["detail"]
    assert "Amani" not in limited.content.decode()


def test_someone_signed_in_without_their_second_factor_yet_still_checks_a_certificate(cast, certificate):
    client = Client()
    client.force_login(cast.coordinator)  # a coordinator must set up an authenticator first
    assert client.get("/training/certificates/").status_code == 302  # sent to set it up
    page = client.get(f"/verify/{certificate.shown_code}/")
    assert page.status_code == 200 and "Amani Kileo" in page.content.decode()
    assert client.get("/verify/").status_code == 200

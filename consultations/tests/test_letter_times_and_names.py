"""The advice letter names the time zone of every time it prints, and the letter that carries the
patient's name downloads under another file name than the one that does not (issue 11)."""

from __future__ import annotations

import zoneinfo

import pytest
from django.test import Client
from django.utils import timezone

from consultations.models import Opinion
from neurodaraja.testing.api_clients import bearer_client
from neurodaraja.testing.cases import answered
from neurodaraja.testing.pdf import pdf_text
from neurodaraja.testing.personas import sign_in


def letter(client: Client, code: str, query: str = "") -> tuple[str, str]:
    """(the letter's text, the name it downloads under)."""
    response = client.get(f"/consultations/{code}/letter.pdf?{query}")
    assert response.status_code == 200, response
    # A long heading wraps and is justified: compare words, not the line breaks and spaces.
    return " ".join(pdf_text(response.content).split()), response["Content-Disposition"]


def local(opinion: Opinion, zone: str) -> str:
    return timezone.localtime(opinion.created_at, zoneinfo.ZoneInfo(zone)).strftime("%H:%M")


def test_the_same_opinion_reads_in_each_readers_zone_with_the_zone_named(cast, make_case):
    case = answered(cast, make_case)
    opinion = case.opinions.get()
    at_home, _ = letter(sign_in(Client(), cast.referrer), case.code, "lang=en")
    abroad, _ = letter(sign_in(Client(), cast.consultant_china), case.code, "lang=en")
    assert f"{local(opinion, 'Africa/Dar_es_Salaam')} (Africa/Dar es Salaam, UTC+03:00)" in at_home
    assert f"{local(opinion, 'Asia/Shanghai')} (Asia/Shanghai, UTC+08:00)" in abroad
    # The footer's printing time is named too: no time on the letter is left without its zone.
    assert at_home.count("(Africa/Dar es Salaam, UTC+03:00)") == 2
    assert abroad.count("(Asia/Shanghai, UTC+08:00)") == 2


@pytest.mark.parametrize(
    ("language", "zone"),
    [("sw", "(Africa/Dar es Salaam, UTC+03:00)"), ("zh-hans", "（Africa/Dar es Salaam，UTC+03:00）")],
)
def test_the_zone_is_named_in_the_letters_language(cast, make_case, language, zone):
    case = answered(cast, make_case)
    text, _ = letter(sign_in(Client(), cast.referrer), case.code, f"lang={language}")
    assert zone in text


def test_the_letter_with_the_patients_name_downloads_under_its_own_name(cast, make_case):
    case = answered(cast, make_case)
    client = sign_in(Client(), cast.referrer)
    with_name, named = letter(client, case.code, "identity=1&lang=sw")
    without_name, plain = letter(client, case.code, "lang=sw")
    assert "Amina Juma Mollel" in with_name and "Amina" not in without_name
    assert named == f'attachment; filename="{case.code}-advice-with-name-sw.pdf"'
    assert plain == f'attachment; filename="{case.code}-advice-sw.pdf"'
    for part in ("Amina", "Juma", "Mollel", case.identity.hospital_number):
        assert part.lower() not in named.lower()


def test_a_letter_asked_with_the_name_abroad_is_named_as_the_letter_without_it(cast, make_case):
    case = answered(cast, make_case)
    text, name = letter(sign_in(Client(), cast.consultant_china), case.code, "identity=1&lang=en")
    assert "Amina" not in text
    assert name == f'attachment; filename="{case.code}-advice-en.pdf"'


def test_the_letter_from_the_api_is_in_the_callers_zone_too(cast, make_case):
    case = answered(cast, make_case)
    response = bearer_client(cast.consultant_china).get(f"/api/v1/cases/{case.code}/letter?lang=en")
    assert response.status_code == 200
    assert "(Asia/Shanghai, UTC+08:00)" in " ".join(pdf_text(response.content).split())

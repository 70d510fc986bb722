"""What is found in free text when nobody's identity is known (a logbook, an assessment, a
narrative written abroad): numbers beside Chinese characters, ID card and record numbers, e-mail
addresses. Ordinary clinical numbers stay."""

from __future__ import annotations

import pytest

from lib.identifiers import Identity, Kind, scan


def found(text: str) -> list[tuple[Kind, str]]:
    return [(finding.kind, finding.text) for finding in scan({"reflection": text}, Identity())]


@pytest.mark.parametrize("text", ["电话13812345678", "患者王某电话13912345678术后好", "电话 13812345678"])
def test_a_phone_number_is_found_beside_chinese_characters(text):
    assert [kind for kind, _ in found(text)] == [Kind.PHONE]


@pytest.mark.parametrize("number", ["370102198003121234", "37010219800312123X"])
def test_a_chinese_id_card_number_is_found(number):
    assert found(f"身份 {number} 已核对") == [(Kind.NUMBER, number)]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("住院号：A20261203", "A20261203"),
        ("病历号 88123", "88123"),
        ("MRN 123456 reviewed", "123456"),
        ("IP No. MNH/4471", "MNH/4471"),
        ("namba ya faili 20451", "20451"),
    ],
)
def test_a_number_after_a_record_label_is_found(text, number):
    assert found(text) == [(Kind.NUMBER, number)]


def test_an_email_address_is_found():
    assert found("family email juma.hamisi@gmail.com") == [(Kind.EMAIL, "juma.hamisi@gmail.com")]


@pytest.mark.parametrize(
    "text",
    [
        "GCS 15 at 2 hours, 3 burr holes",
        "CT 2025 scan, shift 7 mm",
        "Relationship no 12 to the ship no 345",
        "ETV at 14 weeks, shunt 120 mm",
    ],
)
def test_ordinary_clinical_numbers_stay(text):
    assert found(text) == []

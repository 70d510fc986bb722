"""Identifiers typed into a narrative are found before the case leaves the hospital."""

import pytest

from lib.identifiers import Identity, Kind, scan, unconfirmed

AMINA = Identity(full_name="Amina Juma Mollel", hospital_number="SRRH/2025/00123", phone="+255754123456")


def kinds(text: str, identity: Identity = AMINA) -> list[tuple[Kind, str]]:
    return [(f.kind, f.text) for f in scan({"history": text}, identity)]


def test_the_whole_name_and_its_parts_are_found_in_any_case():
    assert kinds("Amina Juma Mollel fell from a motorcycle") == [(Kind.NAME, "Amina Juma Mollel")]
    assert kinds("mama of AMINA says she vomited; Mollel family") == [
        (Kind.NAME, "AMINA"),
        (Kind.NAME, "Mollel"),
    ]


def test_short_or_partial_words_are_not_names():
    assert kinds("Aminophylline given on Jumanne") == []


def test_the_hospital_number_is_found_however_it_is_written():
    for written in ["SRRH/2025/00123", "srrh 2025 00123", "SRRH-2025-00123"]:
        assert kinds(f"File {written} reviewed") == [(Kind.HOSPITAL_NUMBER, written)], written


@pytest.mark.parametrize("written", ["0754 123 456", "+255 754 123 456", "0754-123-456", "255754123456"])
def test_the_patients_phone_is_found_in_local_and_international_form(written):
    assert [kind for kind, _text in kinds(f"call {written} for the father")] == [Kind.PHONE]


def test_any_phone_like_number_is_flagged():
    assert kinds("brother on 0713 555 777") == [(Kind.PHONE, "0713 555 777")]


@pytest.mark.parametrize(
    "written",
    [
        "12/03/2025",
        "12.3.25",
        "2025-03-12",
        "12 March 2025",
        "March 12, 2025",
        "12 Machi 2025",
        "2025年3月12日",
    ],
)
def test_calendar_dates_are_found(written):
    assert kinds(f"admitted {written} after RTA") == [(Kind.DATE, written)]


def test_clinical_numbers_are_not_flagged():
    assert kinds("GCS 7/15 (E2V2M3), BP 160/90, pupils 4 mm, 2 hours after injury, Hb 10.2") == []


def test_each_field_is_scanned_and_findings_say_where():
    found = scan({"history": "Amina fell", "question": "Operate on Mollel?"}, AMINA)
    assert [(f.field, f.text) for f in found] == [("history", "Amina"), ("question", "Mollel")]
    assert found[0].start == 0 and found[0].end == 5


def test_a_confirmed_pattern_is_no_longer_reported_but_the_patients_own_name_always_is():
    found = scan({"history": "Amina seen on 12/03/2026"}, Identity(full_name="Amina"))
    assert [(f.kind, f.of_the_patient) for f in found] == [("name", True), ("date", False)]
    assert unconfirmed(found, {f.key for f in found}) == [found[0]]


def test_the_patients_own_phone_is_hers_another_number_is_a_pattern():
    found = scan({"history": "call 0754 123 456 or the ward 0754 999 888"}, Identity(phone="+255754123456"))
    assert [(f.text, f.of_the_patient) for f in found] == [("0754 123 456", True), ("0754 999 888", False)]


def test_an_empty_identity_still_finds_phones_and_dates():
    assert [kind for kind, _t in kinds("seen 01/02/2025, phone 0754000111", Identity())] == [
        Kind.DATE,
        Kind.PHONE,
    ]

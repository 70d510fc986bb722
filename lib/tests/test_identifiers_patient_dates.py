"""The patient's own date of birth and admission date, written in the free text, are hers: they can
never be kept, however they are written. Another date is a pattern the referrer may keep."""

from __future__ import annotations

from datetime import date

import pytest

from lib.identifiers import Identity, Kind, scan, unconfirmed

AMINA = Identity(
    full_name="Amina Juma Mollel", date_of_birth=date(1985, 3, 14), admitted_on=date(2026, 11, 2)
)


def dates(text: str, identity: Identity = AMINA) -> list[tuple[str, bool]]:
    return [(f.text, f.of_the_patient) for f in scan({"history": text}, identity) if f.kind is Kind.DATE]


@pytest.mark.parametrize(
    "written",
    [
        "14/03/1985",
        "14-3-1985",
        "14.03.85",
        "03/14/1985",  # month first
        "3/14/85",
        "1985-03-14",
        "1985/3/14",
        "1985.03.14",
        "14 March 1985",
        "14th Mar. 1985",
        "March 14, 1985",
        "14 Machi 1985",
        "Machi 14 1985",
        "1985年3月14日",
        "１９８５年３月１４日",  # full-width digits, as a Chinese keyboard types them
    ],
)
def test_her_date_of_birth_is_hers_in_every_written_form(written):
    assert dates(f"born {written}, fell from a motorcycle") == [(written, True)]


@pytest.mark.parametrize(
    "written", ["02/11/2026", "11/02/2026", "2026-11-02", "2 Novemba 2026", "2026年11月2日"]
)
def test_her_admission_date_is_hers(written):
    assert dates(f"admitted {written}") == [(written, True)]


@pytest.mark.parametrize(
    "written",
    [
        "15/03/1985",  # another day
        "14/04/1985",  # another month
        "14/03/1986",  # another year
        "14/03/2085",
        "1985-14-03",  # year first is read year-month-day only
        "14 May 1985",
        "Mei 14, 1985",
        "12/03/2026",
    ],
)
def test_another_date_is_a_pattern_that_may_be_kept(written):
    found = scan({"history": f"seen {written}"}, AMINA)
    assert [(f.text, f.of_the_patient) for f in found] == [(written, False)]
    assert unconfirmed(found, {f.key for f in found}) == []


def test_her_dates_cannot_be_confirmed_away_another_date_can():
    found = scan({"history": "DOB 14/03/1985, admitted 2026-11-02, CT done 05/11/2026"}, AMINA)
    assert [(f.text, f.of_the_patient) for f in found] == [
        ("14/03/1985", True),
        ("2026-11-02", True),
        ("05/11/2026", False),
    ]
    assert [f.text for f in unconfirmed(found, {f.key for f in found})] == ["14/03/1985", "2026-11-02"]


def test_a_two_digit_year_matches_her_year_in_either_century():
    assert dates("DOB 14.3.85", Identity(date_of_birth=date(1985, 3, 14))) == [("14.3.85", True)]
    assert dates("admitted 2/11/26", Identity(admitted_on=date(2026, 11, 2))) == [("2/11/26", True)]


def test_without_her_dates_every_date_is_a_pattern():
    assert dates("born 14/03/1985", Identity(full_name="Amina")) == [("14/03/1985", False)]


def test_an_impossible_date_is_still_found_and_is_not_hers():
    assert dates("seen 31/02/1985") == [("31/02/1985", False)]

"""Clean Descriptors as an allow-list: only acquisition and anatomy terms survive a description."""

from __future__ import annotations

import re

import pytest

from lib.deid.vocabulary import TERMS, clean, is_safe_word
from lib.identifiers import CJK


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("STD BRAIN 1MM, iDose", "STD BRAIN 1MM, iDose"),
        ("HEAD ROUTINE", "HEAD ROUTINE"),
        ("Head 5mm", "Head 5mm"),
        ("AX 0.625 MM C+", "AX 0.625 MM C+"),
        ("Routine Head 5.0 H30s", "Routine Head 5.0 H30s"),
        ("64x0.625 Helical", "64x0.625 Helical"),
        ("Topogram 0.6 T20s", "Topogram 0.6 T20s"),
        ("Head without contrast", "Head without contrast"),
        ("CT HEAD W/O CONTRAST", "CT HEAD W/O CONTRAST"),
        ("Dose Report", "Dose Report"),
        ("SAG MPR 3D Recon", "SAG MPR 3D Recon"),
        ("头颅CT平扫", "头颅CT平扫"),
        ("头颅平扫 轴位 5mm 骨窗", "头颅平扫 轴位 5mm 骨窗"),
        ("增强 冠状位 矢状位 脑窗", "增强 冠状位 矢状位 脑窗"),
        ("Kichwa bila", "Kichwa"),
        ("iDose (4)", "iDose (4)"),
        ("Head + Neck", "Head + Neck"),
        ("颅脑CT平扫+三维重建", "颅脑CT平扫+三维重建"),
        ("Patient Protocol", "Patient Protocol"),
    ],
)
def test_what_scanners_write_is_kept(written, kept):
    assert clean(written).text == kept


@pytest.mark.parametrize(
    ("written", "kept", "removed"),
    [
        ("HEAD Mwakalinga", "HEAD", 1),
        ("CT HEAD MNH-2026-004217", "CT HEAD", 2),
        ("scan 14/03/2026 for Neema", "scan", 2),  # the date, the name and the "for" left behind
        ("HEAD (Neema) 5mm", "HEAD 5mm", 1),
        ("1A TRAUMA/PLAIN HEAD DM /Head", "1A TRAUMA/PLAIN HEAD /Head", 1),
        ("头颅平扫 王芳", "头颅平扫", 1),
        ("头颅王芳平扫", "头颅 平扫", 1),
        ("2026年3月14日 头颅平扫", "头颅平扫", 1),
        ("C-spine post-Mushi", "C-spine post", 1),
    ],
)
def test_any_other_word_goes_and_is_only_counted(written, kept, removed):
    assert (clean(written).text, clean(written).removed) == (kept, removed)


@pytest.mark.parametrize(
    "written",
    [
        "Dr John Mwakyusa",
        "Bi. Neema Mushi",
        "王芳",
        "张伟医生",
        "MRN 12345678",
        "+255 754 123 456",
        "0754-123-456",
        "2026-03-14",
        "14.03.26",
        "20260314",
        "ID:4471129",
        "ACC4471129",
        "2026",
    ],
)
def test_names_numbers_and_dates_leave_nothing(written):
    cleaned = clean(written)
    assert cleaned.text == "" and cleaned.removed >= 1


def test_a_phone_number_split_into_short_groups_does_not_survive_as_numbers():
    # Three-digit groups are safe alone ("120 kV"); together they are a phone number.
    assert "754" not in clean("Head 5mm call +255 754 123 456").text
    assert clean("120 kV 250 mAs").text == "120 kV 250 mAs"


def test_no_term_is_a_single_cjk_character():
    # A lone character is part of too many names (王, 芳, 平…) to be kept on its own.
    assert not [term for term in TERMS if re.fullmatch(f"[{CJK}]", term)]


def test_safe_patterns_are_measurements_and_short_codes_never_long_numbers():
    for word in ("5mm", "0.625", "120kV", "H30s", "J40s", "FC03", "B30f", "1A", "3D", "#2", "window1"):
        assert is_safe_word(word), word
    for word in ("12345", "2026", "0754123456", "MRN12345678", "Neema", "DM"):
        assert not is_safe_word(word), word

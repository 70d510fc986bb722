"""Finds a patient's identifiers typed into free text before a case leaves the hospital.

Plain Python. The referrer sees each finding and must remove it or confirm that it may stay
(a drug called "Grace", a date that is not the patient's). What is looked for:
- the patient's own name, whole or any part of three letters or more; in scripts written without
  spaces (Chinese, Japanese, Korean) the whole name and the surname and given name written
  together, found inside the text with no word boundary (患者王芳头痛), never one character alone;
- the hospital number, however it is spaced or punctuated;
- the patient's phone number, in local or international form, and any other phone-like number;
- calendar dates in the usual written forms (exact dates are identifiers in the consent terms);
  a date that can be read as the patient's date of birth or admission date is hers;
- whatever the identity: long numbers (an 18-digit Chinese ID card number), a number written after
  a record label (住院号, MRN, IP No, namba ya faili), e-mail addresses, and what reads as anyone's
  name (lib.person_names: Mr Juma, Juma Hamisi, 王先生).
Numbers are found beside Chinese characters too (电话13812345678): Chinese is written without spaces.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import islice
from typing import Protocol

from lib.person_names import name_like


class Kind(StrEnum):
    NAME = "name"
    HOSPITAL_NUMBER = "hospital_number"
    PHONE = "phone"
    DATE = "date"
    NUMBER = "number"  # an ID card, record or file number
    EMAIL = "email"


@dataclass(frozen=True)
class Finding:
    field: str
    kind: Kind
    start: int
    end: int
    text: str
    # The patient's own name, hospital number, phone, date of birth or admission date, matched
    # against the identity record: it can never be kept, whatever the referrer ticks. A pattern
    # (another number, another date) can.
    of_the_patient: bool = False

    @property
    def key(self) -> str:
        """Stable id of this finding, for the referrer's confirmation (the text is not stored)."""
        raw = f"{self.field}|{self.kind}|{self.text.casefold()}"
        return hashlib.sha256(raw.encode()).hexdigest()[:16]


class IdentityRecord(Protocol):
    """What an identity record holds (consultations' PatientIdentity), without importing it."""

    full_name: str
    hospital_number: str
    phone: str
    date_of_birth: date | None
    admitted_on: date | None


@dataclass(frozen=True)
class Identity:
    full_name: str = ""
    hospital_number: str = ""
    phone: str = ""
    date_of_birth: date | None = None
    admitted_on: date | None = None

    @classmethod
    def of(cls, record: IdentityRecord) -> Identity:
        """Everything of the record that is looked for, so that no caller forgets a field."""
        return cls(
            full_name=record.full_name,
            hospital_number=record.hospital_number,
            phone=record.phone,
            date_of_birth=record.date_of_birth,
            admitted_on=record.admitted_on,
        )

    @property
    def dates(self) -> frozenset[date]:
        return frozenset(d for d in (self.date_of_birth, self.admitted_on) if d is not None)


_MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|july|"
    "august|september|october|november|december|"
    # Kiswahili month names (Januari… Desemba) and the common "mwezi wa" form
    "januari|februari|machi|aprili|mei|juni|julai|agosti|septemba|oktoba|novemba|desemba"
)
# Each pattern names its parts, so that a found date can be read back as the day it says.
_DATE_PATTERNS = [
    # 12/03/2025, 12.3.25, 12-03-2025; day first or month first
    re.compile(r"\b(?P<a>\d{1,2})[./-](?P<b>\d{1,2})[./-](?P<year>\d{2,4})\b"),
    re.compile(r"\b(?P<year>\d{4})[./-](?P<month>\d{1,2})[./-](?P<day>\d{1,2})\b"),  # 2025-03-12
    re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<name>{_MONTHS})\.?,?\s+(?P<year>\d{{2,4}})\b",
        re.IGNORECASE,
    ),
    re.compile(
        rf"\b(?P<name>{_MONTHS})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{2,4}})\b",
        re.IGNORECASE,
    ),
    re.compile(r"(?P<year>\d{4})年(?P<month>\d{1,2})月(?P<day>\d{1,2})日"),  # 2025年3月12日
]
# The month a name stands for, by its first three letters (Machi, Mei, Agosti... included).
_MONTH_NUMBERS = {
    "jan": 1, "feb": 2, "mar": 3, "mac": 3, "apr": 4, "may": 5, "mei": 5, "jun": 6, "jul": 7,
    "aug": 8, "ago": 8, "sep": 9, "oct": 10, "okt": 10, "nov": 11, "dec": 12, "des": 12,
}  # fmt: skip


# A text with this many of one kind is refused already: the rest need not be listed, and
# checking each against all the others found would make the time grow with its square.
MAX_PER_KIND = 50


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


# Scripts written without spaces between words: a name is found inside the text, not as a word.
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_CJK_RUN = re.compile(f"[{CJK}]+")
_CJK_SEPARATED = re.compile(f"(?<=[{CJK}])[\\s^,.·・'-]+(?=[{CJK}])")
# A word boundary for the other scripts: no letter or digit of a spaced script beside the match
# (a CJK character beside it is a boundary: "Amina在医院").
_BEFORE = f"(?<![^\\W{CJK}])"
_AFTER = f"(?![^\\W{CJK}])"
# Nine to fifteen digits, allowing spaces, dots, dashes and a leading +: phone-like.
_PHONE_LIKE = re.compile(_BEFORE + r"\+?\d(?:[\s.-]?\d){8,14}" + _AFTER)
# Sixteen digits or more (a Chinese ID card number is 17 digits and a digit or X).
_LONG_NUMBER = re.compile(_BEFORE + r"\d{16,19}[Xx]?" + _AFTER)
# A number written after the label of a record: the label says what it is, however short it is.
_RECORD_LABEL = (
    r"住院号|病历号|病案号|门诊号|身份证号码?|身份证|档案号|"
    r"mrn|ip\s*no|op\s*no|reg(?:istration)?\s*no|file\s*no|hospital\s*(?:no|number)|"
    r"id\s*(?:no|number|card)|namba\s+ya\s+(?:faili|usajili|mgonjwa|kitambulisho)"
)
_RECORD_NUMBER = re.compile(
    rf"{_BEFORE}(?:{_RECORD_LABEL})\.?[\s:：#=]*(?P<number>[a-z]{{0,4}}[/-]?\d(?:[\w/-]*\d)?)", re.IGNORECASE
)
# Starting only where a run of address characters starts: otherwise a long run with no "@" is
# tried from each of its characters, and the time grows with the square of the text.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def cjk_names(text: str) -> list[str]:
    """The names to look for in a name written in CJK: the parts joined (王 芳, 王^芳, 王·芳 give
    王芳), so that surname and given name are found written together, and each part of two
    characters or more. One character alone is not a name: it is in too many ordinary words."""
    names = []
    for group in unicodedata.normalize("NFKC", text).split("="):  # a PN's alphabetic=ideographic=phonetic
        # Written together (王芳, 张伟明), and each part of two characters or more (伟明).
        runs = _CJK_RUN.findall(_CJK_SEPARATED.sub("", group)) + _CJK_RUN.findall(group)
        names += [run for run in runs if len(run) >= 2 and run not in names]
    return names


def join_cjk(text: str) -> str:
    """The text with the separators between CJK characters taken out (王 芳 → 王芳)."""
    return _CJK_SEPARATED.sub("", unicodedata.normalize("NFKC", text))


def _name_parts(full_name: str) -> list[str]:
    spaced = _CJK_RUN.sub(" ", full_name)
    parts = [part for part in re.split(r"[\s,.'^=-]+", spaced) if len(part) >= 3]
    parts += [name for name in cjk_names(full_name) if name not in parts]
    whole = full_name.strip()
    return ([whole] if whole and whole not in parts and len(parts) > 1 else []) + parts


def _name_pattern(part: str) -> re.Pattern[str]:
    if _CJK_RUN.fullmatch(part):
        # Inside the text, however the characters are spaced: 王芳, 王 芳, 王·芳.
        return re.compile(r"[\s·・^]*".join(re.escape(ch) for ch in _fold(part)))
    return re.compile(_BEFORE + re.escape(_fold(part)) + _AFTER)


def scan(texts: Mapping[str, str], identity: Identity) -> list[Finding]:
    """All findings in the given free-text fields, in field order then position; no overlaps."""
    findings: list[Finding] = []
    for field, text in texts.items():
        if text:
            findings.extend(_scan_one(field, text, identity))
    return findings


def _scan_one(field: str, text: str, identity: Identity) -> list[Finding]:
    found: list[Finding] = []
    folded = _fold(text)
    for part in _name_parts(identity.full_name):
        for match in islice(_name_pattern(part).finditer(folded), MAX_PER_KIND):
            found.append(
                Finding(field, Kind.NAME, match.start(), match.end(), text[match.start() : match.end()], True)
            )
    number = _digits(identity.hospital_number) if identity.hospital_number else ""
    if identity.hospital_number:
        # Hospital numbers mix letters and digits ("MNH/2025/00123"); ignore spacing and punctuation.
        compact = re.sub(r"[\W_]+", "", _fold(identity.hospital_number))
        if len(compact) >= 3:
            spaced = r"(?<!\w)" + r"[\W_]*".join(re.escape(ch) for ch in compact) + r"(?!\w)"
            for match in islice(re.finditer(spaced, folded), MAX_PER_KIND):
                found.append(
                    Finding(
                        field,
                        Kind.HOSPITAL_NUMBER,
                        match.start(),
                        match.end(),
                        text[match.start() : match.end()],
                        True,
                    )
                )
    phone_tail = _digits(identity.phone)[-9:] if identity.phone else ""
    for match in islice(_PHONE_LIKE.finditer(text), MAX_PER_KIND):
        if number and _digits(match.group()) == number:
            continue  # already reported as the hospital number
        patients = len(phone_tail) == 9 and phone_tail in _digits(match.group())
        found.append(Finding(field, Kind.PHONE, match.start(), match.end(), match.group(), patients))
    if len(phone_tail) == 9:
        for match in islice(re.finditer(r"[\d\s.-]{9,}", text), MAX_PER_KIND):
            if phone_tail in _digits(match.group()) and not _covered(found, match.start(), match.end()):
                found.append(
                    Finding(field, Kind.PHONE, match.start(), match.end(), match.group().strip(), True)
                )
    for match in islice(_LONG_NUMBER.finditer(text), MAX_PER_KIND):
        if not _covered(found, match.start(), match.end()):
            found.append(Finding(field, Kind.NUMBER, match.start(), match.end(), match.group()))
    for match in islice(_RECORD_NUMBER.finditer(text), MAX_PER_KIND):
        start, end = match.span("number")
        if sum(ch.isdigit() for ch in match.group("number")) >= 3 and not _covered(found, start, end):
            found.append(Finding(field, Kind.NUMBER, start, end, match.group("number")))
    for match in islice(_EMAIL.finditer(text), MAX_PER_KIND):
        if not _covered(found, match.start(), match.end()):
            found.append(Finding(field, Kind.EMAIL, match.start(), match.end(), match.group()))
    # Anyone's name (a relative's, or the patient's where no identity is on record): a pattern.
    for name in name_like(text)[:MAX_PER_KIND]:
        if not _covered(found, name.start, name.end):
            found.append(Finding(field, Kind.NAME, name.start, name.end, name.text))
    dates = identity.dates
    for pattern in _DATE_PATTERNS:
        for match in islice(pattern.finditer(text), MAX_PER_KIND):
            if not _covered(found, match.start(), match.end()):
                patients = any(_reads_as(match, day) for day in dates)
                found.append(Finding(field, Kind.DATE, match.start(), match.end(), match.group(), patients))
    return _without_overlaps(found)


def _reads_as(match: re.Match[str], day: date) -> bool:
    """Whether the written date can be read as this day: 03/04 as the 3rd of April or as March
    4th, a two-digit year as the same year in any century."""
    parts = match.groupdict()
    year = parts["year"]
    if int(year) != day.year and not (len(year) == 2 and int(year) == day.year % 100):
        return False
    if parts.get("name"):
        month = _MONTH_NUMBERS[parts["name"][:3].casefold()]
        readings = [(int(parts["day"]), month)]
    elif parts.get("a"):
        a, b = int(parts["a"]), int(parts["b"])
        readings = [(a, b), (b, a)]
    else:
        readings = [(int(parts["day"]), int(parts["month"]))]
    return (day.day, day.month) in readings


def _covered(found: Iterable[Finding], start: int, end: int) -> bool:
    return any(f.start < end and start < f.end for f in found)


def _without_overlaps(found: list[Finding]) -> list[Finding]:
    kept: list[Finding] = []
    # Longer matches first, so "Amina Juma" wins over "Amina" and "Juma". Sorted by start, the
    # kept ones do not overlap, so only the last can reach a new one (linear, however many).
    for finding in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if not kept or kept[-1].end <= finding.start:
            kept.append(finding)
    return kept


def unconfirmed(findings: Iterable[Finding], confirmed_keys: Iterable[str]) -> list[Finding]:
    """What still stops the text from leaving: every unconfirmed pattern, and the patient's own
    identifiers always (a confirmation cannot keep them)."""
    confirmed = set(confirmed_keys)
    return [finding for finding in findings if finding.of_the_patient or finding.key not in confirmed]

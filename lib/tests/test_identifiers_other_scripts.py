"""The patient's name is found in free text whatever script it is written in."""

from __future__ import annotations

import pytest

from lib.identifiers import Identity, Kind, cjk_names, scan

WANG_FANG = Identity(full_name="王芳")


def names(text: str, identity: Identity) -> list[str]:
    return [f.text for f in scan({"summary": text}, identity) if f.kind is Kind.NAME]


@pytest.mark.parametrize(
    "text", ["患者王芳，头痛三天", "王芳头颅外伤", "患者 王 芳 昏迷", "王·芳", "病人王芳。"]
)
def test_a_chinese_name_is_found_inside_chinese_text(text):
    found = scan({"summary": text}, WANG_FANG)
    assert [f.kind for f in found] == [Kind.NAME] and found[0].of_the_patient


def test_one_chinese_character_alone_is_not_her_name():
    assert names("芳香 王牌", WANG_FANG) == []
    # 王先生 reads as someone's name (surname and a form of address), but not as hers.
    (found,) = scan({"summary": "王先生"}, WANG_FANG)
    assert found.kind == Kind.NAME and not found.of_the_patient


@pytest.mark.parametrize("written", ["王 芳", "王^芳", "Wang Fang 王芳", "Wang^Fang=王^芳=ワン^ファン"])
def test_surname_and_given_name_are_looked_for_written_together(written):
    assert names("家属说王芳呕吐", Identity(full_name=written)) == ["王芳"]


def test_a_pn_with_ideographic_and_phonetic_groups_gives_each_name():
    assert cjk_names("Wang^Fang=王^芳=ワン^ファン") == ["王芳", "ワンファン", "ワン", "ファン"]


def test_a_three_character_name_and_its_given_name_written_apart():
    identity = Identity(full_name="张 伟明")
    assert names("张伟明术后复查", identity) == ["张伟明"]
    assert names("伟明说头痛", identity) == ["伟明"]


@pytest.mark.parametrize(
    ("full_name", "text", "found"),
    [
        ("Neema Mushi", "Bi. Neema Mushi alianguka", ["Neema Mushi"]),
        ("Neema Mushi", "mama wa Mushi", ["Mushi"]),
        ("John Mwakyusa", "Seen by Dr John Mwakyusa", ["John Mwakyusa"]),
        ("Amina Mollel", "Amina在医院", ["Amina"]),  # a Latin name next to Chinese is a word
        ("Amina Mollel", "Aminophylline", []),
    ],
)
def test_names_in_spaced_scripts_still_match_whole_words(full_name, text, found):
    assert names(text, Identity(full_name=full_name)) == found

"""Certificate codes: too many to guess, none misreadable, typed any way."""

from __future__ import annotations

import math

from training.certificates.codes import ALPHABET, LENGTH, new_code, parse, shown


def test_a_code_is_twelve_characters_of_31_that_cannot_be_misread():
    assert len(ALPHABET) == len(set(ALPHABET)) == 31
    assert not set("01OIL") & set(ALPHABET)
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000  # no repeats in 2,000 draws
    assert all(len(code) == LENGTH == 12 and set(code) <= set(ALPHABET) for code in codes)


def test_guessing_a_code_is_hopeless():
    # Over 59 bits: at 30 lookups per 10 minutes, an address needs ~5e12 years to try half of them.
    assert math.log2(len(ALPHABET) ** LENGTH) > 59


def test_every_character_is_drawn_across_the_alphabet():
    seen = set("".join(new_code() for _ in range(500)))
    assert seen == set(ALPHABET)


def test_a_code_is_printed_in_groups_and_read_back_however_typed():
    code = "7K3QX9MA4RTE"
    assert shown(code) == "NDC-7K3Q-X9MA-4RTE"
    for typed in ["NDC-7K3Q-X9MA-4RTE", "ndc 7k3q x9ma 4rte", "7K3QX9MA4RTE", " 7k3q-x9ma-4rte "]:
        assert parse(typed) == code


def test_what_cannot_be_a_code_reads_as_none():
    for typed in ["", "NDC-7K3Q", "7K3QX9MA4RT0", "7K3QX9MA4RTEE", "../../etc/passwd", "ND-7K3QX9M"]:
        assert parse(typed) is None

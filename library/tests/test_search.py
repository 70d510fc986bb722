"""Folding and ranking, the pure part of every library search."""

from library.search import Rank, fold, rank


def test_accents_case_and_dashes_are_ignored():
    assert fold("Hématome  EXTRADURAL") == "hematome extradural"
    assert fold("burr-hole") == fold("Burr hole")


def test_chinese_is_kept_as_it_is():
    assert fold("脑室腹腔分流术") == "脑室腹腔分流术"


def test_the_whole_term_ranks_above_a_term_that_starts_with_it():
    assert rank("shunt", ["shunt"]) is Rank.EXACT
    assert rank("shunt", ["shunt malfunction"]) is Rank.PREFIX
    assert rank("haematoma", ["extradural haematoma"]) is Rank.WORD
    assert rank("分流", ["脑室腹腔分流术"]) is Rank.INSIDE_TERM
    assert rank("valve", ["shunt"], ["A tube with a valve"]) is Rank.IN_DEFINITION
    assert rank("tumour", ["shunt"], ["a tube"]) is Rank.NONE


def test_each_also_said_form_counts_and_a_note_in_brackets_does_not_spoil_an_exact_match():
    assert rank("vp shunt", ["mrija", "shunt (Kiingereza); VP shunt"]) is Rank.EXACT
    assert rank("shunt", ["shunt (Kiingereza)"]) is Rank.EXACT
    assert rank("ETV", ["ETV; 三脑室底造瘘"]) is Rank.EXACT


def test_an_empty_query_matches_nothing():
    assert rank("  ", ["shunt"]) is Rank.NONE

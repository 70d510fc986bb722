"""Knowledge gain: paired pre/post scores, raw difference and Hake's normalised gain."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lib.knowledge_gain import Gain, paired, summarise


def test_only_participants_with_both_tests_are_paired():
    gains = paired({"amina": 4, "li": 6, "juma": 5}, {"li": 9, "amina": 7, "neema": 10}, maximum=10)
    assert [(g.participant, g.pre, g.post) for g in gains] == [("amina", 4, 7), ("li", 6, 9)]


def test_raw_difference_and_normalised_gain():
    gain = Gain("amina", pre=4, post=7, maximum=10)
    assert gain.raw == 3
    assert gain.normalised == pytest.approx(0.5)  # half of the 6 points left to learn
    assert Gain("li", pre=8, post=6, maximum=10).normalised == pytest.approx(-1.0)


def test_full_marks_before_the_session_leave_the_normalised_gain_undefined():
    assert Gain("li", pre=10, post=10, maximum=10).normalised is None
    assert Gain("li", pre=10, post=8, maximum=10).normalised is None
    assert Gain("li", pre=10, post=8, maximum=10).raw == -2


def test_the_session_means_and_medians_leave_undefined_gains_out_of_g_only():
    gains = paired({"a": 2, "b": 5, "c": 10}, {"a": 6, "b": 10, "c": 9}, maximum=10)
    summary = summarise(gains)
    assert summary.n_paired == 3 and summary.n_normalised == 2
    assert summary.mean_pre == pytest.approx(17 / 3)
    assert summary.mean_post == pytest.approx(25 / 3)
    assert summary.mean_raw == pytest.approx((4 + 5 - 1) / 3)
    assert summary.median_raw == 4
    assert summary.mean_normalised == pytest.approx((0.5 + 1.0) / 2)
    assert summary.median_normalised == pytest.approx(0.75)


def test_a_session_with_nobody_paired_has_no_means():
    summary = summarise(paired({"a": 3}, {"b": 4}, maximum=10))
    assert summary.n_paired == 0 and summary.mean_raw is None and summary.median_normalised is None


def test_scores_outside_the_range_are_refused():
    with pytest.raises(ValueError):
        paired({"a": 11}, {"a": 5}, maximum=10)
    with pytest.raises(ValueError):
        paired({"a": 1}, {"a": -1}, maximum=10)
    with pytest.raises(ValueError):
        paired({"a": 0}, {"a": 0}, maximum=0)


@given(st.integers(1, 50).flatmap(lambda m: st.tuples(st.just(m), st.integers(0, m), st.integers(0, m))))
def test_the_normalised_gain_is_at_most_one_and_has_the_sign_of_the_difference(case):
    maximum, pre, post = case
    g = Gain("x", pre, post, maximum).normalised
    if pre == maximum:
        assert g is None
    else:
        assert g is not None and g <= 1 and (g > 0) == (post > pre) and (g == 1) == (post == maximum)

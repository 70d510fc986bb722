"""Score content is complete in the three languages and covers everything a result can say."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neurodaraja.testing.scores import inputs_for
from scores.content import CONTENT
from scores.library import CALCULATORS, InputError
from scores.present import present

PLACEHOLDER = re.compile(r"%\(\w+\)s")


@pytest.mark.parametrize("language", ["sw", "zh-hans"])
def test_every_language_has_every_text_with_the_same_placeholders(language):
    english, other = CONTENT["en"], CONTENT[language]
    assert set(other) == set(english), sorted(set(other) ^ set(english))[:10]
    for key, text in english.items():
        assert other[key].strip(), key
        assert PLACEHOLDER.findall(other[key]) == PLACEHOLDER.findall(text), key


def looks_like_a_key(text: str) -> bool:
    return bool(re.fullmatch(r"(calc|field|choice|band|note|outcome|family)\.[\w.]+", text))


@pytest.mark.parametrize("code", list(CALCULATORS))
@pytest.mark.parametrize("language", ["en", "sw", "zh-hans"])
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_every_result_is_presented_without_a_missing_text(code, language, data):
    calculator = CALCULATORS[code]
    try:
        result = calculator(data.draw(inputs_for(code)))
    except InputError:
        return
    shown = present(calculator, result, language)
    texts = [shown.name, shown.band, shown.population, shown.limits, *shown.notes]
    texts += [label for label, _value in shown.probabilities]
    texts += [text for row in shown.rows for text in row[:2]]
    missing = [text for text in texts if looks_like_a_key(text)]
    assert not missing, missing

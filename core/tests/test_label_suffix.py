"""A label's suffix reads right in every language: no "？:" after a Chinese question, the
full-width colon in Chinese, Django's ":" elsewhere."""

from __future__ import annotations

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation


class Asked(forms.Form):
    question = forms.CharField(label="该令牌的用途是什么？")
    sentence = forms.CharField(label="请写住院号。")
    plain = forms.CharField(label="姓名")
    english = forms.CharField(label="What is it for?")


def rendered(language: str) -> str:
    with translation.override(language):
        return Template('{% include "includes/form.html" %}').render(Context({"form": Asked()}))


def test_a_label_that_ends_a_sentence_gets_no_colon():
    page = rendered("zh-hans")
    assert "该令牌的用途是什么？</label>" in page and "请写住院号。</label>" in page
    assert "？:" not in page and "。:" not in page and "What is it for?</label>" in page


def test_in_chinese_the_colon_is_full_width():
    assert "姓名：</label>" in rendered("zh-hans")


@pytest.mark.parametrize("language", ["en", "sw"])
def test_elsewhere_django_adds_its_colon(language):
    assert "姓名:</label>" in rendered(language)

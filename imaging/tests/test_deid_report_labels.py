"""The de-identification report says in the referrer's language why each attribute was changed,
and how many words a description lost (a count: the words themselves are never kept)."""

from __future__ import annotations

import dataclasses

import pytest
from django.test import Client
from django.utils import translation

from conftest import sign_in
from imaging.actions import REASON_LABELS
from imaging.messages import DEID_REASON_LABELS, explain_words_removed
from imaging.models import Study
from imaging.services import Batch, receive
from imaging.tests.data import encoded, small_ct
from lib.deid.dicom import Entry, Reason


def test_every_reason_has_a_label():
    assert set(Reason) <= set(REASON_LABELS) | set(DEID_REASON_LABELS)


@pytest.mark.parametrize("language", ["sw", "zh-hans"])
def test_the_new_reasons_and_the_count_are_translated(language):
    with translation.override("en"):
        english = [str(label) for label in DEID_REASON_LABELS.values()] + [explain_words_removed(2)]
    with translation.override(language):
        translated = [str(label) for label in DEID_REASON_LABELS.values()] + [explain_words_removed(2)]
    assert all(t and t != e for t, e in zip(translated, english, strict=True))
    with translation.override(language):
        assert "2" in explain_words_removed(2)


def test_the_count_reads_as_a_sentence_in_english():
    with translation.override("en"):
        assert (explain_words_removed(1), explain_words_removed(3), explain_words_removed(0)) == (
            "1 word removed",
            "3 words removed",
            "",
        )


def test_an_entry_can_hold_only_a_count_of_what_was_removed():
    # What goes in the report: path, action, reason and a number; no field for the words.
    assert [f.name for f in dataclasses.fields(Entry)] == ["path", "action", "reason", "words_removed"]
    assert {f.type for f in dataclasses.fields(Entry)} >= {"int"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "2 words removed"), ("sw", "maneno 2 yameondolewa"), ("zh-hans", "已删除 2 个词")],
)
def test_the_report_page_says_how_many_words_a_description_lost_and_never_which(
    cast, case_for_china, language, said
):
    batch = Batch(
        institution=cast.institutions["SRRH"],
        source=Study.Source.UPLOAD,
        case=case_for_china,
        user=cast.referrer,
    )
    slice_ = small_ct(1, 1, SeriesDescription="HEAD AXIAL Kimaro Zuberi")
    instance = receive(batch, encoded(slice_))
    assert instance is not None
    client = sign_in(Client(), cast.referrer)
    client.post("/i18n/setlang/", {"language": language})
    page = client.get(f"/consultations/{case_for_china.code}/imaging/series/{instance.series_id}/report/")
    text = page.content.decode()
    assert page.status_code == 200 and said in text
    assert "Kimaro" not in text and "Zuberi" not in text

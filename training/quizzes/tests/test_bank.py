"""Editing a question of the bank: its texts in three languages and its choices' weights, by the
coordinators of its author institution; bad input is refused field by field and nothing changes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from core.models import AuditEntry
from neurodaraja.testing.personas import sign_in
from training.quizzes import actions
from training.quizzes.models import Question
from training.quizzes.tests.world import import_bank

pytestmark = pytest.mark.django_db


def form_of(question: Question, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {"topic": question.topic}
    for code in ("en", "sw", "zh_hans"):
        data[f"text_{code}"] = getattr(question, f"text_{code}")
    for choice in question.choices.all():
        for code in ("en", "sw", "zh_hans"):
            data[f"choice_{choice.pk}_{code}"] = getattr(choice, f"text_{code}")
        data[f"choice_{choice.pk}_weight"] = choice.weight
    return data | changes


def test_the_coordinator_adds_the_chinese_text_on_the_page(cast, client):
    cushing = import_bank(cast)[1]
    sign_in(client, cast.coordinator)
    first, second, third = cushing.choices.all()
    saved = client.post(
        f"/training/questions/{cushing.pk}/",
        form_of(
            cushing,
            text_zh_hans="高血压、心动过缓和呼吸不规则提示：",
            **{f"choice_{first.pk}_zh_hans": "颅内压增高", f"choice_{third.pk}_weight": 0},
        ),
    )
    assert saved.status_code == 302
    cushing.refresh_from_db()
    with translation.override("zh-hans"):
        assert cushing.text == "高血压、心动过缓和呼吸不规则提示："
        assert [c.text for c in cushing.choices.all()] == ["颅内压增高", "shock", "herniation"]  # fallback
    assert [c.weight for c in cushing.choices.all()] == [100, 0, 0]
    entry = AuditEntry.objects.get(action="training_quizzes.question_edited")
    assert entry.detail == {"fields": ["text_zh_hans"]}


def test_a_question_without_text_or_right_answer_is_refused_and_unchanged(cast, client):
    gcs = import_bank(cast)[0]
    sign_in(client, cast.coordinator)
    right = gcs.choices.get(weight=100)
    page = client.post(
        f"/training/questions/{gcs.pk}/",
        form_of(gcs, text_en="", text_sw="", **{f"choice_{right.pk}_weight": 50}),
    )
    body = page.content.decode()
    assert page.status_code == 200
    assert "Write the question in at least one language." in body
    assert "Mark one choice right: give it a weight of 100." in body
    gcs.refresh_from_db()
    assert gcs.text_en.startswith("Localises") and gcs.choices.filter(weight=100).count() == 1


def test_a_weight_out_of_range_is_refused_at_its_field(cast, client):
    gcs = import_bank(cast)[0]
    sign_in(client, cast.coordinator)
    wrong = gcs.choices.filter(weight=0).first()
    page = client.post(f"/training/questions/{gcs.pk}/", form_of(gcs, **{f"choice_{wrong.pk}_weight": 150}))
    assert (
        page.status_code == 200 and "Ensure this value is less than or equal to 100." in page.content.decode()
    )
    assert gcs.choices.filter(weight=150).count() == 0


def test_another_institution_s_coordinator_reads_the_bank_but_does_not_edit_it(cast):
    gcs = import_bank(cast)[0]
    data = actions.QuestionData(topic="", texts={"en": "Changed"}, choices={})
    with pytest.raises(PermissionDenied):
        actions.edit_question(cast.outsider_coordinator, gcs, data)
    gcs.refresh_from_db()
    assert gcs.text_en.startswith("Localises")

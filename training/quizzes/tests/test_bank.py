"""Editing a question of the bank: its texts in three languages and its choices' weights, by the
coordinators of its author institution; bad input is refused field by field and nothing changes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from core.models import AuditEntry
from neurodaraja.testing.api_clients import bearer_client, call
from neurodaraja.testing.personas import sign_in
from training.quizzes import actions
from training.quizzes.importing import IDENTIFIER, REASONS
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


def test_an_identifier_in_a_question_or_choice_is_refused_at_its_field_and_nothing_typed_is_lost(
    cast, client
):
    gcs = import_bank(cast)[0]
    cast.coordinator.preferred_language = "sw"
    cast.coordinator.save()
    sign_in(client, cast.coordinator)
    wrong = gcs.choices.filter(weight=0).first()
    typed = {
        "text_zh_hans": "患者电话13812345678，能定位疼痛：运动评分？",
        f"choice_{wrong.pk}_sw": "mgonjwa wa 0712 345 678",
        "topic": "Jeraha la kichwa",
    }
    page = client.post(f"/training/questions/{gcs.pk}/", form_of(gcs, **typed))
    body = page.content.decode()
    assert page.status_code == 200
    with translation.override("sw"):
        message = str(REASONS[IDENTIFIER])
    assert message[0].upper() + message[1:] in body
    assert body.count('class="errors" id="id_text_zh_hans_errors"') == 1
    assert f'id="id_choice_{wrong.pk}_sw_errors"' in body
    assert all(text in body for text in typed.values())  # what was typed is still in the form
    gcs.refresh_from_db()
    assert gcs.text_zh_hans == "" and gcs.topic == "Head injury"
    assert not gcs.choices.filter(text_sw__contains="0712").exists()
    assert not AuditEntry.objects.filter(action="training_quizzes.question_edited").exists()


def test_the_api_refuses_an_identifier_in_a_choice_by_its_field(cast):
    gcs = import_bank(cast)[0]
    choices = [{"id": c.pk, "text_en": c.text_en, "weight": c.weight} for c in gcs.choices.all()]
    choices[1]["text_en"] = "call 0712 345 678"
    refused = call(
        bearer_client(cast.coordinator),
        "put",
        f"/training/questions/{gcs.pk}",
        {"text_en": gcs.text_en, "choices": choices},
    )
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["detail"]] == [f"choice_{choices[1]['id']}_en"]
    assert not gcs.choices.filter(text_en__contains="0712").exists()

"""Importing a GIFT file: questions added or given a language by name, every error reported with
its line before anything is saved, the whole file saved or nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from core.models import AuditEntry
from neurodaraja.testing.personas import sign_in
from training.quizzes import actions
from training.quizzes.importing import preview
from training.quizzes.models import Question
from training.quizzes.tests.world import BANK_EN, BANK_SW, import_bank

pytestmark = pytest.mark.django_db

ZH = "::gcs-motor:: 能定位疼痛：运动评分？{=5 ~6 ~4}\n"


def test_a_file_in_each_language_fills_the_same_questions(cast):
    questions = import_bank(cast)
    actions.import_gift(cast.coordinator, cast.institutions["MOI"], "zh-hans", ZH)
    gcs, cushing, lucid = questions
    gcs.refresh_from_db()
    assert [q.name for q in questions] == ["gcs-motor", "cushing", "lucid"]
    assert gcs.topic == "Head injury" and gcs.languages() == ["en", "sw", "zh-hans"]
    assert cushing.languages() == ["en"]
    with translation.override("sw"):
        assert gcs.text.startswith("Anaelekeza") and lucid.choices.first().text == "Kweli"
        assert cushing.text.startswith("Hypertension")  # not translated yet: English
    with translation.override("zh-hans"):
        assert gcs.text.startswith("能定位") and lucid.choices.last().text == "错误"
    assert [(c.text_en, c.weight) for c in cushing.choices.all()] == [
        ("raised ICP", 100),
        ("shock", 0),
        ("herniation", 50),
    ]
    imported = AuditEntry.objects.filter(action="training_quizzes.imported").order_by("pk")
    assert [e.detail for e in imported] == [
        {"language": "en", "created": 3, "translated": 0},
        {"language": "sw", "created": 0, "translated": 2},
        {"language": "zh_hans", "created": 0, "translated": 1},
    ]


def test_a_file_with_one_error_saves_nothing_and_names_the_line(cast):
    broken = BANK_EN + "\n::essay:: Describe a craniotomy.{}\n"
    with pytest.raises(actions.ImportRefused) as refused:
        actions.import_gift(cast.coordinator, cast.institutions["MOI"], "en", broken)
    assert [e.line for e in refused.value.preview.errors] == [9]
    assert "Line 9:" in refused.value.preview.errors[0].message
    assert Question.objects.count() == 0 and not AuditEntry.objects.filter(action="training_quizzes.imported")


def test_a_question_that_identifies_a_patient_is_an_error_at_its_line(cast):
    text = (
        "::ok:: Which GCS motor score is localising?{=5 ~6}\n\n"
        "::bad:: The patient on 0754 123 456 had which operation?{=ETV ~shunt}\n\n"
        "::choice:: Who to call?{=the ward ~juma.h@gmail.com}\n"
    )
    result = preview(text, "en", cast.institutions["MOI"])
    assert [e.line for e in result.errors] == [3, 5]
    assert "may not identify a patient" in result.errors[0].message
    assert not result.can_save


def test_a_translation_must_keep_the_choices_and_the_right_answer(cast):
    import_bank(cast)
    moi = cast.institutions["MOI"]
    result = preview(
        "::gcs-motor:: Alama?{~5 =6 ~4}\n\n::cushing:: Dalili?{=a ~b}\n\n::lucid:: Kweli?{=a ~b}\n\n"
        "::x:: Moja?{=a ~b}\n\n::x:: Mbili?{=a ~b}\n",
        "sw",
        moi,
    )
    assert [(e.line, e.message.split(": ", 1)[1]) for e in result.errors] == [
        (
            1,
            "the bank's question with this name marks other choices right; keep the choices in the same order.",
        ),
        (3, "the bank's question with this name has another number of choices."),
        (5, "the bank's question with this name is of another type (true/false or multiple choice)."),
        (9, "this name is already used by another question of the file."),
    ]
    assert not result.can_save


def test_errors_are_told_in_the_coordinator_s_language(cast):
    with translation.override("sw"):
        result = preview("::q:: Swali?{}\n", "sw", cast.institutions["MOI"])
    assert result.errors[0].message.startswith("Mstari 1:")


def test_only_a_coordinator_of_the_author_institution_imports_for_it(cast):
    with pytest.raises(PermissionDenied):
        actions.import_gift(cast.outsider_coordinator, cast.institutions["MOI"], "en", BANK_EN)
    assert Question.objects.count() == 0


def test_the_page_previews_every_error_then_saves_the_checked_text(cast, client):
    sign_in(client, cast.coordinator)
    moi = cast.institutions["MOI"].pk
    bad = SimpleUploadedFile("bank.gift", (BANK_EN + "\nNo answers here.\n\n::n:: Num?{#4}\n").encode())
    page = client.post("/training/questions/import/", {"institution": moi, "language": "en", "file": bad})
    body = page.content.decode()
    assert page.status_code == 200 and "Line 9:" in body and "Line 11:" in body
    assert "Save these questions" not in body and Question.objects.count() == 0
    good = SimpleUploadedFile("bank.txt", BANK_SW.encode())
    page = client.post("/training/questions/import/", {"institution": moi, "language": "sw", "file": good})
    assert "Save these questions" in page.content.decode() and Question.objects.count() == 0
    saved = client.post(
        "/training/questions/import/",
        {"institution": moi, "language": "sw", "text": BANK_SW, "confirm": "yes"},
    )
    assert saved.status_code == 302 and Question.objects.count() == 2


def test_a_file_that_is_not_utf8_is_refused_with_a_clear_message(cast, client):
    sign_in(client, cast.coordinator)
    latin = SimpleUploadedFile("bank.gift", "::q:: Café?{=oui ~non}".encode("latin-1"))
    page = client.post(
        "/training/questions/import/",
        {"institution": cast.institutions["MOI"].pk, "language": "en", "file": latin},
    )
    assert "The file is not UTF-8 text" in page.content.decode() and Question.objects.count() == 0


def test_saving_a_text_that_has_errors_saves_nothing(cast, client):
    # A forged confirmation with an unchecked text: the action reads it again and refuses it.
    sign_in(client, cast.coordinator)
    page = client.post(
        "/training/questions/import/",
        {
            "institution": cast.institutions["MOI"].pk,
            "language": "en",
            "text": "Only text.",
            "confirm": "yes",
        },
    )
    assert page.status_code == 200 and "Line 1:" in page.content.decode() and Question.objects.count() == 0

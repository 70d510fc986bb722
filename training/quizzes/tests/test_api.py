"""The JSON API of the bank and the tests: the same actions and refusals as the pages."""

from __future__ import annotations

import pytest

from neurodaraja.api import api as ninja_api
from neurodaraja.testing.api_clients import bearer_client, call
from training.quizzes.models import Attempt, Question
from training.quizzes.tests.world import BANK_EN, BANK_SW, quiz_world, right_answers

pytestmark = pytest.mark.django_db


def test_an_import_with_errors_answers_422_with_each_line_and_saves_nothing(cast):
    coordinator = bearer_client(cast.coordinator)
    body = {"institution": "MOI", "language": "en", "text": BANK_EN + "\n::e:: Essay.{}\n"}
    checked = call(coordinator, "post", "/training/questions/import", body | {"dry_run": True})
    assert checked.status_code == 200 and [e["line"] for e in checked.json()["errors"]] == [9]
    refused = call(coordinator, "post", "/training/questions/import", body)
    assert refused.status_code == 422 and [e["line"] for e in refused.json()["detail"]] == [9]
    assert Question.objects.count() == 0
    saved = call(coordinator, "post", "/training/questions/import", body | {"text": BANK_EN})
    assert saved.status_code == 201 and Question.objects.count() == 3


def test_a_participant_reads_the_test_in_their_language_and_submits_once(cast):
    world = quiz_world(cast)
    cast.trainee.preferred_language = "sw"
    cast.trainee.save()
    trainee = bearer_client(cast.trainee)
    url = f"/training/sessions/{world.session.pk}/tests/pre"
    test = call(trainee, "get", url).json()
    assert test["attempt"] is None and len(test["questions"]) == 3
    assert test["questions"][0]["text"].startswith("Anaelekeza")  # the person's language
    assert test["questions"][1]["text"].startswith("Hypertension")  # not translated yet: English
    answers = {str(q): c for q, c in right_answers(world.questions).items()}
    first = call(trainee, "post", f"{url}/attempt", {"answers": answers})
    assert first.status_code == 201 and first.json()["percent"] == 100.0
    again = call(trainee, "post", f"{url}/attempt", {"answers": answers})
    assert again.status_code == 409 and again.json()["code"] == "already_submitted"
    assert Attempt.objects.count() == 1


def test_a_coordinator_edits_a_question_s_translation(cast):
    world = quiz_world(cast)
    question = world.questions[1]
    choices = [
        {"id": c.pk, "text_en": c.text_en, "text_sw": f"sw {c.position}", "weight": c.weight}
        for c in question.choices.all()
    ]
    edited = call(
        bearer_client(cast.coordinator),
        "put",
        f"/training/questions/{question.pk}",
        {
            "topic": "Head injury",
            "text_en": question.text_en,
            "text_sw": "Dalili hizi zinaashiria:",
            "choices": choices,
        },
    )
    assert edited.status_code == 200, edited.json()
    assert edited.json()["languages"] == ["en", "sw"]
    no_right = [c | {"weight": 0} for c in choices]
    refused = call(
        bearer_client(cast.coordinator),
        "put",
        f"/training/questions/{question.pk}",
        {"text_en": question.text_en, "choices": no_right},
    )
    assert refused.status_code == 422
    question.refresh_from_db()
    assert question.text_sw == "Dalili hizi zinaashiria:" and question.choices.filter(weight=100).count() == 1


def test_a_saved_import_answers_the_questions_it_added_and_translated_with_their_ids(cast):
    coordinator = bearer_client(cast.coordinator)
    added = call(
        coordinator,
        "post",
        "/training/questions/import",
        {"institution": "MOI", "language": "en", "text": BANK_EN},
    )
    assert added.status_code == 201
    body = added.json()
    stored = list(Question.objects.order_by("pk"))
    assert body["new"] == ["gcs-motor", "cushing", "lucid"] and body["translated"] == []
    assert [(q["id"], q["name"], q["text"]) for q in body["questions"]] == [
        (q.pk, q.name, q.text_en) for q in stored
    ]
    assert body["questions"][0]["institution"] == "MOI" and body["questions"][0]["languages"] == ["en"]
    translated = call(
        coordinator,
        "post",
        "/training/questions/import",
        {"institution": "MOI", "language": "sw", "text": BANK_SW},
    ).json()
    assert translated["new"] == [] and translated["translated"] == ["gcs-motor", "lucid"]
    assert [q["id"] for q in translated["questions"]] == [stored[0].pk, stored[2].pk]
    assert translated["questions"][0]["languages"] == ["en", "sw"]
    checked = call(
        coordinator,
        "post",
        "/training/questions/import",
        {"institution": "MOI", "language": "sw", "text": BANK_SW, "dry_run": True},
    ).json()
    assert checked["saved"] is False and checked["questions"] == []


def test_the_openapi_schema_describes_the_questions_an_import_answers():
    schema = ninja_api.get_openapi_schema()
    fields = schema["components"]["schemas"]["ImportOut"]["properties"]
    assert {"new", "translated", "questions", "errors"} <= set(fields)
    assert fields["questions"]["items"]["$ref"].endswith("/QuestionOut")

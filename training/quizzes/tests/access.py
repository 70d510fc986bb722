"""The question bank's and the tests' pages and API in the project's access matrix.

Every coordinator reads the shared bank; the author institution's coordinators edit a question
(KCMC's: 403). A session's tests are known to the coordinators of its organising institution, its
trainers and its registered participants; to anyone else it does not exist (404). Coordinators set
the tests, participants take them, coordinators and trainers read all results, a participant their
own."""

from __future__ import annotations

from neurodaraja.testing.access import Change, Endpoint, Ids, Page, expect
from neurodaraja.testing.personas import Personas
from training.quizzes.models import Attempt, Question, Test
from training.quizzes.tests.world import BANK_EN, quiz_world

COORDINATORS = {"coordinator", "outsider_coordinator"}
ON_THE_SESSION = {"coordinator", "neurosurgeon", "trainee"}


def braces(text: str) -> str:
    """GIFT text as the matrix's placeholders read it (it formats bodies with the ids)."""
    return text.replace("{", "{{").replace("}", "}}")


def objects(cast: Personas) -> Ids:
    world = quiz_world(cast)
    question = world.questions[0]
    return {
        "session": world.session.pk,
        "kind": "pre",
        "question": question.pk,
        "choice": question.choices.first().pk,  # type: ignore[union-attr]
        "answers": {str(q.pk): q.choices.first().pk for q in world.questions},  # type: ignore[union-attr]
    }


def questions(cast: Personas, ids: Ids) -> list[tuple[object, ...]]:
    return list(Question.objects.values_list("pk", "name", "text_en", "text_sw", "topic").order_by("pk"))


def tests(cast: Personas, ids: Ids) -> list[tuple[object, ...]]:
    return list(Test.objects.values_list("pk", "kind", "opens_at", "closes_at").order_by("pk"))


def attempts(cast: Personas, ids: Ids) -> list[tuple[object, ...]]:
    return list(Attempt.objects.values_list("pk", "participant_id", "score").order_by("pk"))


on_the_session = expect(ON_THE_SESSION, refused=404)
managers = expect({"coordinator"}, refused=404, neurosurgeon=403, trainee=403)
participants = expect({"trainee"}, refused=404, coordinator=403, neurosurgeon=403)

PAGES = [
    Page("/training/questions/", expect(COORDINATORS)),
    Page("/training/questions/import/", expect(COORDINATORS)),
    Page("/training/questions/{question}/", expect({"coordinator"}, outsider_coordinator=403)),
    Page("/training/sessions/{session}/tests/", on_the_session),
    Page("/training/sessions/{session}/tests/pre/edit/", managers),
    Page("/training/sessions/{session}/tests/pre/", participants),
]

CHANGES = [
    Change(
        "/training/questions/import/",
        expect(COORDINATORS, ok=302),
        questions,
        {"language": "en", "text": braces(BANK_EN), "confirm": "yes"},
    ),
    Change(
        "/training/questions/{question}/",
        expect({"coordinator"}, ok=302, outsider_coordinator=403),
        questions,
        {"text_en": "Changed?", "topic": "Changed"},
    ),
    Change("/training/sessions/{session}/tests/pre/edit/", managers, tests, {"questions": ["{question}"]}),
    Change("/training/sessions/{session}/tests/pre/", participants, attempts, {"q{question}": "{choice}"}),
]

ENDPOINTS = [
    Endpoint("get", "/training/questions", expect(COORDINATORS)),
    Endpoint("get", "/training/questions/{question}", expect(COORDINATORS)),
    Endpoint(
        "put",
        "/training/questions/{question}",
        expect({"coordinator"}, outsider_coordinator=403),
        questions,
        {"text_en": "Changed?", "choices": []},
    ),
    # A coordinator elsewhere names an institution they do not coordinate: refused by field.
    Endpoint(
        "post",
        "/training/questions/import",
        expect(COORDINATORS, ok=201, outsider_coordinator=422),
        questions,
        {"institution": "MOI", "language": "sw", "text": braces("::new:: Mpya?{=ndiyo ~hapana}")},
    ),
    Endpoint(
        "put",
        "/training/sessions/{session}/tests/{kind}",
        managers,
        tests,
        {
            "questions": ["{question}"],
            "opens_at": "2026-01-01T08:00:00Z",
            "closes_at": "2026-01-01T09:00:00Z",
        },
    ),
    Endpoint("get", "/training/sessions/{session}/tests/{kind}", participants),
    Endpoint(
        "post",
        "/training/sessions/{session}/tests/{kind}/attempt",
        expect({"trainee"}, refused=404, ok=201, coordinator=403, neurosurgeon=403),
        attempts,
        {"answers": "{answers}"},
    ),
    Endpoint("get", "/training/sessions/{session}/knowledge-gain", on_the_session),
]

"""The bank, the test and the results pages keep a fixed number of queries as the bank and the
attempts grow, and stay light for a phone; the home card; the demo data, once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from core.plugins import demo_loaders
from neurodaraja.testing.pages import PAGE_BUDGET, compressed, static_size
from neurodaraja.testing.personas import sign_in
from training.quizzes import actions
from training.quizzes.models import Attempt, Question, Test
from training.quizzes.tests.world import quiz_world, register, right_answers

pytestmark = pytest.mark.django_db


def grow(cast, world, questions: int, people: int) -> None:
    text = "\n\n".join(f"::extra-{n}:: Extra question {n}?{{=yes ~no ~maybe}}" for n in range(questions))
    actions.import_gift(cast.coordinator, cast.institutions["MOI"], "en", text)
    start = User.objects.count()
    for n in range(people):
        person = User.objects.create_user(
            email=f"p{start + n}@example.test", full_name=f"Participant {start + n}"
        )
        register(world.session, person)
        for test in (world.pre, world.post):
            actions.submit(person, test, right_answers(world.questions))


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("coordinator", "/training/questions/"),
        ("coordinator", "/training/sessions/{session}/tests/"),
        ("coordinator", "/training/sessions/{session}/tests/post/edit/"),
        ("trainee", "/training/sessions/{session}/tests/pre/"),
    ],
)
def test_a_page_asks_as_many_queries_with_a_large_bank_as_with_a_small_one(
    cast, client, django_assert_num_queries, who, url
):
    world = quiz_world(cast)
    url = url.format(session=world.session.pk)
    reader = sign_in(client, getattr(cast, who))
    grow(cast, world, 2, 2)
    queries_for(reader, url)
    few = queries_for(reader, url)
    grow(cast, world, 30, 12)
    assert Question.objects.count() > 30 and Attempt.objects.count() > 24
    with django_assert_num_queries(few):
        page = reader.get(url)
    assert page.status_code == 200
    assert compressed(page.content) + static_size() < PAGE_BUDGET


def test_a_participant_with_an_open_test_finds_it_on_the_home_page(cast, client):
    world = quiz_world(cast)
    home = sign_in(client, cast.trainee).get("/").content.decode()
    assert f"/training/sessions/{world.session.pk}/tests/pre/" in home
    actions.submit(cast.trainee, world.pre, right_answers(world.questions))
    home = client.get("/").content.decode()
    assert f"/training/sessions/{world.session.pk}/tests/pre/" not in home
    assert f"/training/sessions/{world.session.pk}/tests/post/" in home


def test_the_demo_loader_imports_a_synthetic_bank_in_three_languages_once(db):
    loaders = {loader.name: loader for loader in demo_loaders()}
    for name in ("accounts", "consultations", "training", "training_sessions"):
        loaders[name].load()
    first = loaders["training_quizzes"].load()
    # A pre-test and a post-test for each of the workshop's three participants.
    assert first == "5 synthetic questions in three languages and 6 synthetic test attempts."
    questions = Question.objects.filter(name__startswith="demo-")
    assert questions.count() == 5
    assert all(q.text_en and q.text_sw and q.text_zh_hans for q in questions)
    assert all(c.text_en and c.text_sw and c.text_zh_hans for q in questions for c in q.choices.all())
    assert loaders["training_quizzes"].load() == "Demo question bank already loaded."
    assert Question.objects.count() == 5 and Test.objects.count() == 3
    waiting = Test.objects.get(session__status="planned")  # open now, for the demo trainee
    assert waiting.kind == "pre" and not waiting.attempts.exists()
    pre, post = (
        Attempt.objects.filter(test__kind=kind).order_by("participant_id") for kind in ("pre", "post")
    )
    assert [a.score for a in pre] != [a.score for a in post]  # the demo shows a gain


def test_the_demo_bank_is_marked_as_such_and_its_right_answers_are_not_all_first(db):
    loaders = {loader.name: loader for loader in demo_loaders()}
    for name in ("accounts", "consultations", "training", "training_sessions", "training_quizzes"):
        loaders[name].load()
    questions = list(Question.objects.filter(name__startswith="demo-").prefetch_related("choices"))
    assert all(q.topic.startswith("Demonstration") for q in questions)
    places = {[c.is_right for c in q.choices.all()].index(True) for q in questions}
    assert places != {0}
    # One right answer each, and no partly right choice to argue over.
    for question in questions:
        assert sorted(c.weight for c in question.choices.all())[-2:] == [0, 100], question.name

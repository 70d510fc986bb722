"""Each participant reads a test's choices in their own order, the same on every reload, on the
page and in the API alike; the answer is scored by the choice picked, never by its place."""

from __future__ import annotations

import re

import pytest

from accounts.models import User
from neurodaraja.testing.api_clients import bearer_client, call
from neurodaraja.testing.personas import sign_in
from training.quizzes import actions
from training.quizzes.models import Attempt
from training.quizzes.tests.world import quiz_world, register, right_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return quiz_world(cast)


def shown_choices(body: str, question_id: int) -> list[int]:
    return [int(value) for value in re.findall(rf'name="q{question_id}" value="(\d+)"', body)]


def people(world, count: int) -> list[User]:
    made = [
        User.objects.create_user(email=f"reader{n}@example.test", full_name=f"Reader {n}")
        for n in range(count)
    ]
    register(world.session, *made)
    return made


def test_a_participant_sees_the_same_order_on_every_reload(cast, world, client):
    gcs = world.questions[0]
    sign_in(client, cast.trainee)
    url = f"/training/sessions/{world.session.pk}/tests/pre/"
    first = shown_choices(client.get(url).content.decode(), gcs.pk)
    again = shown_choices(client.get(url).content.decode(), gcs.pk)
    assert first == again and sorted(first) == sorted(c.pk for c in gcs.choices.all())
    api = call(bearer_client(cast.trainee), "get", f"/training/sessions/{world.session.pk}/tests/pre").json()
    assert [c["id"] for c in api["questions"][0]["choices"]] == first  # the API shows the same order


def test_participants_see_the_choices_shuffled_and_the_right_one_not_always_first(world):
    gcs, cushing, _lucid = world.questions
    readers = people(world, 12)
    for question in (gcs, cushing):
        orders = {tuple(c.pk for c in actions.choices_in_order(world.pre, p, question)) for p in readers}
        assert len(orders) > 1
        right = next(c.pk for c in question.choices.all() if c.is_right)
        assert any(order[0] != right for order in orders)
    # The post-test is another test: the same person need not read it in the pre-test's order.
    assert any(
        actions.choices_in_order(world.pre, p, gcs) != actions.choices_in_order(world.post, p, gcs)
        for p in readers
    )


def test_a_true_false_question_keeps_true_then_false(world):
    lucid = world.questions[2]
    for reader in people(world, 5):
        assert [c.text_en for c in actions.choices_in_order(world.pre, reader, lucid)] == ["True", "False"]


def test_the_right_choice_scores_wherever_it_was_shown(cast, world, client):
    readers = people(world, 6)
    for reader in readers:
        sign_in(client, reader)
        url = f"/training/sessions/{world.session.pk}/tests/pre/"
        client.get(url)
        answers = {f"q{q}": c for q, c in right_answers(world.questions).items()}
        assert client.post(url, answers).status_code == 302
    assert list(Attempt.objects.values_list("score", flat=True)) == [3.0] * len(readers)

"""A session's knowledge gain: paired pre/post scores in percent, raw and normalised gain, the
session's means; coordinators and trainers read everyone, a participant only themself."""

from __future__ import annotations

import pytest

from neurodaraja.testing.api_clients import bearer_client, call
from neurodaraja.testing.personas import sign_in
from training.quizzes import actions
from training.quizzes.results import results
from training.quizzes.tests.world import quiz_world, register, right_answers, wrong_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    world = quiz_world(cast)
    register(world.session, cast.referrer, cast.outsider)
    one_right = wrong_answers(world.questions) | {
        world.questions[0].pk: right_answers(world.questions)[world.questions[0].pk]
    }
    actions.submit(cast.trainee, world.pre, one_right)  # 1 of 3
    actions.submit(cast.trainee, world.post, right_answers(world.questions))  # 3 of 3
    actions.submit(cast.referrer, world.pre, right_answers(world.questions))  # full marks before
    actions.submit(cast.referrer, world.post, one_right)
    actions.submit(cast.outsider, world.pre, wrong_answers(world.questions))  # no post-test
    return world


def test_gain_per_participant_and_per_session(cast, world):
    read = results(world.session)
    rows = {row.participant.full_name: row for row in read.rows}
    amani = rows[cast.trainee.full_name]
    assert (amani.pre, amani.post, amani.gain.raw) == (33.3, 100.0, 66.7)
    assert amani.gain.normalised == pytest.approx(1.0)
    neema = rows[cast.referrer.full_name]
    assert neema.gain.raw == pytest.approx(-66.7) and neema.gain.normalised is None
    assert rows[cast.outsider.full_name].gain is None
    summary = read.summary
    assert (summary.n_paired, summary.n_normalised) == (2, 1)
    assert summary.mean_raw == pytest.approx(0.0) and summary.mean_normalised == pytest.approx(1.0)


def test_the_results_page_shows_everyone_to_the_trainer_and_oneself_to_a_participant(cast, world, client):
    url = f"/training/sessions/{world.session.pk}/tests/"
    sign_in(client, cast.neurosurgeon)
    body = client.get(url).content.decode()
    assert cast.trainee.full_name in body and cast.referrer.full_name in body
    assert "2 participants took both tests." in body
    sign_in(client, cast.trainee)
    body = client.get(url).content.decode()
    assert cast.trainee.full_name in body and cast.referrer.full_name not in body
    assert "took both tests" not in body and "66.7" in body


def test_the_api_gives_the_same_figures(cast, world):
    body = call(
        bearer_client(cast.coordinator), "get", f"/training/sessions/{world.session.pk}/knowledge-gain"
    ).json()
    assert body["n_paired"] == 2 and body["mean_normalised_gain"] == pytest.approx(1.0)
    names = [row["participant"] for row in body["participants"]]
    assert len(names) == 3
    own = call(
        bearer_client(cast.trainee), "get", f"/training/sessions/{world.session.pk}/knowledge-gain"
    ).json()
    assert [row["participant"] for row in own["participants"]] == [cast.trainee.full_name]
    assert own["mean_raw_gain"] is None


@pytest.mark.parametrize(
    ("language", "gain"),
    [("en", "Normalised gain"), ("sw", "Ongezeko lililosawazishwa"), ("zh-hans", "标准化提升")],
)
def test_on_a_phone_each_participant_is_a_card_whose_gain_names_itself(cast, world, client, language, gain):
    cast.coordinator.preferred_language = language
    cast.coordinator.save()
    body = (
        sign_in(client, cast.coordinator)
        .get(f"/training/sessions/{world.session.pk}/tests/")
        .content.decode()
    )
    assert f'lang="{language}"' in body
    assert '<table class="case-rows">' in body  # stacked below 40rem (site.css), nothing scrolled away
    assert f'<td data-label="{gain}">1.00</td>' in body  # the trainee: (100 - 33.3) / (100 - 33.3)

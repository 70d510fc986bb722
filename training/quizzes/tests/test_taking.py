"""Setting and taking a session's tests: scored automatically, once, while open; a second
submission or one after the close is refused with a clear message and the first stays."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from core.errors import ActionError, FieldErrors
from core.models import AuditEntry
from neurodaraja.testing.personas import sign_in
from training.quizzes import actions
from training.quizzes.models import Attempt, Kind, Test
from training.quizzes.tests.world import import_bank, make_session, quiz_world, right_answers, wrong_answers
from training.sessions.models import Session, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return quiz_world(cast)


def test_a_participant_s_answers_are_scored_with_partial_weights(cast, world):
    answers = right_answers(world.questions)
    cushing = world.questions[1]
    answers[cushing.pk] = next(c.pk for c in cushing.choices.all() if c.weight == 50)
    attempt = actions.submit(cast.trainee, world.pre, answers)
    assert (attempt.score, attempt.max_score) == (2.5, 3.0)
    entry = AuditEntry.objects.get(action="training_quizzes.submitted")
    assert entry.detail == {"test_kind": "pre", "score_percent": 83}


def test_a_second_submission_is_refused_and_the_first_stays(cast, world):
    first = actions.submit(cast.trainee, world.pre, wrong_answers(world.questions))
    with pytest.raises(ActionError) as refused:
        actions.submit(cast.trainee, world.pre, right_answers(world.questions))
    assert refused.value.code == "already_submitted" and refused.value.status == 409
    assert "your first answers are kept (score 0 of 3)" in str(refused.value.message)
    assert list(Attempt.objects.values_list("pk", "score")) == [(first.pk, 0.0)]


def test_a_submission_after_the_close_or_before_the_opening_is_refused(cast, world):
    Test.objects.filter(pk=world.pre.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    world.pre.refresh_from_db()
    with pytest.raises(ActionError) as refused:
        actions.submit(cast.trainee, world.pre, right_answers(world.questions))
    assert refused.value.code == "closed" and "your answers were not recorded" in str(refused.value.message)
    Test.objects.filter(pk=world.post.pk).update(opens_at=timezone.now() + timedelta(hours=1))
    world.post.refresh_from_db()
    with pytest.raises(ActionError) as refused:
        actions.submit(cast.trainee, world.post, right_answers(world.questions))
    assert refused.value.code == "not_open"
    assert Attempt.objects.count() == 0


def test_every_question_needs_one_of_its_own_choices(cast, world):
    gcs, cushing, lucid = world.questions
    foreign = cushing.choices.first().pk
    with pytest.raises(FieldErrors) as refused:
        actions.submit(cast.trainee, world.pre, {gcs.pk: foreign, lucid.pk: lucid.choices.first().pk})
    assert {e["field"] for e in refused.value.errors} == {f"q{gcs.pk}", f"q{cushing.pk}"}
    assert Attempt.objects.count() == 0


def test_only_registered_participants_take_a_test(cast, world):
    with pytest.raises(PermissionDenied):
        actions.submit(cast.referrer, world.pre, right_answers(world.questions))


def test_a_test_s_questions_are_fixed_once_taken_but_its_times_may_move(cast, world):
    actions.submit(cast.trainee, world.pre, right_answers(world.questions))
    later = world.pre.closes_at + timedelta(hours=2)
    with pytest.raises(ActionError) as refused:
        actions.set_test(
            cast.coordinator, world.session, Kind.PRE, world.questions[:1], world.pre.opens_at, later
        )
    assert refused.value.code == "taken"
    actions.set_test(cast.coordinator, world.session, Kind.PRE, world.questions, world.pre.opens_at, later)
    world.pre.refresh_from_db()
    assert world.pre.closes_at == later and world.pre.questions.count() == 3


def test_a_test_must_close_after_it_opens_and_hold_questions(cast, world):
    now = timezone.now()
    with pytest.raises(FieldErrors) as refused:
        actions.set_test(cast.coordinator, world.session, Kind.POST, [], now, now)
    assert {e["field"] for e in refused.value.errors} == {"questions", "closes_at"}


def test_another_institution_s_coordinator_cannot_set_the_test(cast, world):
    now = timezone.now()
    with pytest.raises(PermissionDenied):
        actions.set_test(
            cast.outsider_coordinator,
            world.session,
            Kind.POST,
            world.questions,
            now,
            now + timedelta(hours=1),
        )


def test_the_phone_page_takes_the_test_once_and_says_so_the_second_time(cast, world, client):
    sign_in(client, cast.trainee)
    url = f"/training/sessions/{world.session.pk}/tests/pre/"
    page = client.get(url)
    assert page.status_code == 200 and 'type="radio"' in page.content.decode()
    answers = {f"q{q}": c for q, c in right_answers(world.questions).items()}
    done = client.post(url, answers, follow=True)
    assert "Your answers are recorded: 3 of 3." in done.content.decode()
    again = client.post(url, {f"q{q}": c for q, c in wrong_answers(world.questions).items()})
    assert again.status_code == 409
    assert "You already submitted this test" in again.content.decode()
    assert list(Attempt.objects.values_list("score", flat=True)) == [3.0]


def test_the_page_names_the_unanswered_question_and_keeps_the_other_answers(cast, world, client):
    sign_in(client, cast.trainee)
    gcs, cushing, lucid = world.questions
    chosen = cushing.choices.first().pk
    page = client.post(f"/training/sessions/{world.session.pk}/tests/pre/", {f"q{cushing.pk}": chosen})
    body = page.content.decode()
    assert "Choose an answer to this question." in body
    assert re.search(rf'value="{chosen}" id="[^"]+" checked', body)  # the answer given is still chosen
    assert Attempt.objects.count() == 0


def test_the_coordinator_builds_a_test_on_the_page(cast, client):
    session = make_session(cast)
    questions = import_bank(cast)
    sign_in(client, cast.coordinator)
    saved = client.post(
        f"/training/sessions/{session.pk}/tests/post/edit/",
        {
            "questions": [q.pk for q in questions[:2]],
            "opens_at": "2026-01-05T08:00",
            "closes_at": "2026-01-05T07:00",
        },
    )
    assert "The test must close after it opens." in saved.content.decode() and not Test.objects.exists()
    saved = client.post(
        f"/training/sessions/{session.pk}/tests/post/edit/",
        {
            "questions": [q.pk for q in questions[:2]],
            "opens_at": "2026-01-05T08:00",
            "closes_at": "2026-01-05T09:00",
        },
    )
    assert saved.status_code == 302 and Test.objects.get().questions.count() == 2


def test_a_test_of_a_cancelled_session_is_not_taken(cast, world):
    Session.objects.filter(pk=world.session.pk).update(status=Status.CANCELLED)
    world.pre.session.refresh_from_db()
    with pytest.raises(ActionError) as refused:
        actions.submit(cast.trainee, world.pre, right_answers(world.questions))
    assert refused.value.code == "cancelled" and Attempt.objects.count() == 0


def test_a_closed_test_says_so_on_the_page_instead_of_offering_the_questions(cast, world, client):
    Test.objects.filter(pk=world.pre.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    page = sign_in(client, cast.trainee).get(f"/training/sessions/{world.session.pk}/tests/pre/")
    body = page.content.decode()
    assert "This test closed at" in body and 'type="radio"' not in body
    world.pre.refresh_from_db()
    with translation.override("sw"):
        assert actions.not_open_now(world.pre).startswith("Jaribio hili lilifungwa")


def test_a_test_refused_because_it_closed_is_not_offered_again(cast, world, client):
    sign_in(client, cast.trainee)
    url = f"/training/sessions/{world.session.pk}/tests/pre/"
    assert 'type="radio"' in client.get(url).content.decode()  # open when the page was read
    Test.objects.filter(pk=world.pre.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    sent = client.post(url, {f"q{q}": c for q, c in right_answers(world.questions).items()})
    body = sent.content.decode()
    assert sent.status_code == 409
    assert "This test closed at" in body and "your answers were not recorded" in body
    assert 'type="radio"' not in body and "Send my answers" not in body
    assert 'type="radio"' not in client.get(url).content.decode()
    assert Attempt.objects.count() == 0


def test_the_participant_s_list_invites_only_to_a_test_open_now(cast, world, client):
    Test.objects.filter(pk=world.pre.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    sign_in(client, cast.trainee)
    listed = client.get(f"/training/sessions/{world.session.pk}/tests/").content.decode()
    pre, post = (f"/training/sessions/{world.session.pk}/tests/{kind}/" for kind in ("pre", "post"))
    assert f'href="{pre}"' not in listed and "closed: it can no longer be taken" in listed
    assert f'href="{post}">Take the test<' in listed
    actions.submit(cast.trainee, world.post, right_answers(world.questions))
    listed = client.get(f"/training/sessions/{world.session.pk}/tests/").content.decode()
    assert f'href="{post}">Taken: see your score<' in listed and "Take the test" not in listed
    home = client.get("/").content.decode()
    assert pre not in home and post not in home


def test_a_cancelled_session_s_test_offers_no_form(cast, world, client):
    Session.objects.filter(pk=world.session.pk).update(status=Status.CANCELLED)
    sign_in(client, cast.trainee)
    page = client.get(f"/training/sessions/{world.session.pk}/tests/pre/").content.decode()
    assert "This session has been cancelled." in page and 'type="radio"' not in page
    assert f"/training/sessions/{world.session.pk}/tests/pre/" not in client.get("/").content.decode()

"""The sessions' pages: each in the reader's language and zone (with the partner zones beside
it), light for a slow phone, with a fixed number of queries on the list; the forms refuse bad
input with a clear message; the menu, the home card and the demo data."""

from __future__ import annotations

import random
import re
from datetime import UTC, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import User
from core.plugins import demo_loaders
from neurodaraja.testing.api_clients import bearer_client, call
from neurodaraja.testing.pages import PAGE_BUDGET, compressed, static_size
from neurodaraja.testing.personas import sign_in
from training.sessions import actions, queries
from training.sessions.models import Feedback, FollowUp, Registration, Session
from training.sessions.tests.world import attended, others_answer, planned, sessions_world

pytestmark = pytest.mark.django_db


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as seen:
        assert client.get(url).status_code == 200
    return len(seen)


def test_the_list_makes_as_many_queries_for_many_sessions_as_for_one(cast, client):
    planned(cast)
    attended(cast, cast.trainee)
    reader = sign_in(client, cast.trainee)
    few = queries_for(reader, "/training/sessions/")
    for n in range(5):
        actions.register(cast.trainee, planned(cast, title=f"Session {n}"), "resident")
        attended(cast, cast.trainee)
    assert queries_for(reader, "/training/sessions/") == few


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Training sessions"), ("sw", "Mafunzo"), ("zh-hans", "培训")],
)
def test_the_pages_speak_the_readers_language(cast, client, language, expected):
    world = sessions_world(cast)
    cast.trainee.preferred_language = language
    cast.trainee.save()
    reader = sign_in(client, cast.trainee)
    for url in [
        "/training/sessions/",
        f"/training/sessions/{world.upcoming.pk}/",
        f"/training/sessions/{world.held.pk}/feedback/",
        "/training/sessions/check-in/",
    ]:
        page = reader.get(url)
        assert page.status_code == 200, url
        assert compressed(page.content) + static_size() < PAGE_BUDGET, url
    assert expected in reader.get("/training/sessions/").content.decode()


def test_the_consultant_in_china_reads_shanghai_time_first_and_dar_es_salaam_beside_it(cast, client):
    session = planned(cast, starts_at=timezone.now().replace(hour=6, minute=0) + timedelta(days=3))
    page = sign_in(client, cast.consultant_china).get(f"/training/sessions/{session.pk}/").content.decode()
    shanghai, dar = page.find("Asia/Shanghai"), page.find("Africa/Dar es Salaam")
    assert 0 <= shanghai < dar, page[page.find("<dl") : page.find("</dl>")]


def test_the_check_in_code_is_shown_to_the_organisers_only(cast, client):
    session = planned(cast)
    assert (
        session.check_in_code
        in sign_in(client, cast.coordinator).get(f"/training/sessions/{session.pk}/").content.decode()
    )
    client.logout()
    assert (
        session.check_in_code
        not in sign_in(client, cast.trainee).get(f"/training/sessions/{session.pk}/").content.decode()
    )


def new_session(**changes):
    start = timezone.localtime(timezone.now() + timedelta(days=10))
    return {
        "title": "Spine workshop",
        "language": "sw",
        "kind": "workshop",
        "institution": "",
        "starts_at": start.strftime("%Y-%m-%dT09:00"),
        "ends_at": start.strftime("%Y-%m-%dT12:00"),
        "venue": "MOI",
        "capacity": 10,
    } | changes


def test_a_coordinator_plans_a_session_on_the_page(cast, client):
    coordinator = sign_in(client, cast.coordinator)
    data = new_session(
        institution=cast.institutions["MOI"].pk, audience=["nurse"], trainers=[cast.consultant_china.pk]
    )
    page = coordinator.post("/training/sessions/new/", data)
    session = Session.objects.get()
    assert page.status_code == 302 and page["Location"] == f"/training/sessions/{session.pk}/"
    assert session.audience == ["nurse"] and list(session.trainers.all()) == [cast.consultant_china]
    assert session.starts_at.astimezone(UTC).hour == 6  # typed in Dar es Salaam (UTC+3), kept in UTC


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"video_link": "http://meet.example.org/spine"}, "must start with https://"),
        ({"ends_at": "2030-01-01T08:00", "starts_at": "2030-01-01T09:00"}, "must end after it starts"),
        ({"venue": ""}, "venue, a video link or both"),
    ],
)
def test_the_session_form_refuses_bad_input_with_a_clear_message(cast, client, changes, message):
    coordinator = sign_in(client, cast.coordinator)
    page = coordinator.post(
        "/training/sessions/new/", new_session(institution=cast.institutions["MOI"].pk) | changes
    )
    assert page.status_code == 200 and message in page.content.decode()
    assert not Session.objects.exists()


def test_registering_twice_on_the_page_says_so(cast, client):
    session = planned(cast)
    reader = sign_in(client, cast.trainee)
    reader.post(f"/training/sessions/{session.pk}/register/", {"cadre": "resident"})
    page = reader.post(f"/training/sessions/{session.pk}/register/", {"cadre": "resident"}, follow=True)
    assert "already registered" in page.content.decode()
    assert Registration.objects.count() == 1


def test_checking_in_twice_on_the_phone_is_a_message_not_an_error(cast, client):
    session = planned(cast)
    actions.register(cast.trainee, session, "resident")
    start = timezone.now() - timedelta(minutes=5)
    Session.objects.filter(pk=session.pk).update(starts_at=start, ends_at=start + timedelta(hours=1))
    reader = sign_in(client, cast.trainee)
    first = reader.post("/training/sessions/check-in/", {"code": session.check_in_code}, follow=True)
    assert "Checked in" in first.content.decode()
    again = reader.post("/training/sessions/check-in/", {"code": session.check_in_code}, follow=True)
    assert again.status_code == 200 and "already checked in" in again.content.decode()
    wrong = reader.post("/training/sessions/check-in/", {"code": "QQQQQQ"})
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()


def test_feedback_twice_on_the_page_keeps_the_first(cast, client):
    registration = attended(cast, cast.trainee)
    reader = sign_in(client, cast.trainee)
    url = f"/training/sessions/{registration.session_id}/feedback/"
    ratings = {"relevance": 5, "teaching": 4, "practical": 4, "organisation": 3}
    assert reader.post(url, ratings).status_code == 302
    page = reader.post(url, ratings | {"relevance": 1}, follow=True)
    assert "already given your feedback" in page.content.decode()
    assert list(Feedback.objects.values_list("relevance", flat=True)) == [5]


def test_the_supervisor_answers_the_follow_up_on_its_page(cast, client):
    world = sessions_world(cast)
    reader = sign_in(client, cast.neurosurgeon)
    url = f"/training/sessions/follow-up/{world.follow_up.pk}/"
    assert (
        reader.post(url, {"practice_changed": "partly", "comment": "Uses the ICP protocol"}).status_code
        == 302
    )
    world.follow_up.refresh_from_db()
    assert world.follow_up.practice_changed == "partly" and world.follow_up.answered_at is not None


def test_the_menu_and_the_home_card_show_sessions_to_everyone_with_a_role(cast, client):
    session = planned(cast)
    home = sign_in(client, cast.referrer).get("/").content.decode()
    assert 'href="/training/sessions/"' in home and f"/training/sessions/{session.pk}/" in home


def test_the_demo_loader_creates_marked_synthetic_sessions_once(db):
    loaders = {loader.name: loader for loader in demo_loaders()}
    for name in ("accounts", "consultations", "training"):
        loaders[name].load()
    assert "synthetic" in loaders["training_sessions"].load()
    count = Session.objects.count()
    assert count == 4 and Session.objects.filter(status="held").count() == 2
    assert Feedback.objects.count() == 4  # three on the workshop (enough to be shown), one on the lecture
    assert list(FollowUp.objects.values_list("supervisor__email", flat=True)) == [
        "neurosurgeon@demo.neurodaraja.test"
    ]
    assert "already" in loaders["training_sessions"].load()
    assert Session.objects.count() == count


def test_the_demo_sessions_are_held_in_working_hours_in_dar_es_salaam(db):
    loaders = {loader.name: loader for loader in demo_loaders()}
    for name in ("accounts", "consultations", "training", "training_sessions"):
        loaders[name].load()
    dar = ZoneInfo("Africa/Dar_es_Salaam")
    for session in Session.objects.select_related("institution"):
        assert session.institution.time_zone == "Africa/Dar_es_Salaam"
        start, end = session.starts_at.astimezone(dar), session.ends_at.astimezone(dar)
        assert start.weekday() < 5 and start.date() == end.date(), session.title
        assert time(8) <= start.time() and end.time() <= time(17), (session.title, start, end)


def test_the_tests_of_a_session_are_linked_for_its_organisers_and_participants_only(cast, client):
    session = planned(cast)
    actions.register(cast.trainee, session, "resident")
    link = f"/training/sessions/{session.pk}/tests/"
    for person, shown in [(cast.coordinator, True), (cast.trainee, True), (cast.referrer, False)]:
        client.logout()
        page = sign_in(client, person).get(f"/training/sessions/{session.pk}/").content.decode()
        assert (link in page) is shown, person


def test_feedback_from_fewer_than_three_participants_is_held_back(cast, client):
    world = sessions_world(cast)
    ratings = {"relevance": 5, "teaching": 4, "practical": 3, "organisation": 4}
    actions.give_feedback(cast.trainee, world.held, ratings, "The skull models were too few.")
    others_answer(cast, world.held, people=("referrer",))
    url = f"/training/sessions/{world.held.pk}/"
    page = sign_in(client, cast.coordinator).get(url).content.decode()
    feedback = page[page.index('id="evaluation"') : page.index("Supervisors: has practice changed?")]
    assert "2 participants answered" in feedback
    assert (
        "Shown once at least 3 participants have answered, so that no answer can be told apart." in feedback
    )
    assert "<strong>" not in feedback and "skull models" not in feedback
    client.logout()
    chinese = sign_in(client, cast.consultant_china).get(url).content.decode()
    assert "至少 3 位学员回答后才显示" in chinese and "skull models" not in chinese


def test_a_spread_ends_without_a_separator_when_nobody_gave_the_top_score(cast, client):
    world = sessions_world(cast)
    actions.give_feedback(
        cast.trainee, world.held, {"relevance": 3, "teaching": 3, "practical": 3, "organisation": 3}
    )
    others_answer(cast, world.held)
    page = sign_in(client, cast.coordinator).get(f"/training/sessions/{world.held.pk}/").content.decode()
    assert "3: 1 · 4: 2</small>" in page and "· </small>" not in page


def test_the_organisers_read_the_feedback_and_the_supervisors_answers_on_the_session_page(cast, client):
    world = sessions_world(cast)
    actions.give_feedback(
        cast.trainee,
        world.held,
        {"relevance": 5, "teaching": 4, "practical": 3, "organisation": 4},
        "More time on the skull models, please.",
    )
    others_answer(cast, world.held)
    actions.answer_follow_up(cast.neurosurgeon, world.follow_up, "partly", "Reads CT scans alone now.")
    url = f"/training/sessions/{world.held.pk}/"
    page = sign_in(client, cast.coordinator).get(url).content.decode()
    feedback = page[page.index('id="evaluation"') : page.index("Supervisors: has practice changed?")]
    assert "3 participants answered" in feedback and "<strong>3.7</strong>" in feedback
    assert "3: 1 · 4: 2</small>" in feedback and "More time on the skull models, please." in feedback
    assert "Amani Kileo" not in feedback  # feedback is read without the participant's name
    answers = page[page.index("Supervisors: has practice changed?") :]
    assert "1 of 1 supervisors answered." in answers
    assert "Amani Kileo" in answers and "Baraka Massawe" in answers and "Reads CT scans alone now." in answers
    # The trainer reads the feedback and the count of the answers, not the answers naming people.
    client.logout()
    trainer = sign_in(client, cast.consultant_china).get(url).content.decode()
    assert "More time on the skull models, please." in trainer  # in Chinese, the consultant's language
    assert "1 位导师中已有 1 位回答" in trainer
    assert "Amani Kileo" not in trainer and "Reads CT scans alone now." not in trainer
    # A participant and a coordinator of another institution read none of it.
    for person in (cast.trainee, cast.outsider_coordinator):
        client.logout()
        other = sign_in(client, person).get(url).content.decode()
        assert "More time on the skull models" not in other and 'id="evaluation"' not in other, person


def test_the_session_page_reads_the_evaluation_in_as_many_queries_for_many_answers_as_for_one(cast, client):
    world = sessions_world(cast)
    ratings = {"relevance": 5, "teaching": 4, "practical": 3, "organisation": 4}
    actions.give_feedback(cast.trainee, world.held, ratings, "Useful.")
    actions.answer_follow_up(cast.neurosurgeon, world.follow_up, "yes", "Better.")
    coordinator = sign_in(client, cast.coordinator)
    url = f"/training/sessions/{world.held.pk}/"
    few = queries_for(coordinator, url)
    for person in (cast.referrer, cast.outsider, cast.researcher):
        registration = actions.add_walk_in(
            cast.coordinator, world.held, person, "medical-officer"
        ).registration
        actions.give_feedback(person, world.held, ratings, f"Comment from {person.pk}.")
        # The supervisors' question, as ask_follow_ups would send it to a supervisor they have.
        question = FollowUp.objects.create(registration=registration, supervisor=cast.neurosurgeon)
        actions.answer_follow_up(cast.neurosurgeon, question, "partly", "Some change.")
    assert queries_for(coordinator, url) == few
    page = coordinator.get(url).content.decode()
    assert "4 participants answered" in page and page.count("Some change.") == 3


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Keep it to 2,000 characters or fewer: this has 2,345."),
        ("sw", "Usizidishe herufi 2,000: hapa kuna herufi 2,345."),
        ("zh-hans", "请控制在 2000 个字符以内：目前有 2345 个字符。"),
    ],
)
def test_a_long_follow_up_answer_is_refused_on_the_page_and_kept_to_shorten(cast, client, language, message):
    world = sessions_world(cast)
    cast.neurosurgeon.preferred_language = language
    cast.neurosurgeon.save()
    reader = sign_in(client, cast.neurosurgeon)
    url = f"/training/sessions/follow-up/{world.follow_up.pk}/"
    assert "maxlength" not in reader.get(url).content.decode()  # the browser would cut a paste silently
    typed = "Places burr holes alone now. " * 80 + "x" * 25  # 2,345 characters
    page = reader.post(url, {"practice_changed": "yes", "comment": typed})
    text = page.content.decode()
    assert page.status_code == 200 and message in text and typed in text
    if language != "en":
        assert "Keep it to" not in text
    world.follow_up.refresh_from_db()
    assert world.follow_up.answered_at is None


def test_the_api_refuses_a_long_follow_up_answer_by_its_field(cast):
    world = sessions_world(cast)
    answer = call(
        bearer_client(cast.neurosurgeon),
        "post",
        f"/training/sessions/follow-ups/{world.follow_up.pk}",
        {"practice_changed": "yes", "comment": "x" * 2001},
    )
    assert answer.status_code == 422 and [e["field"] for e in answer.json()["detail"]] == ["comment"]
    world.follow_up.refresh_from_db()
    assert world.follow_up.answered_at is None


def test_a_long_feedback_comment_is_refused_on_the_page_and_kept(cast, client):
    registration = attended(cast, cast.trainee)
    reader = sign_in(client, cast.trainee)
    url = f"/training/sessions/{registration.session_id}/feedback/"
    assert "maxlength" not in reader.get(url).content.decode()
    typed = "Good practice. " * 150
    ratings = {"relevance": 5, "teaching": 4, "practical": 4, "organisation": 3}
    page = reader.post(url, ratings | {"comment": typed})
    assert page.status_code == 200 and "2,000 characters or fewer" in page.content.decode()
    assert typed.strip() in page.content.decode()
    assert not Feedback.objects.exists()


def test_the_topic_is_the_coordinators_words_marked_with_the_sessions_language(cast, client):
    # Free text typed with the title, in the session's language: shown as typed, never translated.
    session = planned(cast, language="sw", topic="Majeraha ya kichwa")
    page = sign_in(client, cast.consultant_china).get(f"/training/sessions/{session.pk}/").content.decode()
    assert '<dd lang="sw">Majeraha ya kichwa</dd>' in page


@pytest.mark.parametrize("language", ["sw", "zh-hans"])
def test_no_english_duration_is_left_on_the_session_pages(cast, client, language):
    world = sessions_world(cast)
    actions.give_feedback(
        cast.trainee, world.held, {"relevance": 5, "teaching": 4, "practical": 3, "organisation": 4}
    )
    pages = {
        cast.coordinator: [
            f"/training/sessions/{world.held.pk}/",
            f"/training/sessions/{world.running.pk}/",
            f"/training/sessions/{world.held.pk}/attendance/?q=Neema",
        ],
        cast.trainee: [
            "/training/sessions/",
            f"/training/sessions/{world.running.pk}/",
            "/training/sessions/check-in/",
        ],
        cast.neurosurgeon: [f"/training/sessions/follow-up/{world.follow_up.pk}/"],
    }
    for person, urls in pages.items():
        person.preferred_language = language
        person.save()
        client.logout()
        reader = sign_in(client, person)
        for url in urls:
            text = reader.get(url).content.decode()
            shown = re.sub(r"<[^>]+>", " ", text[text.index("<main") :])
            assert not re.search(r"(?i)\b(minutes?|hours?|half an hour|quarter)\b", shown), (url, shown)


def test_the_session_page_with_many_long_comments_stays_light(cast, client):
    words = [
        "burr",
        "hole",
        "craniotomy",
        "shunt",
        "ventricle",
        "pressure",
        "model",
        "skull",
        "drill",
        "suture",
        "scan",
        "team",
        "time",
    ]
    chance = random.Random(7)  # noqa: S311 (test text, not a secret)

    def prose() -> str:
        return " ".join(chance.choice(words) for _i in range(330))[: actions.COMMENT_LIMIT]

    world = sessions_world(cast)
    ratings = {"relevance": 5, "teaching": 4, "practical": 3, "organisation": 4}
    for n in range(queries.SHOWN + 5):
        person = User.objects.create_user(email=f"nurse{n}@example.test", full_name=f"Nurse {n:02}")
        person.memberships.create(institution=cast.institutions["MOI"], role="referrer")
        registration = actions.add_walk_in(cast.coordinator, world.held, person, "nurse").registration
        actions.give_feedback(person, world.held, ratings, prose())
        question = FollowUp.objects.create(registration=registration, supervisor=cast.neurosurgeon)
        actions.answer_follow_up(cast.neurosurgeon, question, "partly", prose())
    page = sign_in(client, cast.coordinator).get(f"/training/sessions/{world.held.pk}/")
    assert "5 earlier comments are not shown." in page.content.decode()
    assert compressed(page.content) + static_size() < PAGE_BUDGET

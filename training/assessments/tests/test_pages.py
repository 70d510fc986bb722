"""The assessment pages: the trainee's request form, the assessor's list and the completion
form made for two minutes on a phone, the coordinator's count per assessor, the home cards and
the demonstration data. A refused form says what is wrong, in the person's language, and keeps
what was typed."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import actions as accounts
from core.plugins import demo_loaders, home_page_for, navigation_for
from neurodaraja.testing.pages import compressed
from neurodaraja.testing.personas import sign_in
from training import actions as training_actions
from training.actions import local_today
from training.assessments import actions
from training.assessments.models import Assessment, Status
from training.assessments.queries import epa_levels
from training.assessments.tests.world import assessment_world, requested
from training.models import Programme, Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return assessment_world(cast)


def form(cast, world, **changes):
    return {
        "enrolment": world.training.enrolment.pk,
        "kind": "pba",
        "observed_on": (local_today(cast.trainee) - timedelta(days=2)).isoformat(),
        "institution": cast.institutions["MOI"].pk,
        "assessor": cast.neurosurgeon.pk,
        "procedure": "",
        "competency": "",
        "summary": "Craniotomy for an extradural haematoma",
    } | changes


def test_a_trainee_asks_from_the_form_and_lands_on_the_request(client, cast, world):
    page = sign_in(client, cast.trainee).get("/training/assessments/request/")
    assert page.status_code == 200 and 'type="radio"' in page.content.decode()
    sent = client.post("/training/assessments/request/", form(cast, world))
    assessment = Assessment.objects.get()
    assert sent.status_code == 302 and sent.url == f"/training/assessments/{assessment.pk}/"
    assert assessment.kind == "pba" and assessment.assessor == cast.neurosurgeon


def test_a_refused_request_says_why_in_kiswahili_and_keeps_what_was_typed(client, cast, world):
    accounts.update_profile(cast.trainee, {"preferred_language": "sw"})
    future = (local_today(cast.trainee) + timedelta(days=3)).isoformat()
    page = sign_in(client, cast.trainee).post(
        "/training/assessments/request/", form(cast, world, observed_on=future)
    )
    html = page.content.decode()
    assert page.status_code == 200 and "error-summary" in html
    assert "Tarehe ya kuonekana haiwezi kuwa ya baadaye." in html
    assert "Craniotomy for an extradural haematoma" in html and future in html
    assert Assessment.objects.count() == 0


def test_the_completion_form_is_one_rating_one_narrative_one_button(client, cast, world):
    asked = requested(cast, world)
    page = sign_in(client, cast.neurosurgeon).get(f"/training/assessments/{asked.pk}/complete/")
    html = page.content.decode()
    assert html.count('name="rating"') == 5 and 'class="field scale' in html
    assert html.count("<textarea") == 4  # the narrative; two folded away; the decline reason, folded
    assert "Add what went well and what to develop (optional)" in html and "Decline this request" in html
    assert compressed(page.content) < 50_000
    done = client.post(f"/training/assessments/{asked.pk}/complete/", {"rating": "3", "narrative": "Safe."})
    assert done.status_code == 302 and done.url == "/training/assessments/to-complete/"
    asked.refresh_from_db()
    assert asked.status == Status.COMPLETED and asked.rating == 3


def test_an_identifier_in_the_narrative_is_refused_on_the_page_and_the_text_kept(client, cast, world):
    asked = requested(cast, world)
    typed = "Seen on 12/03/2025, good hands."
    page = sign_in(client, cast.neurosurgeon).post(
        f"/training/assessments/{asked.pk}/complete/", {"rating": "4", "narrative": typed}
    )
    html = page.content.decode()
    assert page.status_code == 200 and "no patient identifier" in html and typed in html
    assert re.search(r'<input type="radio" name="rating" value="4"[^>]* checked', html)
    assert Assessment.objects.get().status == Status.REQUESTED


def test_declining_without_a_reason_reopens_the_fold_and_changes_nothing(client, cast, world):
    asked = requested(cast, world)
    page = sign_in(client, cast.neurosurgeon).post(
        f"/training/assessments/{asked.pk}/decline/", {"reason": ""}
    )
    assert page.status_code == 200 and "<details open>" in page.content.decode()
    assert Assessment.objects.get().status == Status.REQUESTED
    done = client.post(f"/training/assessments/{asked.pk}/decline/", {"reason": "Not my list that day."})
    assert done.status_code == 302 and Assessment.objects.get().status == Status.DECLINED


def test_an_answered_assessment_sends_the_assessor_to_it(client, cast, world):
    asked = requested(cast, world)
    actions.complete_assessment(cast.neurosurgeon, asked, 2, "Needs practice.")
    page = sign_in(client, cast.neurosurgeon).get(f"/training/assessments/{asked.pk}/complete/")
    assert page.status_code == 302 and page.url == f"/training/assessments/{asked.pk}/"
    shown = client.get(page.url).content.decode()
    assert "2 – May do it with the supervisor in the room" in shown and "Needs practice." in shown


def test_the_coordinator_counts_per_assessor_and_another_hospitals_sees_none(client, cast, world):
    done = requested(cast, world)
    actions.complete_assessment(cast.neurosurgeon, done, 3, "Fine.")
    late = requested(cast, world, kind="cbd")
    Assessment.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=1))
    html = sign_in(client, cast.coordinator).get("/training/assessments/assessors/").content.decode()
    assert cast.neurosurgeon.full_name in html and 'class="overdue"' in html
    outsider = sign_in(client, cast.outsider_coordinator).get("/training/assessments/assessors/")
    assert cast.neurosurgeon.full_name not in outsider.content.decode()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as seen:
        assert client.get(url).status_code == 200
    return len(seen)


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("trainee", "/training/assessments/"),
        ("neurosurgeon", "/training/assessments/to-complete/"),
        ("coordinator", "/training/assessments/assessors/"),
    ],
)
def test_list_pages_make_as_many_queries_for_ten_as_for_one(client, cast, world, who, url):
    requested(cast, world)
    sign_in(client, getattr(cast, who))
    one = _queries(client, url)
    for days in range(2, 11):
        requested(cast, world, observed_on=local_today(cast.trainee) - timedelta(days=days))
    assert _queries(client, url) == one


def test_the_home_cards_and_menu_serve_each_role(cast, world):
    requested(cast, world)
    titles = {
        person: [str(s.title) for s in home_page_for(person)] for person in (cast.trainee, cast.neurosurgeon)
    }
    assert "Workplace-based assessments" in titles[cast.trainee]
    assert "Assessments to complete" in titles[cast.neurosurgeon]
    assert "Assessments in your programmes" in [str(s.title) for s in home_page_for(cast.coordinator)]
    assert "training_assessments:list" in [e.url_name for e in navigation_for(cast.trainee)]
    assert "training_assessments:list" not in [e.url_name for e in navigation_for(cast.referrer)]


def test_the_demo_loader_creates_marked_synthetic_assessments_once(db):
    loaders = {loader.name: loader for loader in demo_loaders()}
    for name in ("accounts", "consultations", "training"):
        loaders[name].load()
    assert "3 synthetic" in loaders["training_assessments"].load()
    assert all("Synthetic" in s for s in Assessment.objects.values_list("summary", flat=True))
    statuses = sorted(Assessment.objects.values_list("status", flat=True))
    assert statuses == ["completed", "requested", "requested"]
    assert sum(a.is_overdue for a in Assessment.objects.all()) == 1
    assert "already" in loaders["training_assessments"].load() and Assessment.objects.count() == 3


def test_the_list_narrows_to_one_enrolment_and_a_forged_one_is_not_there(client, cast, world):
    short = Programme.objects.create(
        code="short",
        name_en="Short course",
        name_sw="Kozi fupi",
        name_zh_hans="短期课程",
        institution=cast.institutions["MOI"],
    )
    stage = Stage.objects.create(
        programme=short, name_en="Course", name_sw="Kozi", name_zh_hans="课程", allowed_codes=["O"]
    )
    other = training_actions.enrol(
        cast.coordinator,
        cast.trainee,
        short,
        stage,
        cast.institutions["MOI"],
        [cast.neurosurgeon],
        local_today(cast.trainee),
    )
    mine = requested(cast, world)
    theirs = requested(cast, world, enrolment=other, kind="cbd")
    sign_in(client, cast.coordinator)
    html = client.get(f"/training/assessments/?enrolment={world.training.enrolment.pk}").content.decode()
    assert f"/training/assessments/{mine.pk}/" in html and f"/training/assessments/{theirs.pk}/" not in html
    for forged in ("99999", "abc"):
        assert client.get(f"/training/assessments/?enrolment={forged}").status_code == 404


def test_the_progress_tag_gives_the_latest_entrustment_per_epa_in_two_queries(cast, world):
    enrolment = world.training.enrolment
    template = Template("{% load training_assessments_tags %}{% epa_progress enrolment %}")
    for days, rating in ((5, 2), (3, 4)):
        epa = requested(
            cast,
            world,
            kind="epa",
            procedure=None,
            competency=world.epa,
            observed_on=local_today(cast.trainee) - timedelta(days=days),
        )
        actions.complete_assessment(cast.neurosurgeon, epa, rating, "Observed on the ward round.")
    with CaptureQueriesContext(connection) as seen:
        html = template.render(Context({"enrolment": enrolment}))
    assert len(seen) == 2
    assert "Assess and manage raised intracranial pressure" in html and "2 observations" in html
    (level,) = epa_levels(enrolment)
    assert (level.latest, level.observations, level.reached) == (4, 2, True)

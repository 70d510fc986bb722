"""The request form offers, as assessor, exactly the people the request accepts for the chosen
programme and hospital (training.assessments.actions.possible_assessors), and an EPA observation
for each competency of that programme (never a competency with another kind): nothing is offered
and then refused. The hospital is chosen first; a surgeon of
another hospital appears once that hospital is chosen."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from accounts import actions as accounts
from neurodaraja.testing.api_clients import bearer_client, call
from neurodaraja.testing.personas import sign_in
from training.actions import local_today
from training.assessments.actions import possible_assessors
from training.assessments.models import Assessment
from training.assessments.tests.world import assessment_world
from training.models import Competency, Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return assessment_world(cast)


def offered(html: str, name: str) -> set[int]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, name
    return {int(value) for value in re.findall(r'<option value="(\d+)"', select.group(1))}


def sent(cast, world, institution, assessor: int):
    return {
        "enrolment": world.training.enrolment.pk,
        "institution": institution.pk,
        "kind": "dops",
        "observed_on": (local_today(cast.trainee) - timedelta(days=1)).isoformat(),
        "assessor": assessor,
        "summary": "Burr hole for a chronic subdural",
    }


def test_the_form_offers_only_the_assessors_the_request_accepts_at_the_home_hospital(client, cast, world):
    page = sign_in(client, cast.trainee).get("/training/assessments/request/")
    people = offered(page.content.decode(), "assessor")
    moi = cast.institutions["MOI"]
    assert people == set(possible_assessors(world.training.enrolment, moi).values_list("pk", flat=True))
    assert cast.neurosurgeon.pk in people
    # A consultant of a hospital in China is not offered for work observed at MOI ...
    assert cast.consultant_china.pk not in people and cast.trainee.pk not in people
    # ... and every one offered is accepted.
    for person in people:
        answer = client.post("/training/assessments/request/", sent(cast, world, moi, person))
        assert answer.status_code == 302, person
    assert Assessment.objects.count() == len(people)


def test_choosing_the_hospital_abroad_offers_its_surgeons_and_the_request_goes(client, cast, world):
    qilu = cast.institutions["QILU"]
    page = sign_in(client, cast.trainee).get(
        "/training/assessments/request/",
        {"where-enrolment": world.training.enrolment.pk, "where-institution": qilu.pk},
    )
    html = page.content.decode()
    assert cast.consultant_china.pk in offered(html, "assessor")
    assert f'name="institution" value="{qilu.pk}"' in html  # the request is for that hospital
    answer = client.post("/training/assessments/request/", sent(cast, world, qilu, cast.consultant_china.pk))
    assert answer.status_code == 302
    assert Assessment.objects.get().assessor == cast.consultant_china


def test_a_surgeon_of_another_hospital_sent_anyway_is_refused_at_the_field_and_nothing_is_lost(
    client, cast, world
):
    accounts.update_profile(cast.trainee, {"preferred_language": "sw"})
    moi = cast.institutions["MOI"]
    page = sign_in(client, cast.trainee).post(
        "/training/assessments/request/", sent(cast, world, moi, cast.consultant_china.pk)
    )
    html = page.content.decode()
    assert page.status_code == 200 and 'id="id_assessor_errors"' in html
    assert "Choose one of your supervisors" not in html  # said in Kiswahili
    assert "Burr hole for a chronic subdural" in html
    assert Assessment.objects.count() == 0


def kinds(html: str) -> set[str]:
    return set(re.findall(r'<input type="radio" name="kind" value="([^"]+)"', html))


def test_an_epa_observation_is_offered_for_each_competency_of_the_programme_and_no_other(client, cast, world):
    other = Programme.objects.create(
        code="other",
        name_en="Other",
        name_sw="Nyingine",
        name_zh_hans="其他",
        institution=cast.institutions["QILU"],
    )
    elsewhere = Competency.objects.create(
        programme=other, code="epa-x", name_en="X", name_sw="X", name_zh_hans="X"
    )
    page = sign_in(client, cast.trainee).get("/training/assessments/request/")
    html = page.content.decode()
    assert kinds(html) == {"cbd", "dops", "pba", f"epa:{world.epa.pk}"}
    assert f"epa:{elsewhere.pk}" not in html
    assert "EPA observation: Assess and manage raised intracranial pressure" in html
    assert 'name="competency"' not in html  # no competency to pair with a DOPS and be refused
    answer = client.post(
        "/training/assessments/request/",
        sent(cast, world, cast.institutions["MOI"], cast.neurosurgeon.pk) | {"kind": f"epa:{world.epa.pk}"},
    )
    assert answer.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.kind == "epa" and assessment.competency == world.epa


def test_a_programme_without_competencies_offers_no_epa_observation(client, cast, world):
    world.epa.delete()
    html = sign_in(client, cast.trainee).get("/training/assessments/request/").content.decode()
    assert kinds(html) == {"cbd", "dops", "pba"}


@pytest.mark.parametrize("who", ["consultant_china", "outsider", "coordinator"])
def test_the_api_refuses_an_assessor_it_would_not_offer_naming_the_field(cast, world, who):
    answer = call(
        bearer_client(cast.trainee),
        "post",
        "/training/assessments",
        {
            "enrolment": world.training.enrolment.pk,
            "kind": "dops",
            "assessor": getattr(cast, who).pk,
            "observed_on": (local_today(cast.trainee) - timedelta(days=1)).isoformat(),
            "institution": "moi",
        },
    )
    assert answer.status_code == 422
    assert answer.json()["detail"] == [
        {
            "field": "assessor",
            "message": "Choose one of your supervisors, or a surgeon of the hospital where you were observed.",
            "type": "invalid",
        }
    ]
    assert Assessment.objects.count() == 0


def test_the_api_refuses_an_assessor_who_does_not_exist_naming_the_field(cast, world):
    answer = call(
        bearer_client(cast.trainee),
        "post",
        "/training/assessments",
        {
            "enrolment": world.training.enrolment.pk,
            "kind": "dops",
            "assessor": 987654,
            "observed_on": (local_today(cast.trainee) - timedelta(days=1)).isoformat(),
            "institution": "moi",
        },
    )
    assert answer.status_code == 422 and [e["field"] for e in answer.json()["detail"]] == ["assessor"]

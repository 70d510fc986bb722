"""Who sees an assessment: the trainee, the assessor, the trainee's supervisors and the coordinators
of the programme; only the assessor answers it (403 for the others who see it); anyone else is told
nothing exists (404). A host surgeon abroad asked to assess reaches the pages by being asked."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from neurodaraja.testing.personas import sign_in
from training.assessments import access
from training.assessments.tests.world import assessment_world, requested

pytestmark = pytest.mark.django_db


@pytest.fixture
def abroad(cast):
    world = assessment_world(cast)
    return requested(cast, world, assessor=cast.consultant_china, institution=cast.institutions["QILU"])


def test_the_trainee_supervisor_coordinator_and_assessor_see_it(cast, abroad):
    for person in (cast.trainee, cast.neurosurgeon, cast.coordinator, cast.consultant_china):
        assert access.get_assessment(person, abroad.pk) == abroad


def test_another_hospital_and_other_roles_are_told_nothing_exists(cast, abroad):
    for person in (cast.outsider_coordinator, cast.outsider, cast.referrer, cast.researcher):
        with pytest.raises(Http404):
            access.get_assessment(person, abroad.pk)


def test_only_the_assessor_may_answer(cast, abroad):
    assert access.get_assessment_to_complete(cast.consultant_china, abroad.pk) == abroad
    for person in (cast.trainee, cast.neurosurgeon, cast.coordinator):
        with pytest.raises(PermissionDenied):
            access.get_assessment_to_complete(person, abroad.pk)


def test_a_host_surgeon_with_no_training_role_reaches_the_list_once_asked(client, cast, abroad):
    sign_in(client, cast.consultant_china)
    assert client.get("/training/assessments/to-complete/").status_code == 200
    page = client.get(f"/training/assessments/{abroad.pk}/complete/")
    assert page.status_code == 200 and cast.trainee.full_name in page.content.decode()
    # Chinese, the consultant's language.
    assert "完成评估" in page.content.decode()


def test_a_consultant_never_asked_is_refused_the_pages(client, cast, abroad):
    sign_in(client, cast.outsider)
    assert client.get("/training/assessments/to-complete/").status_code == 403

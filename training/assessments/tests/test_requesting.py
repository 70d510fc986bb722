"""A trainee asks an assessor for a workplace-based assessment: the assessor is notified and has
two weeks; a request the trainee could not mean (themselves as assessor, a date to come, a patient
identifier, an EPA without its competency) is refused with a clear message and saves nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from core.errors import ActionError, FieldErrors
from core.models import AuditEntry, Notification
from core.scheduler import periodic_jobs
from training.actions import local_today
from training.assessments import actions
from training.assessments.models import Assessment, Status
from training.assessments.tests.world import assessment_world, request_data, requested
from training.models import Competency, Programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return assessment_world(cast)


def refused_fields(cast, world, **changes) -> dict[str, str]:
    with pytest.raises(FieldErrors) as refused:
        actions.request_assessment(cast.trainee, request_data(cast, world, **changes))
    assert Assessment.objects.count() == 0
    return {error["field"]: error["message"] for error in refused.value.errors}


def test_a_request_waits_two_weeks_for_the_notified_assessor(cast, world):
    assessment = requested(cast, world)
    assert assessment.status == Status.REQUESTED and assessment.rating is None
    assert assessment.due_at - assessment.requested_at == timedelta(days=14)
    assert not assessment.is_overdue
    assert AuditEntry.objects.filter(
        action="training.assessment_requested", object_id=str(assessment.pk), detail={"kind": "dops"}
    ).exists()
    notice = Notification.objects.get(recipient=cast.neurosurgeon, kind="training.assessment_to_complete")
    assert notice.url == f"/training/assessments/{assessment.pk}/complete/"


def test_a_trainee_cannot_be_their_own_assessor(cast, world):
    assert refused_fields(cast, world, assessor=cast.trainee) == {
        "assessor": "You cannot assess yourself: choose another assessor."
    }


def test_the_date_observed_cannot_be_in_the_future(cast, world):
    tomorrow = local_today(cast.trainee) + timedelta(days=1)
    assert refused_fields(cast, world, observed_on=tomorrow) == {
        "observed_on": "The date observed cannot be in the future."
    }


def test_an_identifier_in_the_summary_is_refused_and_the_attempt_audited(cast, world):
    fields = refused_fields(cast, world, summary="Baby of the mother on 0754 123 456")
    assert "no patient identifier" in fields["summary"]
    entry = AuditEntry.objects.get(action="training.assessment_refused_identifier")
    assert entry.detail == {"fields": ["summary"]}


def test_an_assessor_must_be_a_supervisor_or_a_surgeon_where_the_work_was_seen(cast, world):
    fields = refused_fields(cast, world, assessor=cast.outsider)
    assert fields["assessor"].startswith("Choose one of your supervisors")
    # The coordinator is neither: no surgeon role at MOI, not a named supervisor.
    assert "assessor" in refused_fields(cast, world, assessor=cast.coordinator)


def test_a_host_surgeon_abroad_may_assess(cast, world):
    assessment = requested(cast, world, assessor=cast.consultant_china, institution=cast.institutions["QILU"])
    assert assessment.assessor == cast.consultant_china


def test_an_epa_observation_names_a_competency_of_the_trainees_programme(cast, world):
    assert set(refused_fields(cast, world, kind="epa", procedure=None)) == {"competency"}
    other = Competency.objects.create(
        programme=_another_programme(cast), code="epa-x", name_en="X", name_sw="X", name_zh_hans="X"
    )
    assert refused_fields(cast, world, kind="epa", competency=other) == {
        "competency": "This competency belongs to another programme."
    }
    assert set(refused_fields(cast, world, kind="cbd", competency=world.epa)) == {"competency"}
    epa = requested(cast, world, kind="epa", procedure=None, competency=world.epa)
    assert epa.subject == "Assess and manage raised intracranial pressure"


def _another_programme(cast):
    return Programme.objects.create(
        code="other",
        name_en="Other",
        name_sw="Nyingine",
        name_zh_hans="其他",
        institution=cast.institutions["KCMC"],
    )


def test_the_same_request_sent_twice_is_kept_once(cast, world):
    requested(cast, world)
    with pytest.raises(ActionError) as twice:
        requested(cast, world)
    assert twice.value.status == 409 and "already asked" in str(twice.value.message)
    assert Assessment.objects.count() == 1


def test_only_the_trainee_asks_for_their_own_enrolment(cast, world):
    with pytest.raises(Http404):
        actions.request_assessment(cast.neurosurgeon, request_data(cast, world))
    assert Assessment.objects.count() == 0


def test_overdue_requests_remind_each_assessor_once(cast, world):
    late = requested(cast, world)
    requested(cast, world, kind="cbd")  # recent: not overdue
    Assessment.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(hours=1))
    assert actions.remind_overdue() == 1
    reminder = Notification.objects.get(recipient=cast.neurosurgeon, kind="training.assessment_overdue")
    assert reminder.params == {"count": 1}
    assert reminder.url == "/training/assessments/to-complete/"


def test_the_reminder_is_a_daily_job():
    jobs = {job.name: job for job in periodic_jobs()}
    assert jobs["training.remind_overdue_assessments"].every == timedelta(days=1)

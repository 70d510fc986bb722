"""The assessor completes a request with an entrustment rating and a narrative, or declines it
saying why; only the assessor may, once; bad input is refused and loses nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from core.errors import ActionError, FieldErrors
from core.models import AuditEntry, Notification
from training.assessments import actions
from training.assessments.models import Assessment, Entrustment, Status
from training.assessments.tests.world import assessment_world, requested

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cast):
    return assessment_world(cast)


@pytest.fixture
def asked(cast, world):
    return requested(cast, world)


def test_the_assessor_rates_and_writes_and_the_trainee_is_told(cast, asked):
    done = actions.complete_assessment(
        cast.neurosurgeon, asked, 4, " Safe and steady. ", "Good positioning.", "Speed of closure."
    )
    assert done.status == Status.COMPLETED and done.rating == 4 and done.completed_at is not None
    assert (done.narrative, done.went_well, done.to_develop) == (
        "Safe and steady.",
        "Good positioning.",
        "Speed of closure.",
    )
    assert done.get_rating_display() == "4 – May do it alone, the supervisor on call"
    audit = AuditEntry.objects.get(action="training.assessment_completed")
    assert audit.detail == {"kind": "dops", "rating": 4}  # the narrative never enters the trail
    assert Notification.objects.filter(recipient=cast.trainee, kind="training.assessment_completed").exists()


def test_the_scale_runs_from_observing_only_to_supervising_others():
    assert Entrustment.values == [1, 2, 3, 4, 5]
    assert Entrustment(1).label.startswith("1 – Observes only")
    assert Entrustment(5).label == "5 – May supervise others doing it"


def test_only_the_assessor_completes_or_declines(cast, asked):
    for person in (cast.trainee, cast.coordinator, cast.outsider):
        with pytest.raises(PermissionDenied):
            actions.complete_assessment(person, asked, 3, "Fine.")
        with pytest.raises(PermissionDenied):
            actions.decline_assessment(person, asked, "Not me.")
    assert Assessment.objects.get().status == Status.REQUESTED


@pytest.mark.parametrize(
    ("rating", "narrative", "field"),
    [(0, "Fine.", "rating"), (6, "Fine.", "rating"), (None, "Fine.", "rating"), (3, "   ", "narrative")],
)
def test_a_rating_from_1_to_5_and_a_narrative_are_needed(cast, asked, rating, narrative, field):
    with pytest.raises(FieldErrors) as refused:
        actions.complete_assessment(cast.neurosurgeon, asked, rating, narrative)
    assert [error["field"] for error in refused.value.errors] == [field]
    assert Assessment.objects.get().status == Status.REQUESTED


def test_an_identifier_in_the_narrative_is_refused_and_nothing_is_saved(cast, asked):
    with pytest.raises(FieldErrors) as refused:
        actions.complete_assessment(
            cast.neurosurgeon,
            asked,
            3,
            "Admitted on 12/03/2025, reviewed together.",
            to_develop="Call 0712 345 678",
        )
    assert {error["field"] for error in refused.value.errors} == {"narrative", "to_develop"}
    assert "no patient identifier" in refused.value.errors[0]["message"]
    kept = Assessment.objects.get()
    assert kept.status == Status.REQUESTED and kept.narrative == "" and kept.rating is None
    assert AuditEntry.objects.filter(action="training.assessment_refused_identifier").count() == 1


def test_an_assessment_is_answered_once(cast, asked):
    actions.complete_assessment(cast.neurosurgeon, asked, 3, "Fine.")
    with pytest.raises(ActionError) as again:
        actions.complete_assessment(cast.neurosurgeon, asked, 5, "Changed my mind.")
    assert again.value.status == 409
    with pytest.raises(ActionError):
        actions.decline_assessment(cast.neurosurgeon, asked, "Too late.")
    assert Assessment.objects.get().rating == 3


def test_declining_needs_a_reason_and_tells_the_trainee(cast, asked):
    with pytest.raises(FieldErrors):
        actions.decline_assessment(cast.neurosurgeon, asked, "  ")
    declined = actions.decline_assessment(cast.neurosurgeon, asked, "I did not see this case.")
    assert declined.status == Status.DECLINED and declined.decline_reason == "I did not see this case."
    assert declined.rating is None
    assert Notification.objects.filter(recipient=cast.trainee, kind="training.assessment_declined").exists()
    assert AuditEntry.objects.filter(action="training.assessment_declined").exists()

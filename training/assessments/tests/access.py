"""Workplace-based assessments in the project's access matrix: the trainee sees their own and
asks; the assessor (here the trainee's named supervisor) completes or declines; the coordinators
of the programme read them and count per assessor; anyone else is told nothing exists (404), and
roles with no part in training are refused (403)."""

from __future__ import annotations

from neurodaraja.testing.access import Change, Endpoint, Ids, Page, everyone, expect
from neurodaraja.testing.personas import Personas
from training.assessments.models import Assessment
from training.assessments.tests.world import assessment_world, requested

IN_TRAINING = {"trainee", "neurosurgeon", "coordinator", "outsider_coordinator"}
ON_IT = {"trainee", "neurosurgeon", "coordinator"}
COORDINATORS = {"coordinator", "outsider_coordinator"}


def objects(cast: Personas) -> Ids:
    world = assessment_world(cast)
    assessment = requested(cast, world)
    return {"assessment": assessment.pk, "enrolment": world.training.enrolment.pk}


def assessments(cast: Personas, ids: Ids) -> list[tuple[object, ...]]:
    return list(
        Assessment.objects.values_list("pk", "status", "rating", "narrative", "decline_reason").order_by("pk")
    )


# The assessor answers; the trainee and the coordinator see it but may not (403); others 404.
by_the_assessor = expect({"neurosurgeon"}, refused=404, ok=302, trainee=403, coordinator=403)

PAGES = [
    Page("/training/assessments/", expect(IN_TRAINING)),
    # One trainee's programme: another hospital's coordinator does not know it exists.
    Page("/training/assessments/?enrolment={enrolment}", expect(ON_IT, outsider_coordinator=404)),
    Page("/training/assessments/request/", expect({"trainee"})),
    Page("/training/assessments/to-complete/", expect(IN_TRAINING)),
    Page("/training/assessments/assessors/", expect(COORDINATORS)),
    Page("/training/assessments/{assessment}/", expect(ON_IT, refused=404)),
    Page(
        "/training/assessments/{assessment}/complete/",
        expect({"neurosurgeon"}, refused=404, trainee=403, coordinator=403),
    ),
]

CHANGES = [
    Change("/training/assessments/request/", expect({"trainee"}), assessments),
    Change(
        "/training/assessments/{assessment}/complete/",
        by_the_assessor,
        assessments,
        {"rating": 4, "narrative": "Safe and steady."},
    ),
    Change(
        "/training/assessments/{assessment}/decline/",
        by_the_assessor,
        assessments,
        {"reason": "I was not in theatre that day."},
    ),
]

NEW_REQUEST = {
    "enrolment": "{enrolment}",
    "kind": "cbd",
    "assessor": 0,
    "observed_on": "2025-03-01",
    "institution": "MOI",
}

ENDPOINTS = [
    Endpoint("get", "/training/assessments", expect(IN_TRAINING)),
    Endpoint("get", "/training/assessments/to-complete", expect(IN_TRAINING)),
    Endpoint("get", "/training/assessments/scale", everyone()),
    Endpoint("get", "/training/assessments/assessors", expect(COORDINATORS)),
    Endpoint("get", "/training/assessments/{assessment}", expect(ON_IT, refused=404)),
    # Another's enrolment is refused by field (422), a role outside training by role (403).
    Endpoint(
        "post",
        "/training/assessments",
        expect({"trainee"}, ok=201, neurosurgeon=422, coordinator=422, outsider_coordinator=422),
        assessments,
        NEW_REQUEST,
    ),
    Endpoint(
        "post",
        "/training/assessments/{assessment}/completion",
        expect({"neurosurgeon"}, refused=404, trainee=403, coordinator=403),
        assessments,
        {"rating": 4, "narrative": "Safe and steady."},
    ),
    Endpoint(
        "post",
        "/training/assessments/{assessment}/decline",
        expect({"neurosurgeon"}, refused=404, trainee=403, coordinator=403),
        assessments,
        {"reason": "I was not in theatre that day."},
    ),
]

"""The assessments' test world: training's world (the cast's trainee enrolled at MOI with the MOI
neurosurgeon as named supervisor) plus an EPA of the programme, and requests built through the
real actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from neurodaraja.testing.personas import Personas
from training.actions import local_today
from training.assessments import actions
from training.assessments.models import Assessment
from training.models import Competency, Enrolment, Procedure
from training.tests.world import World, training_world


@dataclass
class AssessmentWorld:
    training: World
    epa: Competency


def assessment_world(cast: Personas) -> AssessmentWorld:
    """Training's world, or the one already built (the access matrix builds every app's objects
    in one database)."""
    enrolment = Enrolment.objects.filter(trainee=cast.trainee, programme__code="mmed").first()
    if enrolment is None:
        world = training_world(cast)
    else:
        stages = list(enrolment.programme.stages.order_by("position"))
        world = World(enrolment.programme, stages[0], stages[-1], enrolment)
    epa, _created = Competency.objects.get_or_create(
        programme=world.programme,
        code="epa-raised-icp",
        defaults={
            "name_en": "Assess and manage raised intracranial pressure",
            "name_sw": "Kutathmini na kutibu shinikizo la juu ndani ya fuvu",
            "name_zh_hans": "评估和处理颅内压增高",
        },
    )
    return AssessmentWorld(world, epa)


def request_data(cast: Personas, world: AssessmentWorld, **changes: Any) -> actions.RequestData:
    fields: dict[str, Any] = {
        "enrolment": world.training.enrolment,
        "kind": "dops",
        "assessor": cast.neurosurgeon,
        "observed_on": local_today(cast.trainee) - timedelta(days=1),
        "institution": cast.institutions["MOI"],
        "procedure": Procedure.objects.get(code="vp-shunt"),
        "summary": "Shunt insertion in an infant",
    }
    return actions.RequestData(**(fields | changes))


def requested(cast: Personas, world: AssessmentWorld, **changes: Any) -> Assessment:
    return actions.request_assessment(cast.trainee, request_data(cast, world, **changes))

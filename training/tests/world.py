"""The training world the tests share: a programme at MOI, the cast's trainee enrolled in its
second year with the MOI neurosurgeon as named supervisor, built through the real actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from accounts import actions as accounts
from accounts.models import Role
from neurodaraja.testing.personas import Personas
from training import actions
from training.models import Enrolment, LogbookEntry, Procedure, ProcedureGroup, Programme, Requirement, Stage


@dataclass
class World:
    programme: Programme
    first_year: Stage
    second_year: Stage
    enrolment: Enrolment


def training_world(cast: Personas) -> World:
    """Built once per database: a second call (another part's access declarations in the same
    matrix run) returns the world already there."""
    moi = cast.institutions["MOI"]
    existing = Programme.objects.filter(code="mmed").first()
    if existing is not None:
        stages = list(existing.stages.order_by("position"))
        enrolment = Enrolment.objects.get(programme=existing, trainee=cast.trainee)
        return World(existing, stages[0], stages[1], enrolment)
    cast.neurosurgeon.forget_memberships()
    if moi not in cast.neurosurgeon.institutions_with_role(Role.SUPERVISOR):
        accounts.add_role(cast.admin, cast.neurosurgeon, moi, Role.SUPERVISOR)
    programme = Programme.objects.create(
        code="mmed",
        name_en="MMed Neurosurgery",
        name_sw="MMed Upasuaji wa Ubongo",
        name_zh_hans="神经外科硕士",
        institution=moi,
    )
    first = Stage.objects.create(
        programme=programme,
        position=0,
        name_en="Year 1",
        name_sw="Mwaka wa 1",
        name_zh_hans="第一年",
        allowed_codes=["O", "A", "S-TS"],
    )
    second = Stage.objects.create(
        programme=programme,
        position=1,
        name_en="Year 2",
        name_sw="Mwaka wa 2",
        name_zh_hans="第二年",
        allowed_codes=["O", "A", "S-TS", "S-TU", "P"],
    )
    Requirement.objects.create(
        programme=programme, group=ProcedureGroup.objects.get(code="csf"), level="S-TU", minimum=3
    )
    enrolment = actions.enrol(
        cast.coordinator, cast.trainee, programme, second, moi, [cast.neurosurgeon], date(2025, 1, 6)
    )
    return World(programme, first, second, enrolment)


def entry_data(cast: Personas, world: World, **changes: Any) -> actions.EntryData:
    fields: dict[str, Any] = {
        "enrolment": world.enrolment,
        "performed_on": actions.local_today(cast.trainee) - timedelta(days=1),
        "institution": cast.institutions["MOI"],
        "urgency": "elective",
        "age_band": "0-1",
        "sex": "female",
        "diagnosis": "Congenital hydrocephalus",
        "procedures": [Procedure.objects.get(code="vp-shunt")],
        "supervision": "S-TU",
        "supervisor": cast.neurosurgeon,
    }
    return actions.EntryData(**(fields | changes))


def logged(cast: Personas, world: World, **changes: Any) -> LogbookEntry:
    return actions.log_entry(cast.trainee, entry_data(cast, world, **changes))

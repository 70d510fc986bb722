"""The logbook's pages and API in the project's access matrix: trainees see their own entries,
the named supervisor decides them, the coordinators of the trainee's home institution read them;
anyone else is told nothing exists (404), and roles with no part in training are refused (403)."""

from __future__ import annotations

from neurodaraja.testing.access import Change, Endpoint, Ids, Page, everyone, expect
from neurodaraja.testing.personas import Personas
from training.models import Competency, Enrolment, LogbookEntry, ProcedureGroup, Programme, Requirement, Stage
from training.tests.world import logged, training_world

IN_TRAINING = {"trainee", "neurosurgeon", "coordinator", "outsider_coordinator"}  # the roles, or named
ON_THE_ENTRY = {"trainee", "neurosurgeon", "coordinator"}
COORDINATORS = {"coordinator", "outsider_coordinator"}


def objects(cast: Personas) -> Ids:
    world = training_world(cast)
    entry = logged(cast, world)
    competency, _ = Competency.objects.get_or_create(
        programme=world.programme,
        code="epa-shunt",
        defaults={"name_en": "Insert a shunt", "name_sw": "Kuweka shunt", "name_zh_hans": "分流术"},
    )
    return {
        "entry": entry.pk,
        "enrolment": world.enrolment.pk,
        "programme": world.programme.pk,
        "stage": world.first_year.pk,
        "competency": competency.pk,
        "group": ProcedureGroup.objects.get(code="csf").pk,
        "institution": entry.institution_id,
        "procedure": entry.procedures.get().pk,
        "supervisor": entry.supervisor_id,
    }


def curriculum(cast: Personas, ids: Ids) -> list[tuple[object, ...]]:
    return [
        *Programme.objects.values_list("pk", "name_en", "institution_id").order_by("pk"),
        *Stage.objects.values_list("pk", "name_en", "allowed_codes").order_by("pk"),
        *Competency.objects.values_list("pk", "name_en", "level_expected").order_by("pk"),
        *ProcedureGroup.objects.values_list("pk", "name_en").order_by("pk"),
    ]


def entries(cast: Personas, ids: Ids) -> list[tuple[object, ...]]:
    return list(LogbookEntry.objects.values_list("pk", "status", "validated_at").order_by("pk"))


def entry_contents(cast: Personas, ids: Ids) -> list[tuple[object, ...]]:
    return list(LogbookEntry.objects.values_list("pk", "status", "diagnosis", "supervision").order_by("pk"))


def requirements(cast: Personas, ids: Ids) -> list[tuple[object, ...]]:
    return list(Requirement.objects.values_list("pk", "level", "minimum").order_by("pk"))


def enrolments(cast: Personas, ids: Ids) -> list[tuple[object, ...]]:
    return list(Enrolment.objects.values_list("pk", "stage_id").order_by("pk"))


on_the_entry = expect(ON_THE_ENTRY, refused=404)

PAGES = [
    Page("/training/", expect(IN_TRAINING)),
    # The service worker holds no one's data (the form it keeps is fetched by the trainee's phone).
    Page("/training/sw.js", everyone()),
    Page("/training/entries/new/", expect({"trainee"})),
    # One's own logbook (empty for a supervisor or coordinator who logs nothing).
    Page("/training/logbook.csv", expect(IN_TRAINING)),
    Page("/training/logbook.pdf", expect(IN_TRAINING)),
    Page("/training/entries/{entry}/", on_the_entry),
    Page("/training/queue/", expect(IN_TRAINING)),
    Page("/training/enrolments/new/", expect(COORDINATORS)),
    Page("/training/enrolments/{enrolment}/progress/", on_the_entry),
    Page("/training/enrolments/{enrolment}/autonomy/", on_the_entry),
    # The MOI programme: its coordinator edits it; KCMC's does not know it exists.
    Page("/training/programmes/{programme}/", expect({"coordinator"}, outsider_coordinator=404)),
    Page("/training/programmes/{programme}/trainees/", expect({"coordinator"}, outsider_coordinator=404)),
]

OF_THE_PROGRAMME = expect({"coordinator"}, outsider_coordinator=404)
CURRICULUM_PAGES = [
    "/training/programmes/{programme}/edit/",
    "/training/programmes/{programme}/stages/new/",
    "/training/programmes/{programme}/stages/{stage}/",
    "/training/programmes/{programme}/competencies/new/",
    "/training/programmes/{programme}/competencies/{competency}/",
]
PAGES += [Page(url, OF_THE_PROGRAMME) for url in CURRICULUM_PAGES]
PAGES += [Page(url, expect(COORDINATORS)) for url in ("/training/programmes/new/", "/training/groups/new/")]
PAGES += [Page("/training/groups/{group}/", expect(COORDINATORS))]

CHANGES = [
    *(Change(url, OF_THE_PROGRAMME, curriculum, {"name_en": "Changed"}) for url in CURRICULUM_PAGES),
    Change("/training/programmes/new/", expect(COORDINATORS), curriculum, {"code": "x", "name_en": "X"}),
    Change("/training/groups/new/", expect(COORDINATORS), curriculum, {"code": "x", "name_en": "X"}),
    Change("/training/groups/{group}/", expect(COORDINATORS), curriculum, {"name_en": "Changed"}),
    Change("/training/entries/new/", expect({"trainee"}), entries),
    Change(
        "/training/entries/{entry}/validate/",
        expect({"neurosurgeon"}, refused=404, ok=302, trainee=403, coordinator=403),
        entries,
        {"decision": "confirm"},
    ),
    # Only the trainee corrects their own entry; the supervisor and coordinator read it (403).
    Change(
        "/training/entries/{entry}/correct/",
        expect({"trainee"}, refused=404, ok=302, neurosurgeon=403, coordinator=403),
        entry_contents,
        {
            "enrolment": "{enrolment}",
            "performed_on": "2025-03-01",
            "institution": "{institution}",
            "urgency": "elective",
            "age_band": "0-1",
            "sex": "female",
            "diagnosis": "Corrected: post-haemorrhagic hydrocephalus",
            "procedures": "{procedure}",
            "supervision": "S-TU",
            "supervisor": "{supervisor}",
        },
    ),
    Change(
        "/training/entries/{entry}/answer/",
        expect({"trainee"}, refused=404, ok=302, neurosurgeon=403, coordinator=403),
        entries,
        {"comment": "The trainer was scrubbed."},
    ),
    # Recognised by the home programme's coordinators; the trainee and supervisor see it (403).
    Change(
        "/training/entries/{entry}/recognise/",
        expect({"coordinator"}, refused=404, ok=302, trainee=403, neurosurgeon=403),
        entries,
    ),
    # Everyone in training may post the queue; only one's own pending entries are confirmed.
    Change("/training/queue/", expect(IN_TRAINING, ok=302), entries, {"entries": "{entry}"}),
    Change("/training/enrolments/new/", expect(COORDINATORS), enrolments),
    Change(
        "/training/programmes/{programme}/",
        expect({"coordinator"}, ok=302, outsider_coordinator=404),
        requirements,
        {"group": "", "level": "P", "minimum": 5},
    ),
]

NEW_ENTRY = {
    "enrolment": "{enrolment}",
    "performed_on": "2025-03-01",
    "institution": "MOI",
    "urgency": "elective",
    "age_band": "0-1",
    "sex": "female",
    "diagnosis": "Congenital hydrocephalus",
    "procedures": ["vp-shunt"],
    "supervision": "S-TU",
    "supervisor": 0,
}

STAGE_IN = {"name_en": "Year 3", "name_sw": "Mwaka wa 3", "name_zh_hans": "第三年", "allowed_codes": ["P"]}
COMPETENCY_IN = {"code": "epa-new", "name_en": "X", "name_sw": "X", "name_zh_hans": "X"}

ENDPOINTS = [
    Endpoint("get", "/training/programmes/{programme}/curriculum", OF_THE_PROGRAMME),
    Endpoint("post", "/training/programmes/{programme}/stages", OF_THE_PROGRAMME, curriculum, STAGE_IN),
    Endpoint(
        "put", "/training/programmes/{programme}/stages/{stage}", OF_THE_PROGRAMME, curriculum, STAGE_IN
    ),
    Endpoint(
        "post", "/training/programmes/{programme}/competencies", OF_THE_PROGRAMME, curriculum, COMPETENCY_IN
    ),
    Endpoint(
        "put",
        "/training/programmes/{programme}/competencies/{competency}",
        OF_THE_PROGRAMME,
        curriculum,
        COMPETENCY_IN,
    ),
    Endpoint(
        "put",
        "/training/programmes/{programme}/requirements",
        OF_THE_PROGRAMME,
        requirements,
        {"group": "csf", "level": "P", "minimum": 5},
    ),
    Endpoint("get", "/training/procedures", everyone()),
    Endpoint("get", "/training/entries", expect(IN_TRAINING)),
    Endpoint("get", "/training/queue", expect(IN_TRAINING)),
    Endpoint("get", "/training/entries/export", expect(IN_TRAINING)),
    Endpoint("get", "/training/enrolments/{enrolment}/progress", on_the_entry),
    Endpoint(
        "get", "/training/programmes/{programme}/trainees", expect({"coordinator"}, outsider_coordinator=404)
    ),
    # Another's enrolment is refused by field (422), a role outside training by role (403).
    Endpoint(
        "post",
        "/training/entries",
        expect({"trainee"}, ok=201, neurosurgeon=422, coordinator=422, outsider_coordinator=422),
        entries,
        NEW_ENTRY,
    ),
    Endpoint(
        "post",
        "/training/entries/{entry}/duplicate",
        expect({"trainee"}, refused=404, ok=201, neurosurgeon=403, coordinator=403),
        entries,
        {},
    ),
    Endpoint(
        "put",
        "/training/entries/{entry}",
        expect({"trainee"}, refused=404, neurosurgeon=403, coordinator=403),
        entry_contents,
        NEW_ENTRY | {"diagnosis": "Corrected: post-haemorrhagic hydrocephalus", "note": ""},
    ),
    Endpoint(
        "post",
        "/training/entries/{entry}/recognition",
        expect({"coordinator"}, refused=404, trainee=403, neurosurgeon=403),
        entries,
        {},
    ),
    Endpoint(
        "post",
        "/training/entries/{entry}/validation",
        expect({"neurosurgeon"}, refused=404, trainee=403, coordinator=403),
        entries,
        {"decision": "confirm"},
    ),
]

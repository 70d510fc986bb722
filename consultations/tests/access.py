"""Consultations' pages, state changes and API in the project's access matrix
(neurodaraja/tests/test_access_matrix.py). A case is seen by its referring team (the referrer and
SRRH's coordinator) and its assigned consultant; to anyone else it does not exist (404). Those
who see it but whose role may not do something get 403. A conference is seen by the coordinators
of the institution that organises it and by those invited; only the former change it."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from django.utils import timezone

from consultations import actions
from consultations.access import case_access
from consultations.actions import conferences
from consultations.actions.drafting import identifier_findings
from consultations.models import Case, Conference, OnCallShift
from neurodaraja.testing.access import Change, Endpoint, Ids, Page, everyone, expect
from neurodaraja.testing.api_clients import bearer_client
from neurodaraja.testing.cases import IDENTITY, TRAUMA, answered, assigned_to_china, case_for
from neurodaraja.testing.pdf import minimal_pdf
from neurodaraja.testing.personas import Personas

TEAM = {"referrer", "coordinator"}  # the referring team at SRRH
ON_THE_CASE = TEAM | {"consultant_china"}  # the assigned consultant too
# The trainee at MOI is invited to the meeting that lists {case}: she reads it as a consultant
# abroad does (no identity) and changes nothing.
READS_IT = ON_THE_CASE | {"trainee"}
REFERRERS = {"referrer", "outsider"}
COORDINATORS = {"coordinator", "outsider_coordinator"}
# The on-call roster: consultants keep their shifts, coordinators and the administrator read it.
ROSTER = {"admin", "neurosurgeon", "consultant_china"} | COORDINATORS


# SRRH's meeting with a case on its agenda: SRRH's coordinator organises it, the consultant in
# China and the trainee at MOI are invited.
INVITED = {"consultant_china", "trainee"}


def on_the_case(*allowed: str, ok: int = 200) -> dict[str, int]:
    """`ok` for `allowed`; 403 for the others who read the case; 404 for everyone else."""
    return expect(allowed, refused=404, ok=ok) | dict.fromkeys(READS_IT - set(allowed), 403)


def organises(ok: int = 200) -> dict[str, int]:
    """`ok` for the meeting's organiser; 403 for those invited; 404 for everyone else."""
    return expect({"coordinator"}, refused=404, ok=ok) | dict.fromkeys(INVITED, 403)


def objects(cast: Personas) -> Ids:
    case = assigned_to_china(cast, partial(case_for, cast))
    attachment = actions.add_attachment(
        case_access(cast.referrer, case),
        cast.referrer,
        name="report.pdf",
        content=minimal_pdf(),
        description="CT report",
    )
    advised = answered(cast, partial(case_for, cast))
    starts = (timezone.now() + timedelta(days=30)).replace(microsecond=0)
    coordinator = bearer_client(cast.coordinator)
    conference = coordinator.post(
        "/api/v1/conferences",
        {"title": "Monthly neurotrauma meeting", "institution": "SRRH", "starts_at": starts.isoformat()},
        content_type="application/json",
    ).json()
    shift = (
        bearer_client(cast.consultant_china)
        .post(
            "/api/v1/on-call/shifts",
            {"starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=8)).isoformat()},
            content_type="application/json",
        )
        .json()
    )
    meeting = conferences.schedule(
        cast.coordinator,
        institution=cast.institutions["SRRH"],
        title="Neurotrauma case review",
        starts_at=starts,
        duration_minutes=60,
        video_link="",
    )
    conferences.invite(cast.coordinator, meeting, [cast.consultant_china, cast.trainee])
    item = conferences.add_case(cast.coordinator, meeting, case)
    # A draft whose history names the patient: the referring team may confirm the finding.
    named = case_for(cast, clinical={"history": "Amina fell from a motorcycle."})
    return {
        "case": case.code,
        "advised": advised.code,
        "attachment": attachment.pk,
        "conference": conference["id"],
        "shift": shift["id"],
        "meeting": meeting.pk,
        "item": item.pk,
        "named": named.code,
        "finding": identifier_findings(named)[0].key,
        "trainee": cast.trainee.pk,
        "organiser": cast.coordinator.pk,
        "outsider": cast.outsider.pk,
        "srrh": cast.institutions["SRRH"].pk,
    }


def case_unchanged(cast: Personas, ids: Ids) -> tuple[object, ...]:
    case = Case.objects.get(code=ids["case"])
    return (
        case.status,
        case.messages.count(),
        case.attachments.count(),
        list(case.assignments.values_list("consultant_id", "ended_at")),
        case.opinions.count(),
        case.confirmed_identifier_keys,
    )


def attachments_unchanged(cast: Personas, ids: Ids) -> list[int]:
    return list(Case.objects.get(code=ids["case"]).attachments.order_by("pk").values_list("pk", flat=True))


def named_unchanged(cast: Personas, ids: Ids) -> list[str]:
    return Case.objects.get(code=ids["named"]).confirmed_identifier_keys


def meeting_unchanged(cast: Personas, ids: Ids) -> tuple[object, ...]:
    meeting = Conference.objects.get(pk=ids["meeting"])
    return (
        Conference.objects.count(),
        list(meeting.items.order_by("pk").values_list("case_id", "summary")),
        list(meeting.participants.order_by("pk").values_list("person_id", "attended")),
    )


def nothing_new(cast: Personas, ids: Ids) -> tuple[int, int]:
    return Case.objects.count(), OnCallShift.objects.count()


def shifts_unchanged(cast: Personas, ids: Ids) -> list[tuple[object, ...]]:
    return list(OnCallShift.objects.order_by("pk").values_list("pk", "consultant_id", "starts_at", "ends_at"))


PAGES = [
    Page("/consultations/", everyone()),
    Page("/consultations/new/", expect(REFERRERS)),
    Page("/consultations/board/", expect(COORDINATORS)),
    Page("/consultations/on-call/", expect(ROSTER)),
    # A shift is kept by its consultant and the coordinators of the consultant's institution
    # (Qilu has none in the cast); to anyone else it does not exist.
    Page("/consultations/on-call/{shift}/edit/", expect({"consultant_china"}, refused=404)),
    Page("/consultations/on-call/{shift}/remove/", expect({"consultant_china"}, refused=404)),
    Page("/conferences/", everyone()),
    Page("/conferences/new/", expect(COORDINATORS)),
    Page("/consultations/{case}/", on_the_case(*READS_IT)),
    Page("/consultations/{case}/edit/", on_the_case(*TEAM, ok=302)),
    Page("/consultations/{case}/consent/", on_the_case(*TEAM)),
    Page("/consultations/{case}/opinion/", on_the_case("consultant_china")),
    Page("/consultations/{case}/outcome/", on_the_case(*TEAM)),
    # The trainee reads the case as one invited to its conference: its documents are not known to
    # be free of names, so they stay with the case's team (CaseAccess.may_open_attachments).
    Page("/consultations/{case}/files/{attachment}/", on_the_case(*READS_IT) | {"trainee": 404}),
    Page(
        "/consultations/{advised}/letter.pdf", on_the_case(*ON_THE_CASE) | {"trainee": 404}
    ),  # on no meeting of hers
    Page("/consultations/{case}/fhir.json", on_the_case(*READS_IT)),
    # SRRH's conference, nobody invited yet: its organiser alone knows of it.
    Page("/conferences/{conference}/", expect({"coordinator"}, refused=404)),
    Page("/conferences/{meeting}/", expect({"coordinator", *INVITED}, refused=404)),
    # Withdrawing an invitation asks first: the question is the organiser's alone.
    Page("/conferences/{meeting}/participants/{trainee}/withdraw/", organises()),
    # Someone not invited has no invitation to withdraw, even for the organiser.
    Page(
        "/conferences/{meeting}/participants/{outsider}/withdraw/",
        expect(set(), refused=404) | dict.fromkeys(INVITED, 403),
    ),
    # The organiser stays invited: she is sent back to the conference, told why, not asked.
    Page("/conferences/{meeting}/participants/{organiser}/withdraw/", organises(ok=302)),
    # Taking a case off the list asks first, the organiser alone.
    Page("/conferences/{meeting}/cases/{item}/remove/", organises()),
    # A case on another conference's list is not on this one, even for the organiser.
    Page("/conferences/{conference}/cases/{item}/remove/", expect(set(), refused=404)),
]

CHANGES = [
    # The pages that make something: drafting, a shift, a conference.
    Change("/consultations/new/", expect(REFERRERS, ok=302), nothing_new, {"category": "trauma"}),
    # MOI's coordinator keeps the neurosurgeon's shifts: a shift that names no consultant is 400.
    Change(
        "/consultations/on-call/",
        expect({"neurosurgeon", "consultant_china"}, ok=302, coordinator=400),
        nothing_new,
        {"starts_at": "2030-01-07 09:00", "ends_at": "2030-01-07 17:00"},
    ),
    # KCMC's coordinator may schedule, but only for KCMC: SRRH is no choice of theirs (400).
    Change(
        "/conferences/new/",
        expect({"coordinator"}, ok=302, outsider_coordinator=400),
        meeting_unchanged,
        {
            "title": "Another meeting",
            "institution": "{srrh}",
            "starts_at": "2030-01-07 09:00",
            "duration_minutes": 60,
        },
    ),
    Change("/consultations/{case}/acknowledge/", on_the_case("consultant_china"), case_unchanged),
    Change("/consultations/{case}/assign/", on_the_case("coordinator"), case_unchanged),
    Change("/consultations/{case}/close/", on_the_case("coordinator"), case_unchanged, {"reason": "x"}),
    Change("/consultations/{case}/messages/", on_the_case(*ON_THE_CASE), case_unchanged, {"body": "x"}),
    Change("/consultations/{case}/send/", on_the_case(*TEAM), case_unchanged),
    Change("/consultations/{case}/attach/", on_the_case(*TEAM), case_unchanged),
    Change("/consultations/{case}/edit/", on_the_case(*TEAM), case_unchanged),
    Change(
        "/consultations/on-call/{shift}/edit/",
        expect({"consultant_china"}, refused=404),
        shifts_unchanged,
        {"starts_at": "2030-01-07 09:00", "ends_at": "2030-01-07 17:00"},
    ),
    Change(
        "/consultations/on-call/{shift}/remove/",
        expect({"consultant_china"}, refused=404),
        shifts_unchanged,
        {"confirm": "yes"},
    ),
    Change("/conferences/{meeting}/cases/", organises(ok=302), meeting_unchanged, {"case": "{advised}"}),
    Change(
        "/conferences/{meeting}/invite/", organises(ok=302), meeting_unchanged, {"people": ["{outsider}"]}
    ),
    Change(
        "/conferences/{meeting}/participants/{trainee}/withdraw/",
        organises(ok=302),
        meeting_unchanged,
        {"confirm": "yes"},
    ),
    Change(
        "/conferences/{meeting}/cases/{item}/remove/",
        organises(ok=302),
        meeting_unchanged,
        {"confirm": "yes"},
    ),
    Change(
        "/conferences/{meeting}/attendance/", organises(ok=302), meeting_unchanged, {"present": ["{trainee}"]}
    ),
    Change(
        "/conferences/{meeting}/cases/{item}/summary/",
        organises(ok=302),
        meeting_unchanged,
        {"summary": "Transfer for evacuation"},
    ),
]

ENDPOINTS = [
    Endpoint("get", "/cases", everyone()),
    # Drafting needs a referrer's role; nothing is made for anyone else.
    Endpoint(
        "post",
        "/cases",
        expect(REFERRERS, ok=201),
        nothing_new,
        {"category": "trauma", "clinical": TRAUMA, "identity": IDENTITY},
    ),
    Endpoint("get", "/cases/{case}", on_the_case(*READS_IT)),
    Endpoint("get", "/cases/{case}/messages", on_the_case(*READS_IT)),
    Endpoint("get", "/cases/{case}/attachments", on_the_case(*READS_IT)),
    Endpoint("get", "/cases/{case}/attachments/{attachment}", on_the_case(*READS_IT) | {"trainee": 404}),
    # A multipart upload: the referring team attaches (a file not yet on the case: the report
    # already attached would be a 409 duplicate); the consultant may not (403).
    Endpoint(
        "post",
        "/cases/{case}/attachments",
        on_the_case(*TEAM, ok=201),
        attachments_unchanged,
        {"description": "Discharge summary", "checked": "true"},
        files={"file": ("discharge.pdf", minimal_pdf(text="Discharge summary"), "application/pdf")},
    ),
    Endpoint("get", "/cases/{case}/fhir", on_the_case(*READS_IT)),
    Endpoint(
        "get", "/cases/{advised}/letter", on_the_case(*ON_THE_CASE) | {"trainee": 404}
    ),  # on no meeting of hers
    Endpoint("get", "/cases/{case}/identifiers", on_the_case(*TEAM)),
    Endpoint("post", "/cases/{case}/identifiers/confirm", on_the_case(*TEAM), case_unchanged, {"keys": []}),
    # A draft is its referring team's alone: the consultant does not see it yet.
    Endpoint(
        "post",
        "/cases/{named}/identifiers/confirm",
        expect(TEAM, refused=404),
        named_unchanged,
        {"keys": ["{finding}"]},
    ),
    Endpoint("post", "/cases/{case}/acknowledge", on_the_case("consultant_china"), case_unchanged),
    Endpoint(
        "post", "/cases/{case}/assign", on_the_case("coordinator"), case_unchanged, {"consultant_id": 1}
    ),
    Endpoint("post", "/cases/{case}/close", on_the_case("coordinator"), case_unchanged, {"reason": "x"}),
    Endpoint(
        "post", "/cases/{case}/messages", on_the_case(*ON_THE_CASE, ok=201), case_unchanged, {"body": "x"}
    ),
    Endpoint("post", "/cases/{case}/submit", on_the_case(*TEAM), case_unchanged),
    Endpoint(
        "post",
        "/cases/{case}/opinions",
        on_the_case("consultant_china", ok=201),
        case_unchanged,
        {"impression": "EDH", "recommendation": "transfer", "confidence": "high"},
    ),
    Endpoint("patch", "/cases/{case}", on_the_case(*TEAM), case_unchanged, {"clinical": {"history": "x"}}),
    Endpoint(
        "put",
        "/cases/{case}/consent",
        on_the_case(*TEAM),
        case_unchanged,
        {"given_by": "patient", "method": "verbal", "countries": ["TZ"]},
    ),
    Endpoint(
        "put",
        "/cases/{case}/outcome",
        on_the_case(*TEAM),
        case_unchanged,
        {"management": "conservative", "discharge_status": "home"},
    ),
    Endpoint("get", "/conferences", everyone()),
    Endpoint("get", "/conferences/{conference}", expect({"coordinator"}, refused=404)),
    Endpoint("get", "/conferences/{meeting}", expect({"coordinator", *INVITED}, refused=404)),
    # Only a coordinator of SRRH schedules SRRH's conferences; KCMC's knows SRRH but not as its own.
    Endpoint(
        "post",
        "/conferences",
        expect({"coordinator"}, ok=201),
        meeting_unchanged,
        {"title": "Another meeting", "institution": "SRRH", "starts_at": "2030-01-07T09:00:00Z"},
    ),
    Endpoint("post", "/conferences/{meeting}/cases", organises(), meeting_unchanged, {"case": "{advised}"}),
    Endpoint(
        "post",
        "/conferences/{meeting}/participants",
        organises(),
        meeting_unchanged,
        {"people": ["{outsider}"]},
    ),
    Endpoint("delete", "/conferences/{meeting}/participants/{trainee}", organises(), meeting_unchanged),
    # The organiser stays invited to her own conference (409, and nothing changes).
    Endpoint(
        "delete", "/conferences/{meeting}/participants/{organiser}", organises(ok=409), meeting_unchanged
    ),
    Endpoint("delete", "/conferences/{meeting}/cases/{item}", organises(), meeting_unchanged),
    Endpoint(
        "delete", "/conferences/{conference}/cases/{item}", expect(set(), refused=404), meeting_unchanged
    ),
    Endpoint(
        "put", "/conferences/{meeting}/attendance", organises(), meeting_unchanged, {"people": ["{trainee}"]}
    ),
    Endpoint(
        "put",
        "/conferences/{meeting}/cases/{item}/summary",
        organises(),
        meeting_unchanged,
        {"summary": "Transfer for evacuation"},
    ),
    # The roster the on-call page shows: its readers get it, anyone else 403 (as on the page).
    Endpoint("get", "/on-call/shifts", expect(ROSTER)),
    # Only consultants keep a roster.
    Endpoint(
        "post",
        "/on-call/shifts",
        expect({"neurosurgeon", "consultant_china"}, ok=201),
        nothing_new,
        {"starts_at": "2030-01-07T09:00:00Z", "ends_at": "2030-01-07T17:00:00Z"},
    ),
    Endpoint(
        "delete", "/on-call/shifts/{shift}", expect({"consultant_china"}, refused=404, ok=204), case_unchanged
    ),
]

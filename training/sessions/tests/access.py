"""Training sessions in the project's access matrix: everyone with a role at a partner
institution sees the sessions and may register; the coordinators of the organising institution
(MOI) manage them and are the only ones who record attendance; they and the trainers read the
attendance list; feedback is given by those who attended and the follow-up answered by the supervisor it was sent to (anyone else: 404)."""

from __future__ import annotations

from neurodaraja.testing.access import Change, Endpoint, Ids, Page, everyone, expect
from neurodaraja.testing.personas import Personas
from training.sessions.models import Feedback, FollowUp, Registration, Session
from training.sessions.tests.world import sessions_world

COORDINATORS = {"coordinator", "outsider_coordinator"}
ORGANISERS = {"coordinator", "consultant_china"}  # MOI's coordinator and the session's trainer


def objects(cast: Personas) -> Ids:
    world = sessions_world(cast)
    return {
        "session": world.upcoming.pk,
        "held": world.held.pk,
        "follow_up": world.follow_up.pk,
        "code": world.running.check_in_code,
        "walker": cast.referrer.pk,  # not on the held session's list: a walk-in there
    }


def sessions(cast: Personas, ids: Ids) -> list[tuple[object, ...]]:
    return list(Session.objects.values_list("pk", "title", "status", "capacity").order_by("pk"))


def registrations(cast: Personas, ids: Ids) -> list[tuple[object, ...]]:
    return list(Registration.objects.values_list("pk", "status", "position", "attended").order_by("pk"))


def feedback(cast: Personas, ids: Ids) -> list[tuple[object, ...]]:
    return list(Feedback.objects.values_list("pk", "relevance").order_by("pk"))


def follow_ups(cast: Personas, ids: Ids) -> list[tuple[object, ...]]:
    return list(FollowUp.objects.values_list("pk", "practice_changed", "answered_at").order_by("pk"))


NEW_SESSION = {
    "title": "Shunt workshop",
    "language": "en",
    "kind": "workshop",
    "institution": "",
    "starts_at": "2030-03-01T09:00",
    "ends_at": "2030-03-01T12:00",
    "venue": "MOI",
    "capacity": 10,
}
RATINGS = {"relevance": 5, "teaching": 4, "practical": 4, "organisation": 3}
manager = expect({"coordinator"})  # KCMC's coordinator sees the MOI session but does not manage it

PAGES = [
    Page("/training/sessions/", everyone()),
    Page("/training/sessions/new/", expect(COORDINATORS)),
    Page("/training/sessions/check-in/", everyone()),
    Page("/training/sessions/{session}/", everyone()),
    Page("/training/sessions/{session}/edit/", manager),
    Page("/training/sessions/{session}/attendance/", expect(ORGANISERS)),
    Page("/training/sessions/{held}/attendance/?q=Neema", expect(ORGANISERS)),
    Page("/training/sessions/{held}/feedback/", expect({"trainee"})),
    Page("/training/sessions/follow-up/{follow_up}/", expect({"neurosurgeon"}, refused=404)),
]

CHANGES = [
    Change("/training/sessions/new/", expect(COORDINATORS), sessions, NEW_SESSION),
    Change("/training/sessions/{session}/edit/", expect({"coordinator"}, ok=302), sessions, NEW_SESSION),
    Change("/training/sessions/{session}/cancel/", expect({"coordinator"}, ok=302), sessions),
    # Anyone may register or cancel their own place; the result is told on the session's page.
    Change("/training/sessions/{session}/register/", everyone(302), registrations, {"cadre": "nurse"}),
    Change("/training/sessions/{session}/unregister/", everyone(302), registrations),
    # The trainer (the consultant in China) reads the list but is refused marking it (403).
    Change(
        "/training/sessions/{held}/attendance/",
        expect({"coordinator"}, ok=302),
        registrations,
        {"attended": []},
    ),
    # A walk-in: recorded by the coordinator of the organising institution only.
    Change(
        "/training/sessions/{held}/walk-in/",
        expect({"coordinator"}, ok=302),
        registrations,
        {"person": "{walker}", "cadre": "medical-officer", "q": "Neema"},
    ),
    Change("/training/sessions/check-in/", everyone(), registrations, {"code": "WRONG1"}),
    Change("/training/sessions/{held}/feedback/", expect({"trainee"}, ok=302), feedback, RATINGS),
    Change(
        "/training/sessions/follow-up/{follow_up}/",
        expect({"neurosurgeon"}, refused=404, ok=302),
        follow_ups,
        {"practice_changed": "yes"},
    ),
]

API_SESSION = NEW_SESSION | {
    "institution": "MOI",
    "starts_at": "2030-03-01T09:00:00+03:00",
    "ends_at": "2030-03-01T12:00:00+03:00",
}

ENDPOINTS = [
    Endpoint("get", "/training/sessions", everyone()),
    Endpoint("get", "/training/held-sessions", everyone()),
    Endpoint("post", "/training/sessions", expect({"coordinator"}, ok=201), sessions, API_SESSION),
    Endpoint("get", "/training/sessions/{session}", everyone()),
    Endpoint("put", "/training/sessions/{session}", manager, sessions, API_SESSION),
    Endpoint("post", "/training/sessions/{session}/cancel", manager, sessions, {}),
    # The trainee already has a place: told so (409), nothing changes.
    Endpoint(
        "post",
        "/training/sessions/{session}/registration",
        expect(set(everyone()) - {"trainee"}, ok=201, refused=409),
        registrations,
        {"cadre": "nurse"},
    ),
    # Only the trainee has a place to give up; the others are told they have none (409).
    Endpoint(
        "delete",
        "/training/sessions/{session}/registration",
        expect({"trainee"}, refused=409),
        registrations,
    ),
    Endpoint("get", "/training/sessions/{session}/attendance", expect(ORGANISERS)),
    Endpoint("put", "/training/sessions/{held}/attendance", manager, registrations, {"attended": []}),
    Endpoint("get", "/training/sessions/{held}/walk-in-candidates", manager),
    Endpoint("get", "/training/sessions/{held}/evaluation", expect(ORGANISERS)),
    Endpoint(
        "post",
        "/training/sessions/{held}/walk-ins",
        expect({"coordinator"}, ok=201),
        registrations,
        {"person": "{walker}", "cadre": "medical-officer"},
    ),
    # The code of the session under way: the trainee has a place there, the others are told
    # they have none (409) and nothing changes.
    Endpoint(
        "post",
        "/training/sessions/check-in",
        expect({"trainee"}, refused=409),
        registrations,
        {"code": "{code}"},
    ),
    Endpoint("post", "/training/sessions/{held}/feedback", expect({"trainee"}, ok=201), feedback, RATINGS),
    Endpoint(
        "post",
        "/training/sessions/follow-ups/{follow_up}",
        expect({"neurosurgeon"}, refused=404),
        follow_ups,
        {"practice_changed": "yes"},
    ),
]

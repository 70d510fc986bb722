"""The sessions world the tests share, built through the real actions: a workshop at MOI coming
up (taught by the consultant in China, the trainee registered) and a lecture held yesterday that
the trainee attended, whose follow-up question went to the trainee's supervisor, and one under way
where the trainee has a place."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from accounts.models import User
from neurodaraja.testing.personas import Personas
from training.models import Enrolment
from training.sessions import actions
from training.sessions.models import FollowUp, Registration, Session
from training.tests.world import training_world


@dataclass
class SessionsWorld:
    upcoming: Session
    held: Session
    attended: Registration
    follow_up: FollowUp
    running: Session  # started ten minutes ago, the trainee has a place: its code works now


def session_data(cast: Personas, **changes: Any) -> actions.SessionData:
    start: datetime = changes.pop("starts_at", timezone.now() + timedelta(days=7))
    fields: dict[str, Any] = {
        "title": "Burr holes workshop",
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "institution": cast.institutions["MOI"],
        "capacity": 5,
        "venue": "MOI skills laboratory",
        "trainers": [cast.consultant_china],
    }
    return actions.SessionData(**(fields | changes))


def planned(cast: Personas, **changes: Any) -> Session:
    return actions.create_session(cast.coordinator, session_data(cast, **changes))


def move_back(session: Session, days: float = 1) -> Session:
    """A session registered for in advance that has now taken place (tests only)."""
    length = session.ends_at - session.starts_at
    start = timezone.now() - timedelta(days=days)
    Session.objects.filter(pk=session.pk).update(starts_at=start, ends_at=start + length)
    session.refresh_from_db()
    return session


def running(cast: Personas, person: User) -> Session:
    """A session under way (started ten minutes ago) where `person` has a place."""
    session = planned(cast, title="Shunt workshop")
    actions.register(person, session, "resident")
    start = timezone.now() - timedelta(minutes=10)
    Session.objects.filter(pk=session.pk).update(starts_at=start, ends_at=start + timedelta(hours=2))
    session.refresh_from_db()
    return session


def attended(cast: Personas, person: User, cadre: str = "resident") -> Registration:
    session = planned(cast, title="Raised ICP lecture")
    registration = actions.register(person, session, cadre)
    move_back(session)
    actions.take_attendance(cast.coordinator, session, {registration.pk})
    registration.refresh_from_db()
    return registration


def sessions_world(cast: Personas) -> SessionsWorld:
    # The trainee's enrolment names the MOI neurosurgeon as supervisor; training's world may be
    # built already (the access matrix builds every app's objects in one database).
    if not Enrolment.objects.filter(trainee=cast.trainee, programme__code="mmed").exists():
        training_world(cast)
    upcoming = planned(cast)
    actions.register(cast.trainee, upcoming, "resident")
    registration = attended(cast, cast.trainee)
    actions.ask_follow_ups(timezone.now() + actions.follow_up_after() + timedelta(days=2))
    follow_up = FollowUp.objects.get(registration=registration)
    return SessionsWorld(upcoming, registration.session, registration, follow_up, running(cast, cast.trainee))


def others_answer(cast, session, people=("referrer", "researcher")):
    """More participants (walk-ins) give their feedback: practical 4 each, no comment."""
    for name in people:
        person = getattr(cast, name)
        actions.add_walk_in(cast.coordinator, session, person, "medical-officer")
        actions.give_feedback(
            person, session, {"relevance": 4, "teaching": 4, "practical": 4, "organisation": 4}
        )

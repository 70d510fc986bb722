"""Demonstration data for training sessions: a workshop and a lecture already held at MOI (with
attendance, feedback and the supervisor's follow-up question), and two coming up, one of them full with a waiting list. Every session
says it is synthetic. Each is held in working hours at the organising hospital (MOI, in Dar es
Salaam's zone) on a weekday, whenever the demo is loaded; times are kept in UTC and every reader
sees them in their own zone. Loaded once; running it again changes nothing."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_DOMAIN
from accounts.models import Institution, User
from training.sessions import actions
from training.sessions.models import Session

SYNTHETIC = "Synthetic demonstration session."

# (title, language, kind, days from today, local start, hours, capacity, audience, video link, trainers)
SESSIONS = [
    (
        "Burr holes and trauma craniotomy: hands-on workshop",
        "en",
        "workshop",
        -60,
        time(8, 30),
        6,
        12,
        [],
        "",
        ["consultant.qilu", "neurosurgeon"],
    ),
    (
        "Huduma ya awali ya majeraha ya kichwa",
        "sw",
        "lecture",
        -20,
        time(14, 0),
        2,
        40,
        ["nurse", "clinical-officer", "medical-officer"],
        "https://meet.example.org/demo-tbi",
        ["neurosurgeon"],
    ),
    (
        "脑积水分流术 / Shunt surgery for hydrocephalus",
        "zh-hans",
        "course",
        14,
        time(9, 0),
        4,
        2,
        ["neurosurgeon", "resident"],
        "https://meet.example.org/demo-shunt",
        ["consultant.xuanwu"],
    ),
    (
        "Neuro-ICU nursing: monitoring after a craniotomy",
        "en",
        "workshop",
        30,
        time(10, 0),
        3,
        25,
        [],
        "",
        ["neurosurgeon"],
    ),
]


def _weekday(day: date, *, later: bool) -> date:
    """A working day: a Saturday or Sunday moves to the Monday after (a session coming up) or
    the Friday before (one held)."""
    while day.weekday() >= 5:
        day += timedelta(days=1 if later else -1)
    return day


def _at(today: date, days: int, clock: time, zone: ZoneInfo) -> datetime:
    day = _weekday(today + timedelta(days=days), later=days > 0)
    return datetime.combine(day, clock, tzinfo=zone)


def _person(name: str) -> User:
    return User.objects.get(email=f"{name}@{DEMO_DOMAIN}")


def load_demo() -> str:
    if Session.objects.filter(description__startswith=SYNTHETIC).exists():
        return "Demo training sessions already loaded."
    coordinator = _person("coordinator")
    trainee, neurosurgeon, referrer = _person("trainee"), _person("neurosurgeon"), _person("referrer")
    moi = Institution.objects.get(short_code="MOI")
    zone = ZoneInfo(moi.time_zone)
    today = timezone.localtime(timezone.now(), zone).date()
    with transaction.atomic():
        made = []
        for title, language, kind, days, clock, hours, capacity, audience, link, trainers in SESSIONS:
            # Planned in the future first, so that people can register through the real action.
            start = _at(today, max(days, 1), clock, zone)
            made.append(
                (
                    (days, clock),
                    actions.create_session(
                        coordinator,
                        actions.SessionData(
                            title=title,
                            starts_at=start,
                            ends_at=start + timedelta(hours=hours),
                            institution=moi,
                            capacity=capacity,
                            language=language,
                            kind=kind,
                            description=SYNTHETIC,
                            venue="" if link else "MOI skills laboratory",
                            video_link=link,
                            audience=audience,
                            trainers=[_person(name) for name in trainers],
                        ),
                    ),
                )
            )
        workshop, lecture, course, _nursing = (session for _when, session in made)
        actions.register(trainee, workshop, "resident")
        actions.register(referrer, workshop, "medical-officer")
        # A third participant, so that the workshop's feedback is shown (from 3 answers, unnamed).
        actions.register(_person("referrer.kcmc"), workshop, "medical-officer")
        actions.register(referrer, lecture, "medical-officer")
        actions.register(trainee, course, "resident")
        actions.register(neurosurgeon, course, "neurosurgeon")
        actions.register(_person("consultant.qilu"), course, "neurosurgeon")  # full: the waiting list
        for (days, clock), session in made:
            if days < 0:  # held: moved back to when it took place
                length = session.ends_at - session.starts_at
                start = _at(today, days, clock, zone)
                Session.objects.filter(pk=session.pk).update(starts_at=start, ends_at=start + length)
                session.refresh_from_db()
                ids = set(session.registrations.values_list("pk", flat=True))
                actions.take_attendance(coordinator, session, ids)
        actions.give_feedback(
            trainee, workshop, {"relevance": 5, "teaching": 5, "practical": 4, "organisation": 4}, SYNTHETIC
        )
        actions.give_feedback(
            referrer, workshop, {"relevance": 5, "teaching": 4, "practical": 5, "organisation": 3}, SYNTHETIC
        )
        actions.give_feedback(
            _person("referrer.kcmc"),
            workshop,
            {"relevance": 4, "teaching": 5, "practical": 3, "organisation": 4},
            SYNTHETIC,
        )
        actions.give_feedback(
            referrer, lecture, {"relevance": 5, "teaching": 4, "practical": 5, "organisation": 3}, SYNTHETIC
        )
        # The workshop two months ago: the trainee's supervisor is asked whether practice changed.
        asked = actions.ask_follow_ups()
    return (
        f"{len(SESSIONS)} synthetic training sessions created (2 held, 2 coming up; {asked} follow-up asked)."
    )

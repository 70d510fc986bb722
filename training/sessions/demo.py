"""Demonstration data for training sessions: a workshop and a lecture already held at MOI (with
attendance, feedback and the supervisor's follow-up question), and two coming up, one of them full with a waiting list. Every session
says it is synthetic. Loaded once; running it again changes nothing."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_DOMAIN
from accounts.models import Institution, User
from training.sessions import actions
from training.sessions.models import Session

SYNTHETIC = "Synthetic demonstration session."

# (title, language, kind, days from now, hours, capacity, audience, video link, trainers)
SESSIONS = [
    (
        "Burr holes and trauma craniotomy: hands-on workshop",
        "en",
        "workshop",
        -60,
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
        3,
        25,
        [],
        "",
        ["neurosurgeon"],
    ),
]


def _person(name: str) -> User:
    return User.objects.get(email=f"{name}@{DEMO_DOMAIN}")


def load_demo() -> str:
    if Session.objects.filter(description__startswith=SYNTHETIC).exists():
        return "Demo training sessions already loaded."
    coordinator = _person("coordinator")
    trainee, neurosurgeon, referrer = _person("trainee"), _person("neurosurgeon"), _person("referrer")
    moi = Institution.objects.get(short_code="MOI")
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        made = []
        for title, language, kind, days, hours, capacity, audience, link, trainers in SESSIONS:
            # Planned in the future first, so that people can register through the real action.
            start = now + timedelta(days=max(days, 1), hours=2)
            made.append(
                (
                    days,
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
        workshop, lecture, course, _nursing = (session for _days, session in made)
        actions.register(trainee, workshop, "resident")
        actions.register(referrer, workshop, "medical-officer")
        actions.register(referrer, lecture, "medical-officer")
        actions.register(trainee, course, "resident")
        actions.register(neurosurgeon, course, "neurosurgeon")
        actions.register(_person("consultant.qilu"), course, "neurosurgeon")  # full: the waiting list
        for days, session in made:
            if days < 0:  # held: moved back to when it took place
                length = session.ends_at - session.starts_at
                start = now + timedelta(days=days, hours=-6)
                Session.objects.filter(pk=session.pk).update(starts_at=start, ends_at=start + length)
                session.refresh_from_db()
                ids = set(session.registrations.values_list("pk", flat=True))
                actions.take_attendance(coordinator, session, ids)
        actions.give_feedback(
            trainee, workshop, {"relevance": 5, "teaching": 5, "practical": 4, "organisation": 4}, SYNTHETIC
        )
        actions.give_feedback(
            referrer, lecture, {"relevance": 5, "teaching": 4, "practical": 5, "organisation": 3}, SYNTHETIC
        )
        # The workshop two months ago: the trainee's supervisor is asked whether practice changed.
        asked = actions.ask_follow_ups()
    return (
        f"{len(SESSIONS)} synthetic training sessions created (2 held, 2 coming up; {asked} follow-up asked)."
    )

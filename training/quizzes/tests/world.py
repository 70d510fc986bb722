"""The quizzes world the tests share: a workshop organised at MOI by the cast's coordinator, taught
by the MOI neurosurgeon, with the trainee registered; a small bank imported through the real GIFT
import (English, then Kiswahili), and the session's pre-test and post-test open now.

The session and its registration are written as rows (the sessions part's own tests prove its
actions); everything of the quizzes goes through training.quizzes.actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from neurodaraja.testing.personas import Personas
from training.quizzes import actions
from training.quizzes.models import Kind, Question, Test
from training.sessions.models import Cadre, Registration, Session, Status

BANK_EN = """\
$CATEGORY: Head injury

::gcs-motor:: Localises to pain: the motor score?{=5 ~6 ~4}

::cushing:: Hypertension, bradycardia, irregular breathing suggest:{=raised ICP ~shock ~%50%herniation}

::lucid:: A lucid interval is classic for an extradural haematoma.{T}
"""

BANK_SW = """\
::gcs-motor:: Anaelekeza mahali pa maumivu: alama ya mwendo?{=5 ~6 ~4}

::lucid:: Kipindi cha fahamu ni dalili ya damu ya extradural.{T}
"""


@dataclass
class World:
    session: Session
    questions: list[Question]
    pre: Test
    post: Test


def make_session(cast: Personas, **changes: object) -> Session:
    now = timezone.now()
    fields: dict[str, object] = {
        "title": "Head injury workshop",
        "starts_at": now - timedelta(hours=1),
        "ends_at": now + timedelta(hours=3),
        "venue": "MOI teaching room",
        "institution": cast.institutions["MOI"],
        "created_by": cast.coordinator,
        "status": Status.PLANNED,
    }
    session = Session.objects.create(**(fields | changes))
    session.trainers.set([cast.neurosurgeon])
    return session


def register(session: Session, *people: User) -> None:
    for person in people:
        Registration.objects.create(session=session, participant=person, cadre=Cadre.RESIDENT)


def import_bank(cast: Personas) -> list[Question]:
    moi = cast.institutions["MOI"]
    actions.import_gift(cast.coordinator, moi, "en", BANK_EN)
    actions.import_gift(cast.coordinator, moi, "sw", BANK_SW)
    return list(Question.objects.order_by("pk").prefetch_related("choices"))


def quiz_world(cast: Personas) -> World:
    session = make_session(cast)
    register(session, cast.trainee)
    questions = import_bank(cast)
    now = timezone.now()
    pre = actions.set_test(
        cast.coordinator, session, Kind.PRE, questions, now - timedelta(hours=1), now + timedelta(hours=1)
    )
    post = actions.set_test(
        cast.coordinator, session, Kind.POST, questions, now - timedelta(hours=1), now + timedelta(hours=4)
    )
    return World(session, questions, pre, post)


def right_answers(questions: list[Question]) -> dict[int, int]:
    return {q.pk: next(c.pk for c in q.choices.all() if c.is_right) for q in questions}


def wrong_answers(questions: list[Question]) -> dict[int, int]:
    return {q.pk: next(c.pk for c in q.choices.all() if c.weight <= 0) for q in questions}

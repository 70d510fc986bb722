"""A session's knowledge gain read from its tests: each participant's pre and post scores (in
percent of their test's maximum, so a pre- and a post-test of different lengths compare), the
raw difference and the normalised gain (lib.knowledge_gain), and the session's means and medians
over the participants who took both."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import User
from lib.knowledge_gain import Gain, Summary, paired, summarise
from training.quizzes.models import Attempt, Kind
from training.sessions.models import Session

PERCENT = 100.0


@dataclass(frozen=True)
class Row:
    participant: User
    pre: float | None
    post: float | None
    gain: Gain[int] | None  # both tests taken


@dataclass(frozen=True)
class Results:
    rows: list[Row]
    summary: Summary


def results(session: Session, only: User | None = None) -> Results:
    """Every participant with an attempt (or only one of them), in name order; the session's
    summary always counts everyone paired."""
    attempts = Attempt.objects.filter(test__session=session).select_related("participant", "test")
    scores: dict[str, dict[int, float]] = {Kind.PRE: {}, Kind.POST: {}}
    people: dict[int, User] = {}
    for attempt in attempts:
        scores[attempt.test.kind][attempt.participant_id] = round(attempt.percent, 1)
        people[attempt.participant_id] = attempt.participant
    gains = paired(scores[Kind.PRE], scores[Kind.POST], PERCENT)
    by_person = {gain.participant: gain for gain in gains}
    shown = sorted(people.values(), key=lambda person: person.full_name)
    if only is not None:
        shown = [person for person in shown if person.pk == only.pk]
    rows = [
        Row(
            person,
            scores[Kind.PRE].get(person.pk),
            scores[Kind.POST].get(person.pk),
            by_person.get(person.pk),
        )
        for person in shown
    ]
    return Results(rows, summarise(gains))

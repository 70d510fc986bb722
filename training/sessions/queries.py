"""Read-only questions about sessions that other parts (the lists, the API, the indicators) ask.

Case conferences held in the consultations module count as training sessions with their
attendance: they are read here, never changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from consultations.models import Conference
from training.sessions.models import Feedback, FollowUp, Registration, RegistrationStatus, Session, Status

RATINGS = ("relevance", "teaching", "practical", "organisation")

SESSION = "session"
CASE_CONFERENCE = "case-conference"


@dataclass(frozen=True)
class HeldSession:
    kind: str  # SESSION or CASE_CONFERENCE
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    institution_id: int
    attended: int


def attendees(session: Session) -> QuerySet[Registration]:
    return session.registrations.filter(attended=True).select_related("participant")


def held_sessions(
    *,
    institutions: Iterable[int] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    sessions: QuerySet[Session] | None = None,
    conferences: QuerySet[Conference] | None = None,
) -> list[HeldSession]:
    """Sessions held and case conferences that took place, latest first, each with how many
    attended. `sessions` and `conferences` narrow them to what a reader may see."""
    now = timezone.now()
    until = min(until or now, now)
    # Narrowed by id: a reader's queryset joins trainers or participants, which would multiply
    # the attendance counted below.
    chosen = Session.objects.filter(status=Status.HELD, starts_at__lte=until)
    if sessions is not None:
        chosen = chosen.filter(pk__in=sessions.values("pk"))
    met = Conference.objects.filter(starts_at__lte=until)
    if conferences is not None:
        met = met.filter(pk__in=conferences.values("pk"))
    if since is not None:
        chosen = chosen.filter(starts_at__gte=since)
        met = met.filter(starts_at__gte=since)
    if institutions is not None:
        ids = list(institutions)
        chosen = chosen.filter(institution_id__in=ids)
        met = met.filter(institution_id__in=ids)
    held = [
        HeldSession(SESSION, s.pk, s.title, s.starts_at, s.ends_at, s.institution_id, s.came)
        for s in chosen.annotate(
            came=Count("registrations", filter=Q(registrations__attended=True), distinct=True)
        )
    ]
    held += [
        HeldSession(
            CASE_CONFERENCE,
            c.pk,
            c.title,
            c.starts_at,
            c.starts_at + timedelta(minutes=c.duration_minutes),
            c.institution_id,
            c.came,
        )
        for c in met.annotate(
            came=Count("participants", filter=Q(participants__attended=True), distinct=True)
        )
    ]
    return sorted(held, key=lambda item: item.starts_at, reverse=True)


def people_trained_by_cadre(sessions: QuerySet[Session] | None = None) -> dict[str, int]:
    """Distinct people who attended a held session, by the cadre they named when registering."""
    rows = (
        Registration.objects.filter(attended=True, session__status=Status.HELD)
        .filter(session__in=sessions if sessions is not None else Session.objects.all())
        .values("cadre")
        .annotate(people=Count("participant", distinct=True))
    )
    return {row["cadre"]: row["people"] for row in rows}


def waiting_list(session: Session) -> QuerySet[Registration]:
    return session.registrations.filter(status=RegistrationStatus.WAITING).order_by("position")


# The comments and follow-up answers shown on a session's page; the count says how many more.
SHOWN = 20
SCORES = (1, 2, 3, 4, 5)
# Feedback is read without names, but with one or two answers each could be told apart: the
# ratings and comments are shown once this many participants have answered.
FEEDBACK_SHOWN_FROM = 3


def feedback_held_back(count: int) -> bool:
    return count < FEEDBACK_SHOWN_FROM


@dataclass(frozen=True)
class FeedbackSummary:
    count: int
    averages: dict[str, float | None]  # rating name -> mean, 1 decimal
    # rating name -> how many gave 1, 2, 3, 4 and 5
    spread: dict[str, list[int]] = field(default_factory=dict)


def feedback_summary(session: Session) -> FeedbackSummary:
    """Kirkpatrick level 1 for a session: how many answered, the mean of each rating and how
    many gave each score, in one query."""
    counts = {
        f"{name}_{score}": Count("pk", filter=Q(**{name: score})) for name in RATINGS for score in SCORES
    }
    rows = Feedback.objects.filter(registration__session=session).aggregate(
        count=Count("pk"), **{f"{name}_mean": Avg(name) for name in RATINGS}, **counts
    )
    means = {name: rows[f"{name}_mean"] for name in RATINGS}
    return FeedbackSummary(
        rows["count"],
        {name: round(mean, 1) if mean is not None else None for name, mean in means.items()},
        {name: [rows[f"{name}_{score}"] for score in SCORES] for name in RATINGS},
    )


def feedback_comments(session: Session, limit: int = SHOWN) -> tuple[list[str], int]:
    """The participants' comments, latest first, without who wrote them (feedback is read
    anonymously); at most `limit`, and how many there are in all."""
    written = Feedback.objects.filter(registration__session=session).exclude(comment="")
    return list(
        written.order_by("-submitted_at", "-pk").values_list("comment", flat=True)[:limit]
    ), written.count()


def follow_up_answers(session: Session, limit: int = SHOWN) -> tuple[list[FollowUp], int]:
    """The supervisors' answers, latest first, each with the participant and the supervisor read
    in the same query; at most `limit`, and how many there are in all."""
    answered = FollowUp.objects.filter(registration__session=session, answered_at__isnull=False)
    shown = answered.select_related("registration__participant", "supervisor").order_by("-answered_at", "-pk")
    return list(shown[:limit]), answered.count()


def follow_up_summary(session: Session) -> tuple[int, int, dict[str, int]]:
    """Kirkpatrick level 3 for a session: questions asked, answered, and the answers by kind."""
    asked = FollowUp.objects.filter(registration__session=session)
    answers = {
        row["practice_changed"]: row["n"]
        for row in asked.exclude(answered_at=None).values("practice_changed").annotate(n=Count("pk"))
    }
    return asked.count(), sum(answers.values()), answers

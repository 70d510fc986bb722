"""Read-only questions about sessions that other parts (the lists, the API, the indicators) ask.

Case conferences held in the consultations module count as training sessions with their
attendance: they are read here, never changed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
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


@dataclass(frozen=True)
class FeedbackSummary:
    count: int
    averages: dict[str, float | None]  # rating name -> mean, 1 decimal


def feedback_summary(session: Session) -> FeedbackSummary:
    """Kirkpatrick level 1 for a session: how many answered, and the mean of each rating."""
    rows = Feedback.objects.filter(registration__session=session).aggregate(
        count=Count("pk"), **{name: Avg(name) for name in RATINGS}
    )
    return FeedbackSummary(
        rows["count"],
        {name: round(rows[name], 1) if rows[name] is not None else None for name in RATINGS},
    )


def follow_up_summary(session: Session) -> tuple[int, int, dict[str, int]]:
    """Kirkpatrick level 3 for a session: questions asked, answered, and the answers by kind."""
    asked = FollowUp.objects.filter(registration__session=session)
    answers = {
        row["practice_changed"]: row["n"]
        for row in asked.exclude(answered_at=None).values("practice_changed").annotate(n=Count("pk"))
    }
    return asked.count(), sum(answers.values()), answers

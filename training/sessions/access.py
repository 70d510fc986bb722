"""Who sees which training session, who manages it and who reads its attendance.

Anyone signed in with a role at a partner institution sees the sessions that are not cancelled
(and the cancelled ones they were registered for or manage) and may register: nobody's cadre is on
their account, so a participant names it when registering and a session for other cadres refuses
them then. The coordinators of the organising institution manage a session (edit, cancel, the
check-in code) and are the only ones who record attendance (tick who came, add a walk-in), never
their own: a trainer teaches, so is not recorded as a participant of the session (nor certified). The
trainers read the attendance list, the code and the participants' feedback; the supervisors'
follow-up answers, which name the participant, are for the coordinators. Anyone else is refused
what they can see (403) and told nothing exists otherwise (404).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Role, User
from training.sessions.models import FollowUp, Registration, Session, Status


def coordinated(user: User) -> list[int]:
    return [institution.pk for institution in user.institutions_with_role(Role.COORDINATOR)]


def require_member(user: User) -> None:
    """The sessions are for people with a role at a partner institution."""
    if not user.active_memberships:
        raise PermissionDenied


def may_organise(user: User) -> bool:
    return bool(coordinated(user))


def sessions_visible_to(user: User) -> QuerySet[Session]:
    if not user.active_memberships:
        return Session.objects.none()
    mine = Registration.objects.filter(participant=user).values("session_id")
    return Session.objects.filter(
        ~Q(status=Status.CANCELLED)
        | Q(pk__in=mine)
        | Q(institution_id__in=coordinated(user))
        | Q(trainers=user)
    ).distinct()


def can_manage(user: User, session: Session) -> bool:
    return session.institution_id in coordinated(user)


def is_trainer(user: User, session: Session) -> bool:
    return session.trainers.filter(pk=user.pk).exists()


def can_see_attendance(user: User, session: Session) -> bool:
    return can_manage(user, session) or is_trainer(user, session)


def can_take_attendance(user: User, session: Session) -> bool:
    """Ticking who came and adding walk-ins: the coordinators of the organising institution."""
    return can_manage(user, session)


def get_session(user: User, session_id: int) -> Session:
    session = sessions_visible_to(user).select_related("institution").filter(pk=session_id).first()
    if session is None:
        raise Http404
    return session


def get_session_to_manage(user: User, session_id: int) -> Session:
    session = get_session(user, session_id)
    if not can_manage(user, session):
        raise PermissionDenied
    return session


def get_attendance(user: User, session_id: int) -> Session:
    session = get_session(user, session_id)
    if not can_see_attendance(user, session):
        raise PermissionDenied
    return session


def get_attendance_to_take(user: User, session_id: int) -> Session:
    """Read by the trainers too (403 for them), recorded by the coordinators only."""
    session = get_attendance(user, session_id)
    if not can_take_attendance(user, session):
        raise PermissionDenied
    return session


def own_registration(user: User, session: Session) -> Registration | None:
    return Registration.objects.filter(session=session, participant=user).first()


def get_follow_up(user: User, follow_up_id: int) -> FollowUp:
    """A follow-up question is seen by the supervisor it was sent to, nobody else (404)."""
    follow_up = (
        FollowUp.objects.select_related("registration__session", "registration__participant")
        .filter(pk=follow_up_id, supervisor=user)
        .first()
    )
    if follow_up is None:
        raise Http404
    return follow_up

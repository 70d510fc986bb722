"""Who sees the question bank, a session's tests and their results: one loader per object type.

The bank is shared across the partnership: every coordinator reads it and builds tests from it,
and the coordinators of a question's author institution edit it (another coordinator: 403).
A session's tests are known to its managers (the coordinators of its organising institution),
its trainers and the participants registered for it; to anyone else it does not exist (404).
Managers set the tests; participants take them; managers and trainers read every result,
a participant their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Institution, Role, User
from training.quizzes.models import Kind, Question, Test
from training.sessions.models import Registration, RegistrationStatus, Session


def coordinated(user: User) -> list[Institution]:
    return list(user.institutions_with_role(Role.COORDINATOR))


def require_bank(user: User) -> None:
    """The bank's pages are for coordinators."""
    if not user.has_role(Role.COORDINATOR):
        raise PermissionDenied


def get_question(user: User, question_id: int) -> Question:
    require_bank(user)
    question = Question.objects.select_related("institution").filter(pk=question_id).first()
    if question is None:
        raise Http404
    return question


def get_question_to_edit(user: User, question_id: int) -> Question:
    question = get_question(user, question_id)
    if question.institution not in coordinated(user):
        raise PermissionDenied
    return question


@dataclass(frozen=True)
class SessionAccess:
    session: Session
    manages: bool
    teaches: bool
    takes_part: bool

    @property
    def reads_all_results(self) -> bool:
        return self.manages or self.teaches


def is_participant(user: User, session: Session) -> bool:
    return Registration.objects.filter(
        session=session, participant=user, status=RegistrationStatus.REGISTERED
    ).exists()


def get_session(user: User, session_id: int) -> SessionAccess:
    session = Session.objects.select_related("institution").filter(pk=session_id).first()
    if session is None:
        raise Http404
    seen = SessionAccess(
        session,
        manages=session.institution in coordinated(user),
        teaches=session.trainers.filter(pk=user.pk).exists(),
        takes_part=is_participant(user, session),
    )
    if not (seen.manages or seen.teaches or seen.takes_part):
        raise Http404
    return seen


def get_session_to_manage(user: User, session_id: int) -> Session:
    seen = get_session(user, session_id)
    if not seen.manages:
        raise PermissionDenied
    return seen.session


def kind_of(value: str) -> str:
    if value not in Kind.values:
        raise Http404
    return value


def get_test_to_take(user: User, session_id: int, kind: str) -> Test:
    """A registered participant's test (404 while the coordinator has not set it)."""
    seen = get_session(user, session_id)
    if not seen.takes_part:
        raise PermissionDenied
    test = Test.objects.filter(session=seen.session, kind=kind_of(kind)).select_related("session").first()
    if test is None:
        raise Http404
    return test

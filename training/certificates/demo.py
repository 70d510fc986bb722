"""Demonstration certificates, issued through the real actions to the demo's people: each stage
of the MMed the demo trainee has completed (those before their own), and the workshop already held.
They carry the demo people's synthetic names; nothing else is made up."""

from __future__ import annotations

from django.db import transaction

from accounts.demo import DEMO_DOMAIN
from accounts.models import Role, User
from core.errors import ActionError
from training.certificates import actions
from training.certificates.models import Certificate
from training.models import Enrolment
from training.sessions.models import Session
from training.sessions.models import Status as SessionStatus


def _person(name: str) -> User:
    return User.objects.get(email=f"{name}@{DEMO_DOMAIN}")


def load_demo() -> str:
    trainee, coordinator = _person("trainee"), _person("coordinator")
    if Certificate.objects.filter(holder=trainee).exists():
        return "Demo certificates already issued."
    issued = 0
    with transaction.atomic():
        enrolment = Enrolment.objects.filter(trainee=trainee).select_related("programme", "stage").first()
        if enrolment is not None:
            for stage in enrolment.programme.stages.filter(position__lt=enrolment.stage.position):
                actions.issue_milestone(coordinator, enrolment, stage)
                issued += 1
        held = Session.objects.filter(
            status=SessionStatus.HELD,
            institution__in=coordinator.institutions_with_role(Role.COORDINATOR),
            registrations__participant=trainee,
        ).distinct()
        for session in held[:1]:
            try:
                issued += len(actions.issue_for_session(coordinator, session))
            except ActionError:
                continue  # nobody marked as having attended: nothing to certify
    return f"{issued} demonstration certificates issued to the demo's synthetic people."

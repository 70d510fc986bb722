"""What workplace-based assessments add to the shared pages (core.plugins): the menu entry, the
home cards of trainees, assessors and coordinators, and the demonstration data."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.plugins import HomeSection, Label, demo_loader, home_sections, nav_entry
from training import access as training_access
from training.assessments import access
from training.assessments.demo import load_demo
from training.assessments.models import Assessment, Status

nav_entry(
    "training_assessments:list",
    _("Assessments"),
    order=36,
    roles=[Role.TRAINEE, Role.SUPERVISOR, Role.COORDINATOR],
)


@home_sections("training_assessments.trainee", order=31, roles=[Role.TRAINEE])
def trainee_assessments(user: User) -> list[HomeSection]:
    if Role.TRAINEE not in user.roles:
        return []
    counts = Assessment.objects.filter(trainee=user).aggregate(
        done=Count("pk", filter=Q(status=Status.COMPLETED)),
        waiting=Count("pk", filter=Q(status=Status.REQUESTED)),
    )
    links: list[tuple[str, Label]] = [(reverse("training_assessments:list"), _("Your assessments"))]
    if training_access.own_enrolments(user).exists():
        links.insert(0, (reverse("training_assessments:request"), _("Ask for an assessment")))
    return [
        HomeSection(
            _("Workplace-based assessments"),
            _("Ask a supervisor to assess a case, a procedure or an EPA; they answer from their phone."),
            links,
            [(_("Completed"), counts["done"]), (_("Waiting for the assessor"), counts["waiting"])],
        )
    ]


@home_sections("training_assessments.assessor", order=41, roles=[Role.SUPERVISOR])
def assessor_requests(user: User) -> list[HomeSection]:
    waiting = access.to_complete(user)
    if Role.SUPERVISOR not in user.roles and not waiting.exists():
        return []
    return [
        HomeSection(
            _("Assessments to complete"),
            _("A rating and a few sentences: about two minutes each."),
            [(reverse("training_assessments:to_complete"), _("Open the assessments to complete"))],
            [
                (_("Waiting"), waiting.count()),
                (_("Overdue"), waiting.filter(due_at__lt=timezone.now()).count()),
            ],
        )
    ]


@home_sections("training_assessments.coordinator", order=42, roles=[Role.COORDINATOR])
def coordinator_counts(user: User) -> list[HomeSection]:
    if Role.COORDINATOR not in user.roles:
        return []
    return [
        HomeSection(
            _("Assessments in your programmes"),
            _("How many each assessor completed, how many are overdue, and how long trainees wait."),
            [(reverse("training_assessments:assessors"), _("Count per assessor"))],
        )
    ]


@demo_loader("training_assessments", after=["training"])
def demo_assessments() -> str:
    return load_demo()

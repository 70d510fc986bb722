"""What the question bank and the tests add to the shared pages (core.plugins): the bank in the
coordinators' menu, a home card for a participant with a test open now, and the demo data."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.plugins import HomeSection, Label, demo_loader, home_sections, nav_entry
from training.quizzes.demo import load_demo
from training.quizzes.models import Test
from training.sessions.models import RegistrationStatus, Status

nav_entry("training_quizzes:bank", _("Question bank"), order=37, roles=[Role.COORDINATOR])


def open_tests(user: User) -> list[Test]:
    """The tests open now of the sessions the person is registered for, not yet taken."""
    now = timezone.now()
    return list(
        Test.objects.filter(
            Q(session__registrations__participant=user)
            & Q(session__registrations__status=RegistrationStatus.REGISTERED),
            opens_at__lte=now,
            closes_at__gt=now,
        )
        .exclude(attempts__participant=user)
        .exclude(session__status=Status.CANCELLED)
        .select_related("session")
        .order_by("closes_at")[:5]
    )


# No roles declared: anyone may register for a session, and the card shows only when a test waits.
@home_sections("training_quizzes.open_tests", order=32)
def tests_to_take(user: User) -> list[HomeSection]:
    tests = open_tests(user)
    if not tests:
        return []
    links: list[tuple[str, Label]] = [
        (
            reverse("training_quizzes:take", args=[test.session_id, test.kind]),
            f"{test.get_kind_display()}: {test.session.title}",
        )
        for test in tests
    ]
    return [HomeSection(_("A test is open for you"), _("Answer it from your phone before it closes."), links)]


@demo_loader("training_quizzes", after=["training_sessions"])
def demo_quizzes() -> str:
    return load_demo()

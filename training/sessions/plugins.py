"""What training sessions add to the shared pages (core.plugins): the Sessions menu entry for
everyone signed in with a role, a home card with the sessions coming up, and demonstration data."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.plugins import HomeSection, Label, demo_loader, home_sections, nav_entry
from training.sessions import access
from training.sessions.demo import load_demo
from training.sessions.models import Registration, RegistrationStatus, Status

# Everyone with a role at a partner institution may register (the roles, all of them).
nav_entry("training_sessions:list", _("Sessions"), order=37, roles=Role.values)

UPCOMING_SHOWN = 3


@home_sections("training_sessions.upcoming", order=45)
def upcoming_sessions(user: User) -> list[HomeSection]:
    if not user.active_memberships:
        return []
    now = timezone.now()
    coming = list(
        access.sessions_visible_to(user)
        .filter(starts_at__gte=now)
        .exclude(status=Status.CANCELLED)
        .order_by("starts_at")[:UPCOMING_SHOWN]
    )
    if not coming:
        return []
    mine = Registration.objects.filter(
        participant=user, status=RegistrationStatus.REGISTERED, session__starts_at__gte=now
    ).count()
    links: list[tuple[str, Label]] = [
        (
            reverse("training_sessions:detail", args=[s.pk]),
            f"{timezone.localtime(s.starts_at):%d.%m} · {s.title}",
        )
        for s in coming
    ]
    links.append((reverse("training_sessions:list"), _("All training sessions")))
    return [
        HomeSection(
            _("Training sessions coming up"),
            _("Workshops and courses you can register for; check in on your phone with the code shown."),
            links,
            [(_("Sessions you are registered for"), mine)],
        )
    ]


@demo_loader("training_sessions", after=["training"])
def demo_sessions() -> str:
    return load_demo()

"""What the accounts app adds to the shared pages (core.plugins): the menu entries for people,
institutions and one's own profile, and the home-page cards that are about the account itself."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import managed_institutions
from accounts.actions import has_second_factor
from accounts.demo import load_demo
from accounts.models import Invitation, Membership, Role, User
from core.plugins import HomeSection, demo_loader, home_sections, nav_entry

MANAGERS = {Role.COORDINATOR}

nav_entry("accounts:people", _("People"), order=60, roles=MANAGERS, administrators=True)
nav_entry("accounts:audit", _("Audit trail"), order=70, roles=MANAGERS, administrators=True)
nav_entry("accounts:institutions", _("Institutions"), order=80)
nav_entry("accounts:profile", _("My profile"), order=90)
nav_entry("admin:index", _("Administration"), order=100, administrators=True)


@demo_loader("accounts")
def demo_people() -> str:
    created = load_demo()
    return (
        "Demo data ready: {institutions} institutions, {people} people and {roles} roles created "
        "(0 means they were already there).".format(**created)
    )


@home_sections("accounts.no_institution", order=0)
def without_an_institution(user: User) -> list[HomeSection]:
    if user.roles:
        return []
    return [
        HomeSection(
            _("You are not part of an institution yet"),
            _("Ask the coordinator of your hospital to invite you with your role."),
        )
    ]


@home_sections("accounts.people", order=50, roles=[Role.COORDINATOR, Role.ADMINISTRATOR])
def people_and_institutions(user: User) -> list[HomeSection]:
    if Role.COORDINATOR not in user.roles and not user.is_administrator:
        return []
    institutions = managed_institutions(user)
    people = Membership.objects.filter(institution__in=institutions).values("user_id").distinct().count()
    pending = Invitation.objects.filter(
        institution__in=institutions,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).count()
    return [
        HomeSection(
            _("People and institutions"),
            _("Invite clinicians and consultants, give roles and follow the audit trail.")
            if people
            else _("No one has joined your institution yet. Start by inviting your team."),
            [
                (reverse("accounts:invite"), _("Invite a person")),
                (reverse("accounts:people"), _("People")),
                (reverse("accounts:audit"), _("Audit trail")),
            ],
            [(_("People"), people), (_("Open invitations"), pending)],
        )
    ]


@home_sections("accounts.administration", order=70, roles=[Role.ADMINISTRATOR])
def administration(user: User) -> list[HomeSection]:
    if not user.is_administrator:
        return []
    return [
        HomeSection(
            _("Administration"),
            _("Institutions, specialties, countries and settings are managed in the administration site."),
            [(reverse("admin:index"), _("Open the administration site"))],
        )
    ]


@home_sections("accounts.second_factor", order=900)
def protect_your_account(user: User) -> list[HomeSection]:
    if user.requires_two_factor or has_second_factor(user):
        return []
    return [
        HomeSection(
            _("Protect your account"),
            _("Two-factor sign-in keeps your account safe even if your password is stolen."),
            [(reverse("accounts:two_factor_setup"), _("Set up two-factor sign-in"))],
        )
    ]

"""What each role sees first on the home page, with the next thing to do when there is nothing yet."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.access import managed_institutions
from accounts.actions import has_second_factor
from accounts.models import Invitation, Membership, Role, User


@dataclass
class Section:
    title: str | Promise
    text: str | Promise
    links: list[tuple[str, Any]] = field(default_factory=list)
    figures: list[tuple[str | Promise, int]] = field(default_factory=list)


def home_sections(user: User) -> list[Section]:
    sections: list[Section] = []
    roles = user.roles
    if not roles:
        sections.append(
            Section(
                _("You are not part of an institution yet"),
                _("Ask the coordinator of your hospital to invite you with your role."),
            )
        )
    if Role.REFERRER in roles:
        links = [
            (reverse("consultations:new"), _("Refer a patient")),
            (reverse("consultations:inbox"), _("Our cases")),
        ]
        if not user.phone:
            links.append((reverse("accounts:profile"), _("Add my mobile number")))
        sections.append(
            Section(
                _("Your consultations"),
                _(
                    "Send a case to a neurosurgeon from your phone; you are told as soon as they answer. "
                    "Add your mobile number so consultants can reach you in an emergency."
                ),
                links,
            )
        )
    if Role.CONSULTANT in roles:
        needs_profile = not user.languages_spoken or not user.subspecialties.exists()
        sections.append(
            Section(
                _("Cases awaiting your opinion"),
                _(
                    "Cases are routed to you by subspecialty, language and on-call roster, so keep "
                    "them up to date."
                ),
                [
                    (reverse("consultations:inbox") + "?box=awaiting", _("Cases awaiting my answer")),
                    (reverse("consultations:on_call"), _("My on-call shifts")),
                ]
                + (
                    [(reverse("accounts:profile"), _("Set my subspecialties and languages"))]
                    if needs_profile
                    else []
                ),
            )
        )
    if Role.TRAINEE in roles:
        sections.append(
            Section(
                _("Your training"),
                _("Your logbook, workshops and rotations will appear here."),
            )
        )
    if Role.SUPERVISOR in roles:
        sections.append(
            Section(
                _("Waiting for your sign-off"),
                _("Logbook entries and assessments from your trainees will appear here for validation."),
            )
        )
    if Role.COORDINATOR in roles or user.is_administrator:
        institutions = managed_institutions(user)
        people = Membership.objects.filter(institution__in=institutions).values("user_id").distinct().count()
        pending = Invitation.objects.filter(
            institution__in=institutions,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        ).count()
        sections.append(
            Section(
                _("People and institutions"),
                _("Invite clinicians and consultants, give roles and follow the audit trail.")
                if people
                else _("No one has joined your institution yet. Start by inviting your team."),
                [
                    (reverse("accounts:invite"), _("Invite a person")),
                    (reverse("accounts:people"), _("People")),
                    (reverse("core:audit"), _("Audit trail")),
                ],
                [(_("People"), people), (_("Open invitations"), pending)],
            )
        )
    if Role.RESEARCHER in roles:
        sections.append(
            Section(
                _("Research"),
                _("Your projects and approved data requests will appear here."),
            )
        )
    if user.is_administrator:
        sections.append(
            Section(
                _("Administration"),
                _(
                    "Institutions, specialties, countries and settings are managed in the administration site."
                ),
                [(reverse("admin:index"), _("Open the administration site"))],
            )
        )
    if not user.requires_two_factor and not has_second_factor(user):
        sections.append(
            Section(
                _("Protect your account"),
                _("Two-factor sign-in keeps your account safe even if your password is stolen."),
                [(reverse("accounts:two_factor_setup"), _("Set up two-factor sign-in"))],
            )
        )
    return sections

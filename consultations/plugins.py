"""What tele-consultation adds to the shared pages (core.plugins): its menu entries and the
home-page cards of the people who refer and answer cases."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from consultations.demo import load_demo
from core.plugins import HomeSection, Label, demo_loader, home_sections, nav_entry

nav_entry("consultations:inbox", _("Consultations"), order=10)
nav_entry("consultations:conferences", _("Conferences"), order=20)
nav_entry("consultations:board", _("Board"), order=40, roles=[Role.COORDINATOR])


@demo_loader("consultations", after=["accounts"])
def demo_cases() -> str:
    return f"{load_demo()} demo consultations created."


@home_sections("consultations.referrer", order=10, roles=[Role.REFERRER])
def referrer_cases(user: User) -> list[HomeSection]:
    if Role.REFERRER not in user.roles:
        return []
    links: list[tuple[str, Label]] = [
        (reverse("consultations:new"), _("Refer a patient")),
        (reverse("consultations:inbox"), _("Our cases")),
    ]
    if not user.phone:
        links.append((reverse("accounts:profile"), _("Add my mobile number")))
    return [
        HomeSection(
            _("Your consultations"),
            _(
                "Send a case to a neurosurgeon from your phone; you are told as soon as they answer. "
                "Add your mobile number so consultants can reach you in an emergency."
            ),
            links,
        )
    ]


@home_sections("consultations.consultant", order=20, roles=[Role.CONSULTANT])
def cases_awaiting_an_opinion(user: User) -> list[HomeSection]:
    if Role.CONSULTANT not in user.roles:
        return []
    links: list[tuple[str, Label]] = [
        (reverse("consultations:inbox") + "?box=awaiting", _("Cases awaiting my answer")),
        (reverse("consultations:on_call"), _("My on-call shifts")),
    ]
    if not user.languages_spoken or not user.subspecialties.exists():
        links.append((reverse("accounts:profile"), _("Set my subspecialties and languages")))
    return [
        HomeSection(
            _("Cases awaiting your opinion"),
            _(
                "Cases are routed to you by subspecialty, language and on-call roster, so keep them up to date."
            ),
            links,
        )
    ]

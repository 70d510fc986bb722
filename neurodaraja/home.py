"""The home page: every app's cards for the signed-in person (core.plugins), and for a role
whose app is not installed yet, a card that says what will appear there."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.plugins import HomeSection, home_sections, nav_entry, roles_served_on_the_home_page

nav_entry("home", _("Home"), order=0)

# role → (place on the page, title, what will appear); a card goes as soon as an app serves the role.
_COMING: dict[str, tuple[int, Promise, Promise]] = {
    Role.TRAINEE: (
        30,
        _("Your training"),
        _("Your logbook, workshops and rotations will appear here."),
    ),
    Role.SUPERVISOR: (
        40,
        _("Waiting for your sign-off"),
        _("Logbook entries and assessments from your trainees will appear here for validation."),
    ),
    Role.RESEARCHER: (
        60,
        _("Research"),
        _("Your projects and approved data requests will appear here."),
    ),
}


def _coming_for(role: str, title: Promise, text: Promise) -> None:
    @home_sections(f"neurodaraja.coming.{role}", order=_COMING[role][0])
    def coming(user: User) -> list[HomeSection]:
        if role not in user.roles or role in roles_served_on_the_home_page():
            return []
        return [HomeSection(title, text)]


for _role, (_order, _title, _text) in _COMING.items():
    _coming_for(_role, _title, _text)

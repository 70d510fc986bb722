"""What certificates add to the shared pages (core.plugins): the menu entry and a home card for
those who hold certificates or issue them."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from core.plugins import HomeSection, demo_loader, home_sections, nav_entry
from training.certificates.demo import load_demo
from training.certificates.models import Certificate

nav_entry("training_certificates:mine", _("Certificates"), order=38, roles=[Role.TRAINEE, Role.COORDINATOR])


@home_sections("training.certificates", order=45)
def certificates_card(user: User) -> list[HomeSection]:
    held = Certificate.objects.filter(holder=user, revoked_at__isnull=True).count()
    if not held:
        return []
    return [
        HomeSection(
            _("Your certificates"),
            _("Download them as PDF; anyone can check one with its code or QR code."),
            [(reverse("training_certificates:mine"), _("Open your certificates"))],
            [(_("Certificates"), held)],
        )
    ]


@demo_loader("training_certificates", after=["training", "training_sessions"])
def demo_certificates() -> str:
    return load_demo()

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import PEOPLE, current_demo_code, demo_totp_secret
from accounts.models import User


class Command(BaseCommand):
    help = "Print the current second-factor codes of the demo accounts that need one."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_MODE:
            raise CommandError("Only available with DEMO_MODE=true.")
        for person in PEOPLE:
            user = User.objects.filter(email=person.email).first()
            if user is not None and user.requires_two_factor:
                self.stdout.write(
                    f"{person.email:45} code {current_demo_code(person.email)}   "
                    f"(key for an app: {demo_totp_secret(person.email)})"
                )

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.demo import PEOPLE, current_demo_code, demo_totp_key, demo_totp_secret


class Command(BaseCommand):
    help = "Print the current second-factor codes of the demo accounts that need one."
    # Run by hand beside `make run`, without its DEBUG=true and DEMO_MODE=true: the start-up
    # checks (a missing SECRET_KEY, demo mode without DEBUG) are the server's, not this command's.
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.SECRET_KEY_IS_SET and not settings.DEBUG:
            raise CommandError(
                "This is a production configuration (DEBUG is off and SECRET_KEY is set): "
                "demo codes are only for a demonstration machine (make run)."
            )
        # Only an authenticator holding the demo's published key: a real account's device, or
        # a demo address given a real authenticator, is never printed.
        demo_devices = set(
            TOTPDevice.objects.filter(
                user__email__in=[person.email for person in PEOPLE], confirmed=True
            ).values_list("user__email", "key")
        )
        lines = [
            f"{person.email:45} code {current_demo_code(person.email)}   "
            f"(key for an app: {demo_totp_secret(person.email)})"
            for person in PEOPLE
            if (person.email, demo_totp_key(person.email)) in demo_devices
        ]
        if not lines:
            raise CommandError("No demo accounts here: `make run` loads them.")
        self.stdout.write("\n".join(lines))

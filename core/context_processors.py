from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise

from core.i18n import zone_with_offset
from core.plugins import navigation_for


@dataclass(frozen=True)
class MenuItem:
    url: str
    label: str | Promise
    badge: Callable[[], int] | None  # called by the template only when the menu is shown


def site(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {"DEMO_MODE": settings.DEMO_MODE, "SITE_NAME": settings.SITE_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        # The menu every app declared (core.plugins), for this person's roles.
        # The footer's "Times are shown in …", named as the pages name it (read only if shown).
        context["ZONE_NAMED"] = lambda: zone_with_offset(timezone.now())
        context["navigation"] = lambda: [
            MenuItem(entry.url, entry.label, _badge(entry.badge, request)) for entry in navigation_for(user)
        ]
    return context


def _badge(count: Callable[[HttpRequest], int] | None, request: HttpRequest) -> Callable[[], int] | None:
    if count is None:
        return None
    return lambda: count(request)

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, Any]:
    context: dict[str, Any] = {"DEMO_MODE": settings.DEMO_MODE, "SITE_NAME": settings.SITE_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from core.models import Notification

        # Lazy: evaluated only if the page shows it.
        context["unread_notifications"] = lambda: Notification.objects.filter(
            recipient=user, read_at__isnull=True
        ).count()
    return context

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from accounts.models import normalise_email


def attempted_email(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The address a sign-in attempt used, as the lockout counts it (trimmed, lower case)."""
    typed = (credentials or {}).get("username") or request.POST.get("username") or ""
    return normalise_email(str(typed))

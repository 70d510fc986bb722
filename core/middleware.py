from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control


class UserPreferencesMiddleware:
    """A signed-in user's own language and time zone win over the browser's.

    Clinicians share ward computers; the page follows the person signed in, not the machine.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            activate_user_preferences(request, user.preferred_language, user.time_zone)
        else:
            timezone.deactivate()
        return self.get_response(request)


def activate_user_preferences(request: HttpRequest, language: str, time_zone: str) -> None:
    translation.activate(language)
    request.LANGUAGE_CODE = translation.get_language()
    try:
        timezone.activate(zoneinfo.ZoneInfo(time_zone))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        timezone.deactivate()


class PrivateAnswersNotStoredMiddleware:
    """What a signed-in person or an API token holder is sent is not kept by the browser or a
    proxy (a ward computer is shared): `Cache-Control: private, no-store`, unless the view chose
    its own caching (an unchanging rendering of a slice may stay in the person's own browser)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        personal = (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META
        if personal and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response

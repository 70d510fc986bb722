from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.middleware.gzip import GZipMiddleware
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


# Bodies worth compressing: text the platform writes. DICOM, JPEG-LS, WebP, PNG, PDF and zip
# answers are compressed already (or multipart DICOM the viewer reads as stored); gzip would
# spend CPU to gain nothing.
COMPRESSIBLE_TYPES = frozenset(
    {
        "text/html",
        "text/plain",
        "text/css",
        "text/csv",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/xml",
        "image/svg+xml",
    }
)
# Below about a kilobyte the body fits the first packets anyway: nothing to gain on the link.
MIN_COMPRESSED_BYTES = 1024
# Pages that show a sign-in secret (the authenticator key, recovery codes, a new API token) are
# never compressed: they are rare and small, and compression is then never beside a secret that
# repeats from one response to the next (see CompressionMiddleware).
UNCOMPRESSED_VIEWS = frozenset(
    {"accounts:two_factor_setup", "accounts:recovery_codes", "accounts:api_tokens"}
)


def compressible(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media in COMPRESSIBLE_TYPES or media.endswith("+json")  # FHIR, DICOM JSON metadata


class CompressionMiddleware(GZipMiddleware):
    """Gzip what the platform writes (HTML, JSON, text), for clients that accept it.

    A page is sent at a quarter of its size or less: on a 2 Mbit/s link with 300 ms latency that
    is the difference between one round trip and three. Static files are compressed ahead of
    time by WhiteNoise (collectstatic), which answers before this middleware runs.

    Why this is safe against BREACH (a secret guessed from the compressed length of responses
    that also reflect what an attacker put in the URL):
    - The CSRF token is masked afresh in every response (Django), so it never repeats and there
      is nothing to guess byte by byte; Django's gzip also pads each response with 0-100 random
      bytes, which multiplies the requests any such guess needs.
    - The session cookie is SameSite=Lax: another site's script cannot make the browser send
      signed-in requests in the background, only whole-page navigations, thousands of them.
    - The API authenticates with a Bearer header that a browser never adds to another site's
      request.
    - Sign-in secrets that do repeat across responses (the authenticator key during set-up) or
      that an account hangs on (recovery codes, a new API token) are on pages that are never
      compressed (UNCOMPRESSED_VIEWS).
    Partial answers (206) and bodies already encoded are left alone.
    """

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if (
            response.status_code == 206
            or response.has_header("Content-Range")
            or not compressible(response.get("Content-Type", ""))
            or (not response.streaming and len(response.content) < MIN_COMPRESSED_BYTES)  # type: ignore[attr-defined]
        ):
            return response
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name in UNCOMPRESSED_VIEWS:
            return response
        return super().process_response(request, response)

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from accounts.actions import has_second_factor
from accounts.models import ApiToken, User
from core.middleware import activate_user_preferences
from lib.tokens import hash_secret

# Writing last_used_at on every call would turn each read into a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer nd_…` with a personal token made on the API tokens page."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        record: ApiToken | None = (
            ApiToken.objects.select_related("user").filter(token_hash=hash_secret(token)).first()
        )
        now = timezone.now()
        if record is None or not record.is_usable(now) or not record.user.is_active:
            return None
        if record.user.requires_two_factor and not has_second_factor(record.user):
            return None  # given a role that needs a second factor since the token was made
        if record.last_used_at is None or now - record.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        user = record.user
        request.user = user
        activate_user_preferences(request, user.preferred_language, user.time_zone)
        return user


def api_user(request: Any) -> User:
    return request.auth

"""What every consultations endpoint shares: the caller, the case they name, retried requests."""
# No "from __future__ import annotations": django-ninja reads these annotations at run time.

from django.http import HttpRequest

from accounts.api_auth import api_user
from accounts.models import User
from consultations.access import CaseAccess, get_case_for_user


def idempotency_key(request: HttpRequest) -> str | None:
    """An `Idempotency-Key` header: the same request retried after a dropped connection is
    answered with what the first one created."""
    key = request.headers.get("Idempotency-Key", "").strip().lower().replace("-", "")
    return key if len(key) == 32 and all(c in "0123456789abcdef" for c in key) else None


def case_for(request: HttpRequest, code: str) -> tuple[User, CaseAccess]:
    """The caller and the case they name (404 if they may not see it)."""
    user = api_user(request)
    return user, get_case_for_user(user, code)

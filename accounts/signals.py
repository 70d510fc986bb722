"""Sign-ins, sign-outs, failures and lockouts go to the audit trail; a broken trail is told to
the administrators."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from accounts import audit_actions as acts
from accounts.models import User, normalise_email
from core.audit import record
from core.emails import send_email
from core.signals import audit_chain_broken


def _known_user(email: object) -> User | None:
    if not isinstance(email, str) or not email:
        return None
    return User.objects.filter(email__iexact=normalise_email(email)).first()


@receiver(user_logged_in)
def audit_sign_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record(acts.SIGNED_IN, actor=user, target=user, request=request)


@receiver(user_logged_out)
def audit_sign_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        record(acts.SIGNED_OUT, actor=user, target=user, request=request)


@receiver(user_login_failed)
def audit_failed_sign_in(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # The address typed is not stored: a mistyped one may be a password or a stranger's.
    user = _known_user(credentials.get("username"))
    # The token page asks for the password again: its failures say so, for the auditor.
    asked_for_a_token = credentials.get("purpose") == "api_token"
    record(
        acts.SIGN_IN_FAILED,
        actor=user,
        target=user,
        request=request,
        detail={"known_account": user is not None, **({"purpose": "api_token"} if asked_for_a_token else {})},
    )


@receiver(user_locked_out)
def audit_lockout(sender: Any, request: HttpRequest, username: str | None = None, **kwargs: Any) -> None:
    user = _known_user(username)
    record(
        acts.LOCKED_OUT,
        actor=user,
        target=user,
        request=request,
        detail={"known_account": user is not None},
    )


@receiver(audit_chain_broken)
def tell_administrators_the_trail_is_broken(sender: Any, entry_id: int, checked: int, **kwargs: Any) -> None:
    for admin in User.objects.administrators():
        send_email(
            "audit_chain_broken",
            to=admin.email,
            language=admin.preferred_language,
            context={"entry_id": entry_id, "checked": checked},
        )

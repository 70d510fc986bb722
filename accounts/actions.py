"""Every change to people, roles, invitations, tokens and second factors goes through here.

Each action checks permission, runs in a transaction, writes the audit entry and queues
any e-mail. Views, API endpoints, commands and tests all call these functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import audit_actions as acts
from accounts.access import manages
from accounts.models import (
    ApiToken,
    Institution,
    Invitation,
    Membership,
    Role,
    User,
    normalise_email,
)
from core.audit import record
from core.emails import send_email
from core.errors import ActionError
from core.models import Subspecialty
from lib.tokens import hash_secret, new_secret

RECOVERY_CODE_COUNT = 10
PROFILE_FIELDS = (
    "full_name",
    "preferred_language",
    "time_zone",
    "phone",
    "languages_spoken",
    "notify_by_email",
    "notify_by_sms",
)


def _require_manager_of(actor: User, institution: Institution) -> None:
    if not manages(actor, institution):
        raise PermissionDenied


def _refuse_own_roles(actor: User, person: User) -> None:
    # A coordinator could otherwise make themselves a consultant and read cases.
    if actor.pk == person.pk and not actor.is_administrator:
        raise ActionError(
            _("You cannot change your own roles; ask another coordinator or an administrator."),
            code="own_roles",
            status=403,
        )


def _check_roles(actor: User, roles: Iterable[str]) -> list[str]:
    chosen = sorted(set(roles))
    if not chosen:
        raise ActionError(_("Choose at least one role."), code="no_roles")
    unknown = [role for role in chosen if role not in Role.values]
    if unknown:
        raise ActionError(_("Unknown role."), code="unknown_role")
    if Role.ADMINISTRATOR in chosen and not actor.is_administrator:
        raise ActionError(
            _("Only an administrator can give the administrator role."),
            code="administrator_only",
            status=403,
        )
    return chosen


# --- people ---------------------------------------------------------------------------------
@transaction.atomic
def create_person(
    *,
    email: str,
    full_name: str,
    password: str | None,
    preferred_language: str = "en",
    time_zone: str = settings.DEFAULT_USER_TIME_ZONE,
    phone: str = "",
) -> User:
    """Create an account (used by invitations and the demo data; people never self-register)."""
    email = normalise_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ActionError(_("An account with this e-mail address already exists."), code="exists", status=409)
    return User.objects.create_user(
        email,
        password,
        full_name=full_name.strip(),
        preferred_language=preferred_language,
        time_zone=time_zone,
        phone=phone,
    )


@transaction.atomic
def update_profile(
    user: User,
    changes: dict[str, Any],
    *,
    subspecialties: Iterable[Subspecialty] | None = None,
    request: HttpRequest | None = None,
) -> list[str]:
    """Apply validated profile changes; return the names of the fields that changed."""
    changed = []
    for field in PROFILE_FIELDS:
        if field in changes and getattr(user, field) != changes[field]:
            setattr(user, field, changes[field])
            changed.append(field)
    if changed:
        user.full_clean(exclude=["password", "email"])
        user.save(update_fields=changed)
    if subspecialties is not None:
        new = {s.pk for s in subspecialties}
        if new != set(user.subspecialties.values_list("pk", flat=True)):
            user.subspecialties.set(new)
            changed.append("subspecialties")
    if changed:
        record(
            acts.PROFILE_UPDATED,
            actor=user,
            target=user,
            request=request,
            detail={"fields": changed},
        )
    return changed


@transaction.atomic
def add_role(
    actor: User,
    person: User,
    institution: Institution,
    role: str,
    *,
    request: HttpRequest | None = None,
) -> Membership:
    _require_manager_of(actor, institution)
    _refuse_own_roles(actor, person)
    _check_roles(actor, [role])
    membership, created = Membership.objects.get_or_create(user=person, institution=institution, role=role)
    if not created:
        raise ActionError(_("This person already has that role there."), code="duplicate", status=409)
    record(
        acts.ROLE_ADDED,
        actor=actor,
        target=person,
        institution=institution,
        request=request,
        detail={"role": role},
    )
    person.forget_memberships()
    return membership


@transaction.atomic
def remove_role(actor: User, membership: Membership, *, request: HttpRequest | None = None) -> None:
    _require_manager_of(actor, membership.institution)
    _refuse_own_roles(actor, membership.user)
    if membership.role == Role.ADMINISTRATOR:
        if not actor.is_administrator:
            raise ActionError(
                _("Only an administrator can remove the administrator role."),
                code="administrator_only",
                status=403,
            )
        _keep_one_administrator(besides=membership.user)
    person, institution, role = membership.user, membership.institution, membership.role
    membership.delete()
    record(
        acts.ROLE_REMOVED,
        actor=actor,
        target=person,
        institution=institution,
        request=request,
        detail={"role": role},
    )
    person.forget_memberships()


def _keep_one_administrator(*, besides: User) -> None:
    others = (
        Membership.objects.select_for_update()
        .filter(role=Role.ADMINISTRATOR, user__is_active=True)
        .exclude(user=besides)
    )
    if not others.exists():
        raise ActionError(
            _("This is the last administrator; give someone else the role first."),
            code="last_administrator",
            status=409,
        )


def _require_manager_of_person(actor: User, person: User) -> Institution | None:
    """The actor must manage every institution the person belongs to; returns one of them."""
    if actor.pk == person.pk:
        raise ActionError(_("You cannot deactivate your own account."), code="self", status=409)
    if person.is_administrator and not actor.is_administrator:
        raise PermissionDenied
    institutions = list(Institution.objects.filter(memberships__user=person).distinct())
    if not actor.is_administrator and not all(manages(actor, i) for i in institutions):
        raise ActionError(
            _("This person also works at institutions you do not coordinate; ask an administrator."),
            code="other_institutions",
            status=403,
        )
    return institutions[0] if institutions else None


@transaction.atomic
def deactivate_person(actor: User, person: User, *, request: HttpRequest | None = None) -> None:
    institution = _require_manager_of_person(actor, person)
    if not person.is_active:
        return
    if person.has_role(Role.ADMINISTRATOR):
        _keep_one_administrator(besides=person)
    person.is_active = False
    person.save(update_fields=["is_active"])
    revoked = ApiToken.objects.filter(user=person, revoked_at__isnull=True).update(revoked_at=timezone.now())
    record(
        acts.DEACTIVATED,
        actor=actor,
        target=person,
        institution=institution,
        request=request,
        detail={"api_tokens_revoked": revoked},
    )


@transaction.atomic
def reactivate_person(actor: User, person: User, *, request: HttpRequest | None = None) -> None:
    institution = _require_manager_of_person(actor, person)
    if person.is_active:
        return
    person.is_active = True
    person.save(update_fields=["is_active"])
    record(acts.REACTIVATED, actor=actor, target=person, institution=institution, request=request)


def send_password_reset(
    user: User, to_email: str, *, uid: str, token: str, request: HttpRequest | None
) -> None:
    """The reset link, in the person's own language; the request is in the audit trail."""
    record(acts.PASSWORD_RESET_REQUESTED, actor=user, target=user, request=request)
    send_email(
        "password_reset",
        to=to_email,
        language=user.preferred_language,
        context={"uid": uid, "token": token, "full_name": user.full_name},
    )


@transaction.atomic
def password_changed(user: User, *, via: str, request: HttpRequest | None = None) -> int:
    """A password changed through Django's own forms (reset link or security page): recorded, and
    the person's API tokens revoked, since whoever knew the old password may have made one. Their
    other sessions end by themselves (Django checks each session against the password hash).
    Returns how many tokens were revoked, to tell the person."""
    record(acts.PASSWORD_CHANGED, actor=user, target=user, request=request, detail={"via": via})
    tokens = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    for token in tokens:
        _revoke(token, user, request=request, detail={"why": "password_changed"})
    return len(tokens)


# --- invitations ----------------------------------------------------------------------------
@transaction.atomic
def invite_person(
    actor: User,
    *,
    institution: Institution,
    email: str,
    roles: Iterable[str],
    language: str,
    full_name: str = "",
    request: HttpRequest | None = None,
) -> tuple[Invitation, str]:
    """Send a one-time link; returns the invitation and the raw link token (never stored)."""
    _require_manager_of(actor, institution)
    chosen = _check_roles(actor, roles)
    email = normalise_email(email)
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        held = set(
            Membership.objects.filter(user=existing, institution=institution).values_list("role", flat=True)
        )
        if held.issuperset(chosen):
            raise ActionError(
                _("%(email)s already holds these roles at %(institution)s.")
                % {"email": email, "institution": institution.name},
                code="already_member",
                status=409,
            )
    now = timezone.now()
    # A new invitation replaces any earlier one still open for the same person and place.
    Invitation.objects.filter(
        email=email, institution=institution, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=now)
    raw, token_hash = new_secret("inv_")
    invitation = Invitation.objects.create(
        email=email,
        full_name=full_name.strip(),
        institution=institution,
        roles=chosen,
        language=language,
        invited_by=actor,
        token_hash=token_hash,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    record(
        acts.INVITED,
        actor=actor,
        target=invitation,
        institution=institution,
        request=request,
        detail={"roles": chosen},
    )
    send_email(
        "invitation",
        to=email,
        language=language,
        context={
            "inviter": actor.full_name,
            "institution": institution.name,
            "roles": chosen,
            "valid_days": settings.INVITATION_VALID_DAYS,
            "url": settings.SITE_URL + reverse("accounts:accept_invitation", args=[raw]),
        },
    )
    return invitation, raw


@transaction.atomic
def withdraw_invitation(actor: User, invitation: Invitation, *, request: HttpRequest | None = None) -> None:
    _require_manager_of(actor, invitation.institution)
    if not invitation.is_pending():
        raise ActionError(_("This invitation is no longer open."), code="not_pending", status=409)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record(
        acts.INVITATION_WITHDRAWN,
        actor=actor,
        target=invitation,
        institution=invitation.institution,
        request=request,
    )


def invitation_problem(invitation: Invitation) -> ActionError | None:
    """Why an invitation link can no longer be used, or None if it can."""
    if invitation.accepted_at is not None:
        return ActionError(_("This invitation has already been used."), code="used", status=410)
    if invitation.revoked_at is not None:
        return ActionError(_("This invitation has been withdrawn."), code="withdrawn", status=410)
    if invitation.expires_at <= timezone.now():
        return ActionError(
            _("This invitation has expired. Ask your coordinator to send a new one."),
            code="expired",
            status=410,
        )
    return None


def inviter_no_longer_entitled(invitation: Invitation) -> ActionError | None:
    """An invitation is only as good as its sender's rights at the moment it is used."""
    inviter = User.objects.get(pk=invitation.invited_by_id)
    allowed = inviter.is_active and manages(inviter, invitation.institution)
    if Role.ADMINISTRATOR in invitation.roles and not inviter.is_administrator:
        allowed = False
    if allowed:
        return None
    return ActionError(
        _("This invitation is no longer valid. Ask your coordinator to send a new one."),
        code="inviter_not_entitled",
        status=410,
    )


@transaction.atomic
def accept_invitation(
    raw_token: str,
    *,
    signed_in_user: User | None = None,
    full_name: str = "",
    password: str = "",
    preferred_language: str = "en",
    time_zone: str = settings.DEFAULT_USER_TIME_ZONE,
    phone: str = "",
    request: HttpRequest | None = None,
) -> User:
    """Use an invitation: create the account (or take the signed-in one) and give the roles."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("institution")
        .filter(token_hash=hash_secret(raw_token))
        .first()
    )
    if invitation is None:
        raise ActionError(_("This invitation link is not valid."), code="unknown", status=404)
    problem = invitation_problem(invitation) or inviter_no_longer_entitled(invitation)
    if problem is not None:
        raise problem
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if signed_in_user is not None:
        if normalise_email(signed_in_user.email) != invitation.email:
            raise ActionError(
                _("This invitation was sent to another e-mail address. Sign out and open the link again."),
                code="other_account",
                status=409,
            )
        person = signed_in_user
    elif existing is not None:
        raise ActionError(
            _("You already have an account. Sign in, then open the link again."),
            code="sign_in_first",
            status=409,
        )
    else:
        person = User(
            email=invitation.email,
            full_name=full_name.strip(),
            preferred_language=preferred_language,
            time_zone=time_zone,
            phone=phone,
        )
        validate_password(password, person)
        person.set_password(password)
        person.full_clean(exclude=["password"])
        person.save()
    for role in invitation.roles:
        Membership.objects.get_or_create(user=person, institution=invitation.institution, role=role)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = person
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record(
        acts.INVITATION_ACCEPTED,
        actor=person,
        target=invitation,
        institution=invitation.institution,
        request=request,
        detail={"roles": list(invitation.roles), "new_account": signed_in_user is None},
    )
    person.forget_memberships()
    return person


# --- API tokens -----------------------------------------------------------------------------
def create_own_api_token(
    user: User,
    *,
    name: str,
    valid_days: int | None,
    password: str = "",
    code: str = "",
    request: HttpRequest | None = None,
) -> tuple[ApiToken, str]:
    """A token a signed-in person makes for themselves, once they have proved again who they are.

    A token outlives the session and works from anywhere, so a stolen session cookie (a shared
    ward computer left signed in) must not be enough to mint one. Asked in the same form, every
    time: one round trip on a weak link, and no window in which a stolen session could still do it.
    """
    reauthenticate(user, password=password, code=code, request=request)
    return create_api_token(user, name=name, valid_days=valid_days, request=request)


@transaction.atomic
def create_api_token(
    user: User, *, name: str, valid_days: int | None, request: HttpRequest | None = None
) -> tuple[ApiToken, str]:
    """A new token, without asking who the person is: for commands and tests. Pages and endpoints
    acting for a signed-in person call create_own_api_token."""
    raw, token_hash = new_secret("nd_")
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=raw[:10],
        token_hash=token_hash,
        expires_at=timezone.now() + timedelta(days=valid_days) if valid_days else None,
    )
    record(acts.API_TOKEN_CREATED, actor=user, target=token, request=request)
    return token, raw


@transaction.atomic
def revoke_api_token(user: User, token: ApiToken, *, request: HttpRequest | None = None) -> None:
    if token.user_id != user.pk:
        raise PermissionDenied
    if token.revoked_at is None:
        _revoke(token, user, request=request)


def _revoke(
    token: ApiToken, user: User, *, request: HttpRequest | None, detail: dict[str, str] | None = None
) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(acts.API_TOKEN_REVOKED, actor=user, target=token, request=request, detail=detail)


# --- proving again who one is ---------------------------------------------------------------
def reauthenticate(
    user: User, *, password: str = "", code: str = "", request: HttpRequest | None = None
) -> None:
    """Refuse (ActionError) unless the signed-in person gives their password again, or, if they
    have a second factor, a fresh code from it.

    The password goes through the same authentication as the sign-in page, so a wrong one is
    audited as a failed sign-in and counts towards the same lockout (account and address); a wrong
    code is audited and slowed down by django-otp, as at sign-in. Nothing is written on success.
    """
    if password:
        if _password_is_right(user, password, request):
            return
        if request is not None and getattr(request, "axes_locked_out", False):
            minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
            raise ActionError(
                _("Too many wrong passwords. Wait %(minutes)s minutes, then try again.")
                % {"minutes": minutes},
                code="locked_out",
                status=429,
            )
        raise ActionError(
            _("That password is not right, so no token was created. Type the password you sign in with."),
            code="wrong_password",
            status=403,
        )
    if code:
        if (
            not has_second_factor(user)
            or check_second_factor(user, code, request=request, step="reauthenticate") is None
        ):
            raise ActionError(
                _(
                    "That code is not right, so no token was created. Type the newest code from your authenticator app."
                ),
                code="wrong_code",
                status=403,
            )
        return
    raise ActionError(
        _("Type your password to create a token."), code="reauthentication_required", status=403
    )


def _password_is_right(user: User, password: str, request: HttpRequest | None) -> bool:
    if request is None:
        # Only commands and tests act without a request; there is no address to throttle.
        if user.check_password(password):
            return True
        user_login_failed.send(
            sender=__name__, credentials={"username": user.email, "purpose": "api_token"}, request=None
        )
        return False
    # Through django-axes, as the sign-in page: a lockout refuses even the right password.
    # `purpose` reaches the failed-sign-in signal, so the audit entry can say why it was asked.
    authenticated = authenticate(request, username=user.email, password=password, purpose="api_token")
    return authenticated is not None and authenticated.pk == user.pk


# --- second factor --------------------------------------------------------------------------
def session_verified(user: Any) -> bool:
    """Whether this signed-in session proved a second factor (set by django-otp's middleware)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def start_totp_enrolment(user: User) -> TOTPDevice:
    """An unconfirmed authenticator for the user to add to their app (reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def confirm_totp_enrolment(
    user: User, device: TOTPDevice, code: str, *, request: HttpRequest | None = None
) -> list[str]:
    """Confirm the authenticator with a code from the app; return fresh recovery codes."""
    if device.user_id != user.pk or device.confirmed:
        raise PermissionDenied
    if not device.verify_token(_digits(code)):
        record(
            acts.SECOND_FACTOR_FAILED,
            actor=user,
            target=user,
            request=request,
            detail={"step": "enrol"},
        )
        raise ActionError(
            _("That code is not right. Check the time on your phone and try the newest code."),
            code="wrong_code",
        )
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record(acts.TWO_FACTOR_ENABLED, actor=user, target=user, request=request)
    codes = _new_recovery_codes(user, request=request)
    if request is not None:
        otp_login(request, device)
    return codes


def regenerate_recovery_codes(user: User, *, request: HttpRequest | None = None) -> list[str]:
    if not has_second_factor(user):
        raise ActionError(_("Set up two-factor sign-in first."), code="no_second_factor", status=409)
    with transaction.atomic():
        return _new_recovery_codes(user, request=request)


def _new_recovery_codes(user: User, *, request: HttpRequest | None) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name="recovery", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    record(acts.RECOVERY_CODES_CREATED, actor=user, target=user, request=request)
    return codes


@transaction.atomic
def remove_two_factor(user: User, *, request: HttpRequest | None = None) -> None:
    if user.requires_two_factor:
        raise ActionError(
            _("Your role requires two-factor sign-in; it cannot be turned off."),
            code="required",
            status=409,
        )
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record(acts.TWO_FACTOR_DISABLED, actor=user, target=user, request=request)


def check_second_factor(
    user: User, code: str, *, request: HttpRequest | None = None, step: str = "sign_in"
) -> TOTPDevice | StaticDevice | None:
    """The device that accepts the code (a six-digit app code or a recovery code), or None.

    Both kinds of device slow down repeated wrong guesses (django-otp's throttling).
    """
    cleaned = code.strip().replace(" ", "").replace("-", "").lower()
    device: TOTPDevice | StaticDevice | None = None
    if cleaned.isdigit():
        device = next(
            (d for d in TOTPDevice.objects.filter(user=user, confirmed=True) if d.verify_token(cleaned)),
            None,
        )
    else:
        device = next(
            (d for d in StaticDevice.objects.filter(user=user, confirmed=True) if d.verify_token(cleaned)),
            None,
        )
        if device is not None:
            record(acts.RECOVERY_CODE_USED, actor=user, target=user, request=request)
    if device is None:
        record(
            acts.SECOND_FACTOR_FAILED,
            actor=user,
            target=user,
            request=request,
            detail={"step": step},
        )
    return device


def _digits(code: str) -> str:
    return "".join(ch for ch in code if ch.isdigit())

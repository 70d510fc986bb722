"""On-call shifts: the access helper and the actions for them."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from consultations.models import OnCallShift
from core.audit import AuditAction, record
from core.errors import ActionError

SHIFT_ADDED = AuditAction("consultations.shift_added", _("On-call shift added"))
SHIFT_REMOVED = AuditAction("consultations.shift_removed", _("On-call shift removed"))


def consultants_on_call(now: datetime) -> list[int]:
    return list(
        OnCallShift.objects.filter(starts_at__lte=now, ends_at__gt=now).values_list(
            "consultant_id", flat=True
        )
    )


def upcoming_shifts(user: User, now: datetime) -> list[OnCallShift]:
    return list(OnCallShift.objects.filter(consultant=user, ends_at__gt=now).order_by("starts_at")[:50])


def get_own_shift(user: User, shift_id: int) -> OnCallShift:
    shift = OnCallShift.objects.filter(pk=shift_id, consultant=user).first()
    if shift is None:
        raise Http404
    return shift


@transaction.atomic
def add_shift(
    user: User, starts_at: datetime, ends_at: datetime, *, request: HttpRequest | None = None
) -> OnCallShift:
    if not user.has_role(Role.CONSULTANT):
        raise ActionError(_("Only consultants keep an on-call roster."), code="not_consultant", status=403)
    if ends_at <= starts_at:
        raise ActionError(_("The shift must end after it starts."), code="order")
    shift = OnCallShift.objects.create(consultant=user, starts_at=starts_at, ends_at=ends_at)
    record(SHIFT_ADDED, actor=user, target=shift, request=request)
    return shift


@transaction.atomic
def remove_shift(user: User, shift: OnCallShift, *, request: HttpRequest | None = None) -> None:
    if shift.consultant_id != user.pk:
        raise Http404
    record(SHIFT_REMOVED, actor=user, target=shift, request=request)
    shift.delete()

"""On-call rosters: consultants add and remove their own shifts."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from consultations import audit_actions as acts
from consultations.models import OnCallShift
from core.audit import record
from core.errors import ActionError


@transaction.atomic
def add_shift(
    user: User, starts_at: datetime, ends_at: datetime, *, request: HttpRequest | None = None
) -> OnCallShift:
    if not user.has_role(Role.CONSULTANT):
        raise ActionError(_("Only consultants keep an on-call roster."), code="not_consultant", status=403)
    if ends_at <= starts_at:
        raise ActionError(_("The shift must end after it starts."), code="order")
    shift = OnCallShift.objects.create(consultant=user, starts_at=starts_at, ends_at=ends_at)
    record(acts.SHIFT_ADDED, actor=user, target=shift, request=request)
    return shift


@transaction.atomic
def remove_shift(user: User, shift: OnCallShift, *, request: HttpRequest | None = None) -> None:
    if shift.consultant_id != user.pk:
        raise Http404
    record(acts.SHIFT_REMOVED, actor=user, target=shift, request=request)
    shift.delete()

"""On-call rosters: consultants keep their own shifts, and the coordinators of a consultant's
institution keep them too (consultations.access.rostered_consultants). A shift ends after it
starts and never overlaps another of the same consultant's: routing reads "on call now" from
them, and two shifts over the same hours are a typing slip, not a double cover.

A shift saved (added or changed) must still be to come or under way: the roster shows the coming
weeks only, so a shift that has already ended would be saved out of sight, with no link to correct
or remove it. An ended shift is history; it may still be removed, or moved into the future, but
not rewritten to another past. And no shift lasts longer than `MAX_SHIFT_DAYS`: a year typed for a
week would make routing prefer that consultant for a year."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from consultations import audit_actions as acts
from consultations.access import rostered_consultants
from consultations.models import OnCallShift
from core.audit import AuditAction, record
from core.errors import ActionError

MAX_SHIFT_DAYS = 14  # a week's cover is normal; two weeks is the longest a roster plans as one shift


def _refuse_bad_times(
    consultant: User, starts_at: datetime, ends_at: datetime, *, besides: int | None
) -> None:
    if ends_at <= starts_at:
        raise ActionError(_("The shift must end after it starts."), code="order")
    if ends_at <= timezone.now():
        raise ActionError(
            _(
                "This shift has already ended. Only a shift that ends in the future can be saved: "
                "check the dates."
            ),
            code="ended",
        )
    if ends_at - starts_at > timedelta(days=MAX_SHIFT_DAYS):
        raise ActionError(
            _(
                "A shift may last at most %(days)d days. Check the dates, or enter a longer stretch "
                "as several shifts."
            )
            % {"days": MAX_SHIFT_DAYS},
            code="too_long",
        )
    # Locks the consultant's row: two shifts saved at once cannot both pass the check.
    User.objects.select_for_update().filter(pk=consultant.pk).first()
    overlapping = OnCallShift.objects.filter(
        consultant=consultant, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if besides is not None:
        overlapping = overlapping.exclude(pk=besides)
    if overlapping.exists():
        raise ActionError(_("This shift overlaps another shift of the same consultant."), code="overlap")


def _record(action: AuditAction, user: User, shift: OnCallShift, request: HttpRequest | None) -> None:
    # The consultant's id, never the times: the row holds them, the trail says who changed whose.
    record(action, actor=user, target=shift, request=request, detail={"consultant": shift.consultant_id})


def _may_keep(user: User, consultant: User) -> bool:
    return rostered_consultants(user).filter(pk=consultant.pk).exists()


@transaction.atomic
def add_shift(
    user: User,
    starts_at: datetime,
    ends_at: datetime,
    *,
    consultant: User | None = None,
    request: HttpRequest | None = None,
) -> OnCallShift:
    """A shift for `consultant` (the user themselves unless named)."""
    consultant = consultant or user
    if consultant.pk == user.pk and not user.has_role(Role.CONSULTANT):
        raise ActionError(_("Only consultants keep an on-call roster."), code="not_consultant", status=403)
    if not _may_keep(user, consultant):
        raise Http404
    _refuse_bad_times(consultant, starts_at, ends_at, besides=None)
    shift = OnCallShift.objects.create(consultant=consultant, starts_at=starts_at, ends_at=ends_at)
    _record(acts.SHIFT_ADDED, user, shift, request)
    return shift


@transaction.atomic
def change_shift(
    user: User,
    shift: OnCallShift,
    starts_at: datetime,
    ends_at: datetime,
    *,
    request: HttpRequest | None = None,
) -> OnCallShift:
    if not _may_keep(user, shift.consultant):
        raise Http404
    if (shift.starts_at, shift.ends_at) == (starts_at, ends_at):
        return shift  # sent back as it is: nothing to save or record
    _refuse_bad_times(shift.consultant, starts_at, ends_at, besides=shift.pk)
    shift.starts_at, shift.ends_at = starts_at, ends_at
    shift.save(update_fields=["starts_at", "ends_at"])
    _record(acts.SHIFT_CHANGED, user, shift, request)
    return shift


@transaction.atomic
def remove_shift(user: User, shift: OnCallShift, *, request: HttpRequest | None = None) -> None:
    if not _may_keep(user, shift.consultant):
        raise Http404
    _record(acts.SHIFT_REMOVED, user, shift, request)
    shift.delete()

"""On-call rosters: the shifts of the coming four weeks the reader sees on the on-call page
(consultations.access.roster_visible_to); a consultant adds and removes their own."""
# No "from __future__ import annotations": django-ninja reads these annotations at run time.

from datetime import datetime, timedelta

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status

from accounts.api_auth import api_user
from accounts.models import Membership, Role
from consultations.access import get_shift_to_change, roster_visible_to, rostered_consultants
from consultations.actions import rosters
from lib.roster import ROSTER_DAYS

router = Router()


class ShiftIn(Schema):
    starts_at: datetime
    ends_at: datetime


class ShiftOut(ShiftIn):
    id: int


class RosterShiftOut(ShiftOut):
    consultant_id: int
    consultant: str
    institution: str  # the consultant's institution (short code), "" if none
    may_change: bool  # the reader keeps this consultant's shifts


@router.get(
    "/on-call/shifts",
    response=list[RosterShiftOut],
    tags=["on call"],
    summary="The coming four weeks of the roster, as the on-call page shows it to you",
)
def list_shifts(request: HttpRequest) -> list[RosterShiftOut]:
    """Coordinators and administrators read every consultant's shifts, a consultant their own;
    anyone else gets 403, as on the page. Shifts not yet ended, starting in the coming four weeks."""
    user = api_user(request)
    now = timezone.now()
    rows = list(
        roster_visible_to(user)
        .filter(ends_at__gt=now, starts_at__lt=now + timedelta(days=ROSTER_DAYS))
        .select_related("consultant")
        .order_by("starts_at", "pk")[:1000]
    )
    ids = {s.consultant_id for s in rows}
    keeps = set(rostered_consultants(user).filter(pk__in=ids).values_list("pk", flat=True))
    places: dict[int, str] = {}
    for membership in (
        Membership.objects.filter(user_id__in=ids, role=Role.CONSULTANT)
        .select_related("institution")
        .order_by("institution__short_code")
    ):
        places.setdefault(membership.user_id, membership.institution.short_code)
    return [
        RosterShiftOut(
            id=s.pk,
            starts_at=s.starts_at,
            ends_at=s.ends_at,
            consultant_id=s.consultant_id,
            consultant=s.consultant.full_name,
            institution=places.get(s.consultant_id, ""),
            may_change=s.consultant_id in keeps,
        )
        for s in rows
    ]


@router.post("/on-call/shifts", response={201: ShiftOut}, tags=["on call"], summary="Add a shift")
def add_shift(request: HttpRequest, payload: ShiftIn) -> Status[ShiftOut]:
    shift = rosters.add_shift(api_user(request), payload.starts_at, payload.ends_at, request=request)
    return Status(201, ShiftOut(id=shift.pk, starts_at=shift.starts_at, ends_at=shift.ends_at))


@router.delete("/on-call/shifts/{shift_id}", response={204: None}, tags=["on call"], summary="Remove a shift")
def delete_shift(request: HttpRequest, shift_id: int) -> Status[None]:
    user = api_user(request)
    rosters.remove_shift(user, get_shift_to_change(user, shift_id), request=request)
    return Status(204, None)

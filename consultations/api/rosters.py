"""On-call rosters: a consultant's own shifts."""
# No "from __future__ import annotations": django-ninja reads these annotations at run time.

from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status

from accounts.api_auth import api_user
from consultations.access import get_own_shift
from consultations.actions import rosters
from consultations.queries import upcoming_shifts

router = Router()


class ShiftIn(Schema):
    starts_at: datetime
    ends_at: datetime


class ShiftOut(ShiftIn):
    id: int


@router.get("/on-call/shifts", response=list[ShiftOut], tags=["on call"], summary="Your coming shifts")
def list_shifts(request: HttpRequest) -> list[ShiftOut]:
    user = api_user(request)
    return [
        ShiftOut(id=s.pk, starts_at=s.starts_at, ends_at=s.ends_at)
        for s in upcoming_shifts(user, timezone.now())
    ]


@router.post("/on-call/shifts", response={201: ShiftOut}, tags=["on call"], summary="Add a shift")
def add_shift(request: HttpRequest, payload: ShiftIn) -> Status[ShiftOut]:
    shift = rosters.add_shift(api_user(request), payload.starts_at, payload.ends_at, request=request)
    return Status(201, ShiftOut(id=shift.pk, starts_at=shift.starts_at, ends_at=shift.ends_at))


@router.delete("/on-call/shifts/{shift_id}", response={204: None}, tags=["on call"], summary="Remove a shift")
def delete_shift(request: HttpRequest, shift_id: int) -> Status[None]:
    user = api_user(request)
    rosters.remove_shift(user, get_own_shift(user, shift_id), request=request)
    return Status(204, None)

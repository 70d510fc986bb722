"""JSON API for a person's notifications (the in-app ones of every app)."""
# No "from __future__ import annotations": django-ninja reads these annotations at run time.

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from core.api_types import BoundedPageNumberPagination
from core.models import Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    url: str
    created_at: datetime
    read: bool


def _recipient_id(request: HttpRequest) -> int:
    # The API's authentication puts the signed-in person in request.auth (accounts.api_auth).
    return int(request.auth.pk)  # type: ignore[attr-defined]


@router.get("/notifications", response=list[NotificationOut], tags=["notifications"])
@paginate(BoundedPageNumberPagination, page_size=50)
def list_notifications(request: HttpRequest, unread: bool = False) -> Any:
    items = Notification.objects.filter(recipient_id=_recipient_id(request))
    if unread:
        items = items.filter(read_at__isnull=True)
    return [
        NotificationOut(
            id=n.pk, kind=n.kind, text=n.text, url=n.url, created_at=n.created_at, read=n.read_at is not None
        )
        for n in items.order_by("-created_at")
    ]


@router.post("/notifications/read", response={204: None}, tags=["notifications"], summary="Mark all as read")
def read_notifications(request: HttpRequest) -> Status[None]:
    Notification.objects.filter(recipient_id=_recipient_id(request), read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return Status(204, None)

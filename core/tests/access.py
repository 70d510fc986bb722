"""Core's pages and API in the project's access matrix (neurodaraja/tests/test_access_matrix.py):
everyone signed in has a notifications inbox and marks their own notifications read; nobody
reaches anyone else's, and a stranger marks nothing read."""

from __future__ import annotations

from functools import partial

from core.models import Notification
from neurodaraja.testing.access import Change, Endpoint, Ids, Page, everyone
from neurodaraja.testing.cases import assigned_to_china, case_for
from neurodaraja.testing.personas import Personas


def objects(cast: Personas) -> Ids:
    # Sending a case notifies the consultant on call and the coordinators: real notifications.
    case = assigned_to_china(cast, partial(case_for, cast))
    assert Notification.objects.filter(read_at__isnull=True).exists()  # noqa: S101
    return {"case": case.code}


def unread(cast: Personas, ids: Ids) -> list[tuple[object, ...]]:
    return list(Notification.objects.order_by("pk").values_list("pk", "recipient_id", "read_at"))


PAGES = [
    Page("/notifications/", everyone()),
]

CHANGES = [
    # One's own notifications, for everyone: only a stranger is refused (sent to sign in).
    Change("/notifications/read/", everyone(302), unread),
]

ENDPOINTS = [
    Endpoint("get", "/notifications", everyone()),
    # One's own, for everyone: only a missing or forged token is refused (401).
    Endpoint("post", "/notifications/read", everyone(204), unread),
]

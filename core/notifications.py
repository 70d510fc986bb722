"""Telling people what concerns them: in the app, by e-mail and by SMS, each in their language.

Each kind of notification is declared once with its translated sentence; the sentence is
rendered when it is read or sent, in the reader's own language.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

from core import notification_kinds
from core.emails import send_email
from core.models import Notification
from core.notification_kinds import NotificationKind
from core.plugins import nav_entry
from core.sms import send_sms


class Recipient(Protocol):
    """Who can be notified (accounts.User): core needs only how to reach them."""

    pk: Any
    is_active: bool
    email: str
    phone: str
    preferred_language: str
    notify_by_email: bool
    notify_by_sms: bool


def unread_count(request: HttpRequest) -> int:
    return Notification.objects.filter(recipient_id=request.user.pk, read_at__isnull=True).count()


nav_entry("core:notifications", _("Notifications"), order=50, badge=unread_count)


def notify(
    recipients: Iterable[Recipient],
    notification: NotificationKind,
    *,
    params: dict[str, Any],
    url: str,
    urgent: bool = False,
    exclude: Recipient | None = None,
) -> list[Notification]:
    """Notify each recipient once, through the channels they chose; urgent ones always by SMS.

    `params` must be JSON-safe and free of patient identifiers (a case code, not a name).
    """
    sent = []
    seen: set[int] = set()
    for user in recipients:
        if user.pk in seen or (exclude is not None and user.pk == exclude.pk) or not user.is_active:
            continue
        seen.add(user.pk)
        sent.append(
            Notification.objects.create(recipient_id=user.pk, kind=notification.code, params=params, url=url)
        )
        if user.notify_by_email:
            send_email(
                "notification",
                to=user.email,
                language=user.preferred_language,
                context={"kind": notification.code, "params": params, "url": settings.SITE_URL + url},
            )
        if user.phone and (urgent or user.notify_by_sms):
            send_sms_task.enqueue(
                to=user.phone, language=user.preferred_language, kind=notification.code, params=params
            )
    return sent


@task()
def send_sms_task(to: str, language: str, kind: str, params: dict[str, Any]) -> None:
    with translation.override(language):
        text = f"NeuroDaraja: {notification_kinds.kind(kind).render(params)}"
    send_sms(to, text)
